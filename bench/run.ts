// `npm run bench`: every workload through traditional tool calling, Code Mode and the peer, in one process; prints
// the tables and writes bench/RESULTS.md. See bench/findings.md for the analysis appended to it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeModeCost, peerCost, traditionalCost } from './agentCosts';
import { CodeMode } from './codeMode';
import { checkTable, measureCheckTimes } from './checkTime';
import { measureConnectTimes } from './connectTime';
import { bareIsolateRun } from './floors';
import { measureIsolation } from './isolation';
import { Peer } from './peer';
import { profile, type Breakdown } from './profile';
import {
  allServersTable,
  coldTable,
  renderMarkdown,
  targetTable,
  timeTable,
  tokenTable,
  type BenchReport,
  type Measured,
  type Target,
  type WorkloadResult,
} from './report';
import { prepareData, type BenchData } from './setup';
import { formatMs, formatRatio, interleave, summarize, timeOnce } from './stats';
import { defaultMaxConcurrentCalls } from '../src/core/defaults';
import { DirectClients } from './traditional';
import { workloads, type Workload } from './workloads';

const coldRuns = 5;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Measures cold starts: everything created from nothing, three servers connected, one `return 1`. */
async function measureCold(data: BenchData): Promise<Record<string, Measured>> {
  const samples: Record<string, number[]> = {
    'Code Mode: new hub + sandbox host, first run': [],
    'Peer: create + register 3 manuals, first run': [],
    'Traditional: connect 3 SDK clients + list tools': [],
    'Code Mode with no server: sandbox host start + first run': [],
  };
  const keys = Object.keys(samples);
  for (let i = 0; i < coldRuns; i++) {
    let codeMode: CodeMode | undefined;
    samples[keys[0]].push(
      await timeOnce(async () => {
        codeMode = await CodeMode.create(data.servers);
        await codeMode.run('return 1;');
      }),
    );
    await codeMode?.dispose();
    let peer: Peer | undefined;
    samples[keys[1]].push(
      await timeOnce(async () => {
        peer = await Peer.create(data.servers);
        await peer.runOrThrow('return 1;');
      }),
    );
    await peer?.close();
    let direct: DirectClients | undefined;
    samples[keys[2]].push(await timeOnce(async () => (direct = await DirectClients.connect(data.servers))));
    await direct?.close();
    let bare: CodeMode | undefined;
    samples[keys[3]].push(
      await timeOnce(async () => {
        bare = await CodeMode.create([]);
        await bare.run('return 1;');
      }),
    );
    await bare?.dispose();
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, { timing: summarize(values) }]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function measureWorkload(
  workload: Workload,
  contenders: { codeMode: CodeMode; codeModeWide: CodeMode; peer: Peer; direct: DirectClients },
  allServers: readonly string[],
): Promise<WorkloadResult> {
  const { codeMode, codeModeWide, peer, direct } = contenders;
  // One untimed pass of each gives the values to compare, the transcript and the report the token model replays.
  const run = await codeMode.run(workload.script);
  const peerRun = await peer.run(workload.peerScript);
  const recorded = workload.direct ? await direct.record(workload.direct) : undefined;
  const reference = recorded?.result ?? workload.local?.();
  const disagreements = [
    ...(reference !== undefined && !same(run.result, reference) ? ['Code Mode'] : []),
    ...(peerRun.ok && !same(peerRun.result, run.result) ? ['peer'] : []),
  ];
  const agreement = disagreements.length ? `**no**: ${disagreements.join(', ')} differ` : peerRun.ok ? 'yes' : 'yes (peer failed)';

  const tasks: Record<string, () => Promise<unknown>> = {
    codeMode: () => codeMode.run(workload.script),
    peer: () => peer.runOrThrow(workload.peerScript),
  };
  if (workload.direct) {
    tasks.traditional = () => workload.direct!(direct);
  } else if (workload.local) {
    tasks.traditional = async () => workload.local!();
  }
  if (workload.id === 'W2') {
    tasks.codeModeWide = () => codeModeWide.run(workload.script);
  }
  if (workload.id === 'W3') {
    tasks.codeModeRecorded = () => codeMode.runRecorded(workload.script);
  }
  if (workload.id === 'W0') {
    tasks.floor = bareIsolateRun;
  }
  const times = await interleave(tasks, workload.runs);

  const answer = run.text;
  let costs: WorkloadResult['costs'];
  let costsAll: WorkloadResult['costsAll'];
  if (workload.id !== 'W0') {
    const listing = await codeMode.hub.listTools();
    const peerApi = await peer.modelApi(workload.servers);
    costs = {
      ...codeModeCost(workload, listing.servers, run, answer),
      peer: peerCost(workload, peerApi, { result: peerRun.ok ? peerRun.result : { error: peerRun.error } }, answer),
    };
    if (recorded) {
      const definitions = direct.definitions(workload.servers);
      costs.traditional = traditionalCost(workload, definitions, recorded.calls, answer, false);
      costs.batched = traditionalCost(workload, definitions, recorded.calls, answer, true);
      const everything = direct.definitions(allServers);
      costsAll = {
        traditional: traditionalCost(workload, everything, recorded.calls, answer, false),
        batched: traditionalCost(workload, everything, recorded.calls, answer, true),
        codeMode: codeModeCost(workload, listing.servers, run, answer, allServers).codeMode,
        peer: peerCost(
          workload,
          await peer.modelApi(allServers),
          { result: peerRun.ok ? peerRun.result : { error: peerRun.error } },
          answer,
        ),
      };
    }
  }
  return {
    id: workload.id,
    title: workload.title,
    traditional: times.traditional,
    traditionalLabel: workload.local ? '(same code in the host, no sandbox)' : undefined,
    codeMode: times.codeMode,
    codeModeWide: times.codeModeWide,
    codeModeRecorded: times.codeModeRecorded,
    peer: peerRun.ok ? times.peer : { timing: summarize([]), error: peerRun.error },
    floor: times.floor ? { label: '(bare isolate, in-process)', timing: times.floor.timing } : undefined,
    costs,
    costsAll,
    agreement,
  };
}

function targets(results: WorkloadResult[], singleSleep: number, breakdown: Breakdown): Target[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const median = (id: string, key: 'codeMode' | 'traditional' | 'peer' | 'codeModeWide' | 'codeModeRecorded') =>
    byId.get(id)?.[key]?.timing.median ?? Number.NaN;
  const list: Target[] = [];
  for (const id of ['W3', 'W5', 'W5-fs', 'W5-memory', 'W6']) {
    const c = byId.get(id)?.costs;
    if (id === 'W6' && c?.batched) {
      const vsBatched = c.batched.total / c.codeMode.total;
      list.push({
        name: 'Token reduction W6 (150-tool catalog)',
        goal: '≥ 5× vs batched',
        measured: `${formatRatio(vsBatched)} vs batched`,
        met: vsBatched >= 5,
      });
    } else if (c?.traditional && c.batched) {
      const vsTurn = c.traditional.total / c.codeMode.total;
      const vsBatched = c.batched.total / c.codeMode.total;
      list.push({
        name: `Token reduction ${id}`,
        goal: '≥ 20×',
        measured: `${formatRatio(vsTurn)} vs 1 call/turn; ${formatRatio(vsBatched)} vs batched`,
        met: vsTurn >= 20,
      });
    }
  }
  const w0 = median('W0', 'codeMode');
  list.push({ name: 'Warm W0 (`return 1`), host side', goal: '≤ 5 ms', measured: `${formatMs(w0)} ms`, met: w0 <= 5 });
  const w2 = median('W2', 'codeMode');
  const w2Wide = median('W2', 'codeModeWide');
  list.push({
    name: 'W2 vs one 10 ms call',
    goal: '≤ 3× (one call: ' + `${formatMs(singleSleep)} ms)`,
    measured: `${formatRatio(w2 / singleSleep)} at the default ${defaultMaxConcurrentCalls} calls in flight per server; ${formatRatio(w2Wide / singleSleep)} with 100`,
    met: w2 / singleSleep <= 3,
  });
  const w3 = median('W3', 'codeMode');
  const w3Recorded = median('W3', 'codeModeRecorded');
  list.push({
    name: 'Recording a run and counting its tokens (W3)',
    goal: '≤ 5 % slower',
    measured: `${formatMs(w3Recorded)} ms recorded vs ${formatMs(w3)} ms (${(((w3Recorded - w3) / w3) * 100).toFixed(1)} %)`,
    met: w3Recorded <= w3 * 1.05,
  });
  const perCallOf = (prefix: string) => breakdown.call.find((row) => row.part.startsWith(prefix))?.timing.median ?? Number.NaN;
  const engineCall = perCallOf('**Code Mode');
  const directCall = perCallOf('direct SDK');
  const peerCall = perCallOf('**Peer');
  const w1Overhead = (median('W1', 'codeMode') - w0) / 100 - median('W1', 'traditional') / 100;
  list.push({
    name: 'Per-call overhead over a direct SDK call',
    goal: '≤ 0.2 ms',
    measured:
      `${formatMs(engineCall - directCall)} ms (${formatMs(engineCall)} − ${formatMs(directCall)}, interleaved probe; ` +
      `peer: ${formatMs(peerCall - directCall)} ms); from the W1 medians: ${formatMs(w1Overhead)} ms`,
    met: engineCall - directCall <= 0.2,
  });
  const behind = results.filter((r) => !r.peer.error && r.peer.timing.median <= r.codeMode.timing.median).map((r) => r.id);
  list.push({
    name: 'Ahead of the peer on every workload',
    goal: 'Code Mode median < peer median',
    measured: behind.length
      ? `behind on ${behind.join(', ')}`
      : `ahead on all (${results.map((r) => `${r.id} ${formatRatio(r.peer.error ? Number.NaN : r.peer.timing.median / r.codeMode.timing.median)}`).join(', ')})`,
    met: behind.length === 0,
  });
  return list;
}

async function main(): Promise<void> {
  const started = performance.now();
  const data = await prepareData();
  try {
    log('cold starts…');
    const cold = await measureCold(data);
    log('type check…');
    const check = checkTable(await measureCheckTimes());
    log('connect times by protocol era…');
    const connectTimes = await measureConnectTimes();
    const [codeMode, codeModeWide, peer, direct] = await Promise.all([
      CodeMode.create(data.servers),
      CodeMode.create(data.servers, { maxConcurrentCalls: 100 }),
      Peer.create(data.servers),
      DirectClients.connect(data.servers),
    ]);
    const results: WorkloadResult[] = [];
    for (const workload of workloads(data.notesDir)) {
      log(`${workload.id} ${workload.title}…`);
      results.push(
        await measureWorkload(
          workload,
          { codeMode, codeModeWide, peer, direct },
          data.servers.map((server) => server.name),
        ),
      );
    }
    log('reference calls and floors…');
    const single = await interleave({ sleep: () => direct.call('bench', 'sleep', { ms: 10 }) }, 20);
    const behaviour = await observeBehaviour(
      peer,
      workloads(data.notesDir).find((w) => w.id === 'W4')!,
      results,
    );
    log('profile…');
    const breakdown = await profile(codeMode, peer, direct);
    log('isolation of runs…');
    const isolation = await measureIsolation();
    const report: BenchReport = {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      durationS: (performance.now() - started) / 1000,
      cold,
      workloads: results,
      breakdown,
      behaviour: [`One direct sleep(10) call: ${formatMs(single.sleep.timing.median)} ms (median of 20).`, ...behaviour, ...isolation],
      targets: targets(results, single.sleep.timing.median, breakdown),
      peerConsoleLines: peer.consoleLines,
    };
    await Promise.all([codeMode.dispose(), codeModeWide.dispose(), peer.close(), direct.close()]);
    const findingsFile = join(__dirname, 'findings.md');
    const findings = existsSync(findingsFile) ? readFileSync(findingsFile, 'utf8') : '';
    const connectSection = ['', '## Connect time by how the protocol era is found (stdio)', '', ...connectTimes, ''].join('\n');
    writeFileSync(join(__dirname, 'RESULTS.md'), `${renderMarkdown(report, findings).trimEnd()}\n${connectSection}\n${check}`);
    process.stdout.write(
      [
        '',
        timeTable(report),
        '',
        coldTable(report),
        '',
        check,
        connectTimes.join('\n'),
        '',
        tokenTable(report),
        '',
        allServersTable(report),
        '',
        targetTable(report),
        '',
        `Written to bench/RESULTS.md (${report.durationS.toFixed(0)} s).`,
        '',
      ].join('\n'),
    );
  } finally {
    await data.dispose();
  }
}

/** What the peer does differently, shown rather than told. */
async function observeBehaviour(peer: Peer, w4: Workload, results: WorkloadResult[]): Promise<string[]> {
  const notes: string[] = [];
  const typed = await peer.run(w4.script);
  notes.push(
    typed.ok
      ? "The peer ran W4's TypeScript source as is."
      : `The peer does not accept TypeScript: W4's script (type annotations only) fails with "${typed.error}". Its rows use a JavaScript port; Code Mode runs the TypeScript.`,
  );
  const w2 = results.find((r) => r.id === 'W2');
  if (w2 && !w2.peer.error) {
    notes.push(
      `Promise.all: the peer's W2 takes ${formatMs(w2.peer.timing.median)} ms for 100 × 10 ms calls, i.e. they run one by one ` +
        '(its tool functions block the isolate in applySyncPromise); Code Mode keeps them concurrent.',
    );
  }
  notes.push(
    'Tool calls are synchronous in the peer (`bench.bench_echo(args)` returns the value, no await) and results are its own ' +
      'unwrapping of the text content (structuredContent is ignored; a text that is not JSON stays a string, so ' +
      "server-filesystem's read_text_file gives a string where Code Mode gives `{ content }`). Its scripts are written for that.",
  );
  notes.push(
    `The peer (@utcp/sdk, @utcp/mcp) wrote ${peer.consoleLines} console lines during the bench (3 per tool call); they were swallowed, not printed, which spares it the I/O.`,
  );
  return notes;
}

if (!process.execArgv.includes('--no-node-snapshot')) {
  // isolated-vm needs it in every process that loads it (here: the peer and the floors).
  const child = spawnSync(process.execPath, ['--no-node-snapshot', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
} else {
  main().then(
    // The peer's MCP client leaves 30 s timers behind; do not wait for them.
    () => process.exit(0),
    (error: unknown) => {
      log(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
