import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { WorkloadCosts } from './agentCosts';
import type { Breakdown } from './profile';
import { projectRoot } from './setup';
import { formatRatio, formatTiming, type Timing } from './stats';
import type { LoopCost } from './tokens';

export interface Measured {
  timing: Timing;
  error?: string;
}

export interface WorkloadResult {
  id: string;
  title: string;
  /** Traditional: direct SDK calls from the host (or, for W4, the same code in the host). */
  traditional?: Measured;
  traditionalLabel?: string;
  codeMode: Measured;
  /** Code Mode with maxConcurrentCalls raised to 100 (W2 only). */
  codeModeWide?: Measured;
  /** W3 recorded as the extension records runs, tokens counted after each run (see runs/). */
  codeModeRecorded?: Measured;
  peer: Measured;
  floor?: { label: string; timing: Timing };
  costs?: WorkloadCosts;
  /** The same with every tool of every configured server in the traditional context and in Code Mode's index. */
  costsAll?: Pick<WorkloadCosts, 'traditional' | 'batched' | 'codeMode' | 'peer'>;
  /** Whether every approach returned the same value. */
  agreement: string;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  date: string;
  durationS: number;
  cold: Record<string, Measured>;
  workloads: WorkloadResult[];
  breakdown: Breakdown;
  behaviour: string[];
  targets: Target[];
  peerConsoleLines: number;
}

function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function machine(): string {
  const cpu = cpus();
  return [
    `${process.platform} ${process.arch}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM`,
    `Node ${process.version}; isolated-vm ${version('isolated-vm')}; @modelcontextprotocol/sdk ${version('@modelcontextprotocol/sdk')}; ` +
      `peer @utcp/code-mode ${version('@utcp/code-mode')} with @utcp/mcp ${version('@utcp/mcp')}; tokenizer gpt-tokenizer ${version('gpt-tokenizer')} (o200k_base)`,
  ].join('\n');
}

const cell = (measured?: Measured) =>
  !measured ? '—' : measured.error ? `fails: ${measured.error.slice(0, 80)}` : formatTiming(measured.timing);
const ratio = (a?: Measured, b?: Measured) => (a && b && !a.error && !b.error ? formatRatio(a.timing.median / b.timing.median) : '—');
const loop = (cost?: LoopCost) =>
  cost ? `${cost.total.toLocaleString('en-US')} (${cost.turns} turns, peak ${cost.peak.toLocaleString('en-US')})` : '—';
const factor = (a?: LoopCost, b?: LoopCost) => (a && b ? formatRatio(a.total / b.total) : '—');

export function timeTable(report: BenchReport): string {
  const lines = [
    '| Workload | Traditional: direct SDK calls from the host | Code Mode | Peer (@utcp/code-mode) | Code Mode ÷ traditional | Peer ÷ Code Mode | Floor |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const w of report.workloads) {
    const traditional = w.traditional ? `${cell(w.traditional)}${w.traditionalLabel ? ` ${w.traditionalLabel}` : ''}` : '—';
    const codeMode =
      cell(w.codeMode) +
      (w.codeModeWide ? `<br>${cell(w.codeModeWide)} with 100 calls in flight` : '') +
      (w.codeModeRecorded ? `<br>${cell(w.codeModeRecorded)} recorded, tokens counted` : '');
    const floor = w.floor ? `${formatTiming(w.floor.timing)} ${w.floor.label}` : '—';
    lines.push(
      `| ${w.id} ${w.title} | ${traditional} | ${codeMode} | ${cell(w.peer)} | ${ratio(w.codeMode, w.traditional)} | ${ratio(w.peer, w.codeMode)} | ${floor} |`,
    );
  }
  return lines.join('\n');
}

export function coldTable(report: BenchReport): string {
  const lines = ['| Cold start (3 servers) | ms, median (min–max) |', '|---|---|'];
  for (const [name, measured] of Object.entries(report.cold)) {
    lines.push(`| ${name} | ${cell(measured)} |`);
  }
  return lines.join('\n');
}

export function tokenTable(report: BenchReport): string {
  const lines = [
    '| Workload | Traditional, 1 call per turn | Traditional, independent calls batched | Code Mode | Peer | Reduction vs 1/turn | Reduction vs batched |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const w of report.workloads) {
    if (!w.costs) {
      continue;
    }
    const c = w.costs;
    lines.push(
      `| ${w.id} | ${loop(c.traditional)} | ${loop(c.batched)} | ${loop(c.codeMode)} | ${loop(c.peer)} | ${factor(c.traditional, c.codeMode)} | ${factor(c.batched, c.codeMode)} |`,
    );
  }
  return lines.join('\n');
}

