import { hostLimits } from '../limits';
import { displayName, indentContinuation, inert } from '../safeText';
import type { RunResult } from './engine';

const maxLogLines = 50;
/** Distinct tools named one by one in the call summary. */
const maxSummaryTools = 20;

/** The text a model receives for a run: the result (or the error with its line), console output, and a call summary. */
export function modelReport(run: RunResult): string {
  const parts: string[] = [];
  if (run.ok) {
    parts.push(run.stats.truncated ? `Result (cut to fit; ${run.stats.resultChars} characters in all):` : 'Result:', inert(run.text));
  } else {
    parts.push(`The script failed: ${inertBlock(run.text)}`);
  }
  if (run.logs.length > 0) {
    const shown = run.logs.slice(0, maxLogLines).map((entry) => `[${entry.level}] ${inertBlock(entry.text)}`);
    const hidden = run.logs.length - shown.length + run.stats.droppedLogs;
    parts.push('', 'Console:', ...shown, ...(hidden > 0 ? [`… ${hidden} more entries not shown`] : []));
  }
  parts.push('', callSummary(run));
  for (const { server, message } of run.unavailable ?? []) {
    parts.push(`Server "${server}" was not available in this run: ${message}`);
  }
  if (!run.ok) {
    parts.push('Fix the script and run it again.');
  }
  return parts.join('\n');
}

function callSummary(run: RunResult): string {
  if (run.calls.length === 0) {
    return `No tool calls; ${run.stats.durationMs} ms.`;
  }
  const counts = new Map<string, { ok: number; failed: number }>();
  for (const call of run.calls) {
    const key = `${displayName(call.server, hostLimits.maxNameChars)}.${displayName(call.tool, hostLimits.maxNameChars)}`;
    const count = counts.get(key) ?? { ok: 0, failed: 0 };
    count[call.ok ? 'ok' : 'failed']++;
    counts.set(key, count);
  }
  const items = [...counts]
    .slice(0, maxSummaryTools)
    .map(([name, { ok, failed }]) => `${name} ×${ok + failed}${failed ? ` (${failed} failed)` : ''}`);
  const more = counts.size > maxSummaryTools ? `, ${counts.size - maxSummaryTools} more tools` : '';
  return `Tool calls: ${run.calls.length} (${items.join(', ')}${more}); ${run.stats.durationMs} ms.`;
}

/** Text a script or server chose, made inert; its continuation lines indented so none passes for a line of the report. */
function inertBlock(text: string): string {
  return indentContinuation(inert(text), '  ');
}
