import { hostLimits } from '../limits';
import { displayName, indentContinuation, inert, quoted } from '../safeText';
import { defaultReportBytes } from '../defaults';
import { condense } from './condense';
import type { RunResult } from './engine';
import { byteLength, cutToBytes } from './utf8';

const maxLogLines = 50;

/** UTF-8 bytes per token assumed when turning VS Code's token budget into bytes (JSON runs ~3 per o200k token). */
const bytesPerToken = 3;
/** Below this a report cannot say anything useful; a budget that small is a host's mistake. */
const minReportBytes = 1_000;

/**
 * The report's budget in UTF-8 bytes: the smaller of the host's token budget and `maxBytes` (Copilot Chat writes a
 * tool result over 8 KB to a file and makes the model read it back, one more round).
 */
export function reportBudget(tokenBudget: number | undefined, maxBytes: number = defaultReportBytes): number {
  const fromTokens = tokenBudget && tokenBudget > 0 ? tokenBudget * bytesPerToken : Infinity;
  return Math.max(minReportBytes, Math.floor(Math.min(maxBytes, fromTokens)));
}

/**
 * The text a model receives for a run: the result (or the error with its line), console output, and a call summary,
 * together within `budgetBytes` UTF-8 bytes.
 */
export function modelReport(run: RunResult, budgetBytes: number = defaultReportBytes): string {
  const summary = callSummary(run);
  const unavailable = (run.unavailable ?? []).map(
    ({ server, message }) => `Server ${quoted(server, hostLimits.maxNameChars)} was not available in this run: ${inert(message)}`,
  );
  const closing = [...unavailable, ...(run.ok ? [] : ['Fix the script and run it again.'])];
  // Room for the parts cut to fit: the budget less the fixed parts, the result's heading and the line breaks.
  const room = budgetBytes - byteLength([summary, ...closing].join('\n')) - 200;
  const logs = consoleLines(run);
  const logEntries = run.logs.length + run.stats.droppedLogs;
  const body = run.ok ? condense(run.result, Infinity).text : `The script failed: ${inertBlock(run.text)}`;
  const [bodyBytes, logBytes] = [byteLength(body), byteLength(fitLines(logs, Infinity, logEntries).join('\n'))];
  // The result comes first; console output keeps at least a quarter of the room when both do not fit.
  const logRoom = bodyBytes + logBytes <= room ? logBytes : Math.min(logBytes, Math.max(Math.floor(room / 4), room - bodyBytes));
  const bodyRoom = Math.max(0, room - logRoom);

  const parts: string[] = [];
  if (run.ok) {
    const condensed = condense(run.result, bodyRoom);
    parts.push(
      condensed.truncated
        ? `Result (cut to fit ${count(budgetBytes)} bytes; ${count(condensed.totalChars)} characters in all; return a smaller summary to see the rest):`
        : 'Result:',
      inert(condensed.text),
    );
  } else {
    parts.push(bodyBytes <= bodyRoom ? body : `${cutToBytes(body, bodyRoom)}…`);
  }
  if (logs.length > 0) {
    parts.push('', 'Console:', ...fitLines(logs, logRoom, logEntries));
  }
  parts.push('', summary, ...closing);
  return cutToBytes(parts.join('\n'), budgetBytes);
}

function consoleLines(run: RunResult): string[] {
  return run.logs.slice(0, maxLogLines).map((entry) => `[${entry.level}] ${inertBlock(entry.text)}`);
}

/** The first lines that fit in `roomBytes` (the last one cut), then how many entries in all were left out. */
function fitLines(lines: string[], roomBytes: number, totalEntries: number): string[] {
  const notice = (hidden: number) => `… ${count(hidden)} more entries not shown`;
  if (lines.length === totalEntries && byteLength(lines.join('\n')) <= roomBytes) {
    return lines;
  }
  let left = roomBytes - byteLength(notice(totalEntries)) - 1;
  const shown: string[] = [];
  for (const line of lines) {
    const size = byteLength(line) + 1;
    if (size <= left) {
      shown.push(line);
      left -= size;
      continue;
    }
    if (left > 40) {
      shown.push(`${cutToBytes(line, left - 4)}…`);
    }
    break;
  }
  const hidden = totalEntries - shown.length;
  return hidden > 0 ? [...shown, notice(hidden)] : shown;
}

/** Characters of the call summary's tool list; a run calling many tools names the first and counts the rest. */
const maxSummaryChars = 600;

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
  const items = [...counts].map(([name, { ok, failed }]) => `${name} ×${ok + failed}${failed ? ` (${failed} failed)` : ''}`);
  let listed = items.join(', ');
  if (listed.length > maxSummaryChars) {
    let kept = 0;
    let length = -2;
    while (length + 2 + items[kept].length <= maxSummaryChars) {
      length += 2 + items[kept++].length;
    }
    listed = `${items.slice(0, kept).join(', ')}, and ${items.length - kept} more tools`;
  }
  return `Tool calls: ${run.calls.length} (${listed}); ${run.stats.durationMs} ms.`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Text a script or server chose, made inert; its continuation lines indented so none passes for a line of the report. */
function inertBlock(text: string): string {
  return indentContinuation(inert(text), '  ');
}
