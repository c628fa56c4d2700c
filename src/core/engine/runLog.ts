import { hostLimits } from '../limits';
import type { Logger } from '../logger';
import { displayName, indentContinuation, inert } from '../safeText';
import type { RunResult } from './engine';

const maxCodeChars = 4_000;

/** One run in the "Code Mode" log: where it came from, its code, its calls, console output, result size or error. */
export function logRun(log: Logger, origin: string, code: string, run: RunResult): void {
  const outcome = run.ok ? 'succeeded' : `failed (${run.error?.kind})`;
  log.info(
    `run from ${origin} ${outcome} in ${run.stats.durationMs} ms on ${run.stats.backend}: ${run.calls.length} tool call(s), result ${run.stats.resultChars} characters${run.stats.truncated ? ' (cut for the model)' : ''}`,
  );
  log.debug(
    `code:\n${code.length > maxCodeChars ? `${code.slice(0, maxCodeChars)}\n… (${code.length - maxCodeChars} more characters)` : code}`,
  );
  const { maxLoggedCalls, maxNameChars } = hostLimits;
  for (const call of run.calls.slice(0, maxLoggedCalls)) {
    const name = `${displayName(call.server, maxNameChars)}.${displayName(call.tool, maxNameChars)}`;
    log.info(`  call ${name} ${call.ok ? 'ok' : 'failed'} ${call.ms} ms${call.error ? `: ${shown(call.error)}` : ''}`);
  }
  if (run.calls.length > maxLoggedCalls) {
    log.info(`  … ${run.calls.length - maxLoggedCalls} more calls`);
  }
  for (const entry of run.logs) {
    log.info(`  console.${entry.level}: ${shown(entry.text)}`);
  }
  if (run.stats.droppedLogs > 0) {
    log.info(`  … ${run.stats.droppedLogs} console entries dropped`);
  }
  if (!run.ok) {
    log.error(`  ${shown(run.text)}${run.error?.stack ? `\n    ${shown(run.error.stack)}` : ''}`);
  }
}

/** Script and server text made inert, continuation lines indented under their entry. */
function shown(text: string): string {
  return indentContinuation(inert(text), '    ');
}
