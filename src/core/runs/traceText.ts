import type { RunRecord } from './runRecord';

const maxValueChars = 2_000;

/**
 * A recorded run as a person reads it: what ran and how it ended, the script with line numbers and the failing line
 * marked, the calls in order with their timings, the console, the result, and the token account.
 */
export function traceText(record: RunRecord): string {
  const lines: string[] = [];
  const outcome = record.ok ? 'succeeded' : `failed: ${record.error?.name ?? 'Error'}: ${record.error?.message ?? ''}`;
  lines.push(
    `Code Mode run ${record.id} (${record.origin}${record.label ? `, ${record.label}` : ''})`,
    `${record.startedAt.replace('T', ' ').slice(0, 19)} UTC, ${record.durationMs} ms on ${record.backend}: ${outcome}`,
  );
  if (record.tokens) {
    const { traditional, script, received, saved } = record.tokens;
    lines.push(
      `Tokens (o200k estimate): ${saved.toLocaleString('en-US')} saved; calling the tools one by one would have read and written ${traditional.toLocaleString('en-US')}, the script took ${script.toLocaleString('en-US')} and its report ${received.toLocaleString('en-US')}`,
    );
  }
  lines.push('', '── Script ──');
  const scriptLines = record.script.split('\n');
  const width = String(scriptLines.length).length;
  scriptLines.forEach((text, index) => {
    const number = index + 1;
    const failing = !record.ok && record.error?.line === number;
    lines.push(`${failing ? '▶' : ' '} ${String(number).padStart(width)} │ ${text}`);
    if (failing) {
      const column = record.error?.column ?? 1;
      lines.push(`  ${' '.repeat(width)} │ ${' '.repeat(Math.max(0, column - 1))}^ ${record.error?.name}: ${record.error?.message}`);
    }
  });
  lines.push('', `── Calls (${record.calls.length}) ──`);
  record.calls.forEach((call, index) => {
    lines.push(
      `${index + 1}. +${call.atMs} ms  ${call.server}.${call.tool}  ${call.ok ? 'ok' : 'failed'}  ${call.ms} ms`,
      `   args: ${shorten(JSON.stringify(call.args))}`,
      call.ok
        ? `   result: ${call.reply && !call.reply.error ? shorten(JSON.stringify(call.reply.value)) : `(${call.replyChars} characters, not kept)`}`
        : `   error: ${call.error}`,
    );
  });
  lines.push('', `── Console (${record.logs.length}${record.droppedLogs ? ` shown, ${record.droppedLogs} dropped` : ''}) ──`);
  lines.push(...record.logs.map((entry) => `[${entry.level}] ${entry.text}`));
  lines.push('', '── Result ──');
  if (record.ok) {
    lines.push(
      record.resultJson === undefined ? '(no value returned)' : prettyJson(record.resultJson) + (record.resultTruncated ? '\n… (cut)' : ''),
    );
  } else {
    lines.push(`${record.error?.name}: ${record.error?.message}`, ...(record.error?.stack ? [record.error.stack] : []));
  }
  lines.push('', '── What the model received ──', record.report, '');
  return lines.join('\n');
}

function shorten(text: string | undefined): string {
  const value = text ?? 'undefined';
  return value.length > maxValueChars ? `${value.slice(0, maxValueChars)}… (${value.length} characters)` : value;
}

function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