export function allServersTable(report: BenchReport): string {
  const lines = [
    '| Workload | Traditional, 1 call per turn | Traditional, batched | Code Mode | Peer | Reduction vs 1/turn | Reduction vs batched |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const w of report.workloads) {
    const c = w.costsAll;
    if (c?.traditional) {
      lines.push(
        `| ${w.id} | ${loop(c.traditional)} | ${loop(c.batched)} | ${loop(c.codeMode)} | ${loop(c.peer)} | ${factor(c.traditional, c.codeMode)} | ${factor(c.batched, c.codeMode)} |`,
      );
    }
  }
  return lines.join('\n');
}

function partsTable(report: BenchReport): string {
  const lines = [
    '| Workload | API index (one-line signatures) | Script | Report (condensed result) | Agrees with the other approaches |',
    '|---|---|---|---|---|',
  ];
  for (const w of report.workloads) {
    const p = w.costs?.codeModeParts;
    lines.push(p ? `| ${w.id} | ${p.index} | ${p.script} | ${p.report} | ${w.agreement} |` : `| ${w.id} | — | — | — | ${w.agreement} |`);
  }
  return lines.join('\n');
}

function breakdownTables(breakdown: Breakdown): string {
  return [
    '| Part of a warm `return 1` run (each timed alone) | ms, median (min–max) |',
    '|---|---|',
    ...breakdown.run.map((row) => `| ${row.part} | ${formatTiming(row.timing)} |`),
    '',
    '| One sequential echo call, path by path: (100 calls − none) / 100, in turn | ms per call, median (min–max) |',
    '|---|---|',
    ...breakdown.call.map((row) => `| ${row.part} | ${formatTiming(row.timing)} |`),
  ].join('\n');
}

export function targetTable(report: BenchReport): string {
  return [
    '| Target | Goal | Measured | Met |',
    '|---|---|---|---|',
    ...report.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

/** The whole RESULTS.md; `analysis` is the hand-written part (findings and explanations). */
export function renderMarkdown(report: BenchReport, analysis: string): string {
  return [
    '# Benchmarks: Code Mode vs traditional MCP tool calling vs @utcp/code-mode',
    '',
    `Generated by \`npm run bench\` on ${report.date} (${report.durationS.toFixed(0)} s in all). One process, one machine; ` +
      'absolute times on a shared machine are noisy, so read the ratios. Each cell is median (min–max) in ms over the ' +
      'repeated runs; contenders run in turn (A, B, C, A, B, C, …) after one untimed warm-up round.',
    '',
    '```',
    machine(),
    'npm run bench   # = node esbuild.mjs --tests && tsx bench/run.ts   (re-runs itself with --no-node-snapshot)',
    '```',
    '',
    '## Time',
    '',
    timeTable(report),
    '',
    coldTable(report),
    '',
    '## Tokens a chat agent pays',
    '',
    'Total tokens (input summed over turns + output), with the number of turns and the peak context. Counted with ' +
      'o200k_base; each message adds 4 tokens of framing. Traditional: every tool definition of the servers the ' +
      "workload uses (JSON schema), each call's arguments and full result text appended, the context re-read each turn. " +
      'Code Mode: the codemode_run + codemode_api definitions from package.json, the API index with one-line signatures ' +
      '(what codemode_api answers), the script, the report (modelReport). Peer: its agent prompt ' +
      'and the interfaces of all tools of the servers used, the script, the JSON of its result. All end with the same answer text.',
    '',
    tokenTable(report),
    '',
    'The same when the agent holds every tool of the three servers this bench configures (28 tools), as a chat agent ' +
      "with those servers enabled does, and Code Mode's index lists all three:",
    '',
    allServersTable(report),
    '',
    "Code Mode's texts, in tokens:",
    '',
    partsTable(report),
    '',
    '## Targets',
    '',
    targetTable(report),
    '',
    '## Behaviour differences observed',
    '',
    ...report.behaviour.map((line) => `- ${line}`),
    '',
    '## Where the time goes',
    '',
    breakdownTables(report.breakdown),
    '',
    analysis.trim(),
    '',
  ].join('\n');
}
