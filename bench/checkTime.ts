// The pre-run type check's speed (issue 14): warm, a 30-line script against the API of the three demo servers in a
// process that has checked before; cold, the first check of a fresh `codemode check` process (loading TypeScript,
// parsing the lib and the API). `npm run bench` appends its table to RESULTS.md; `npx tsx bench/checkTime.ts`
// prints it alone.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoServers } from '../src/cli/demoConfig';
import { ScriptChecker } from '../src/core/check/scriptChecker';
import { McpHub } from '../src/core/mcp/hub';
import { projectRoot } from './setup';
import { formatMs, summarize, type Timing } from './stats';

const warmRuns = 40;
const coldRuns = 5;
const targets = { warmMs: 100, coldMs: 1_500 };

/** Thirty lines the way a model writes them, using all three servers; `N` varies so no check sees the same text. */
const script = (n: number) => `// Summarise the notes folder and remember what was found (run ${n}).
const dirs = await mcp.fs.listAllowedDirectories();
const root = dirs.content.split('\\n').filter((line) => line.startsWith('/'))[0] ?? '.';
const listing = await mcp.fs.listDirectoryWithSizes({ path: root, sortBy: 'size' });
const files = listing.content
  .split('\\n')
  .filter((line) => line.startsWith('[FILE]'))
  .map((line) => line.replace('[FILE] ', '').split(/\\s+/)[0]);
const texts = await Promise.all(files.slice(0, 5).map((name) => mcp.fs.readTextFile({ path: root + '/' + name, head: 20 })));
const summary = files.slice(0, 5).map((name, i) => ({
  name,
  lines: texts[i].content.split('\\n').length,
  title: texts[i].content.split('\\n')[0].replace(/^#\\s*/, ''),
}));
const longest = summary.toSorted((a, b) => b.lines - a.lines)[0];
await mcp.memory.createEntities({
  entities: summary.map((s) => ({ name: 'note:' + s.name, entityType: 'note', observations: [s.title, 'lines: ' + s.lines] })),
});
const graph = await mcp.memory.readGraph();
const notes = graph.entities.filter((e) => e.entityType === 'note');
const echoed = await mcp.everything.echo({ message: 'found ' + notes.length + ' notes' });
const sum = await mcp.everything.getSum({ a: notes.length, b: ${n} });
let report;
try {
  report = { longest: longest?.name, notes: notes.length, echoed, sum };
} catch (e) {
  report = { error: e.message, server: e.server };
}
const byType = Object.groupBy(graph.entities, (e) => e.entityType);
return { ...report, types: Object.keys(byType) };
`;

export interface CheckTimes {
  warm: Timing;
  cold: Timing;
  lines: number;
}

export async function measureCheckTimes(): Promise<CheckTimes> {
  const hub = new McpHub({ variables: { env: {}, input: async () => undefined, workspaceFolder: projectRoot } });
  await hub.reconcile(demoServers(projectRoot));
  const listing = await hub.listTools();
  await hub.closeAll();
  if (listing.servers.length !== 3) {
    throw new Error(`the three demo servers did not all start: ${JSON.stringify(listing.failures)}`);
  }
  const checker = new ScriptChecker();
  const samples: number[] = [];
  for (let i = 0; i < warmRuns + 1; i++) {
    // A copy, as the engine gets a new listing for each run.
    const check = checker.check(script(i), structuredClone(listing.servers));
    if (!check.ok) {
      throw new Error(`the bench script does not pass the check:\n${check.text}`);
    }
    if (i > 0) {
      samples.push(check.durationMs);
    }
  }
  return { warm: summarize(samples), cold: summarize(await coldChecks()), lines: script(0).trimEnd().split('\n').length };
}

/**
 * `codemode check --json` in a fresh process each time: its warm-up (TypeScript loaded, lib parsed, while the servers
 * start) plus its first check.
 */
async function coldChecks(): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'codemode-check-bench-'));
  try {
    await writeFile(join(dir, 'script.ts'), script(0));
    const samples: number[] = [];
    for (let i = 0; i < coldRuns; i++) {
      const stdout = await output(process.execPath, [join(projectRoot, 'dist', 'cli.js'), 'check', 'script.ts', '--json'], dir);
      const { stats } = JSON.parse(stdout) as { stats: { warmMs: number; checkMs: number } };
      samples.push(stats.warmMs + stats.checkMs);
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function output(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`codemode check exited ${code}: ${stdout}`))));
  });
}

export function checkTable(times: CheckTimes): string {
  const row = (name: string, timing: Timing, target: number) =>
    `| ${name} | ${formatMs(timing.median)} | ${formatMs(timing.min)}–${formatMs(timing.max)} | ${timing.runs} | ≤ ${formatMs(target)} ms ${timing.median <= target ? '✅' : '❌'} |`;
  return [
    `### Type check before a run (${times.lines}-line script, API of the three demo servers)`,
    '',
    '| Check | Median ms | Range ms | Runs | Target |',
    '|---|---:|---:|---:|---|',
    row('Warm (checked before in this process)', times.warm, targets.warmMs),
    row('Cold (first check of a fresh `codemode check`: loads TypeScript, parses lib + API)', times.cold, targets.coldMs),
    '',
  ].join('\n');
}

if (require.main === module) {
  void measureCheckTimes().then((times) => process.stdout.write(`${checkTable(times)}\n`));
}
