import type { LogEntry, LogLevel, SandboxLimits } from './executor';
import type { ScriptOutcome } from './outcome';

/**
 * The host's side of the sandbox boundary: what the sandbox hands over is checked here again, where a script cannot
 * reach, whatever it did to the prelude inside. Both backends use these on every crossing.
 */

/** Longest server or tool name a call may carry (MCP advises at most 128 characters). */
export const maxNameChars = 1_000;
const logLevels = new Set<string>(['log', 'info', 'warn', 'error', 'debug']);
const truncationMark = '… [truncated]';

/** Why a tool call from the sandbox is refused before it reaches the tool call handler; undefined when it may go. */
export function refusedCall(server: unknown, tool: unknown, argsJson: unknown, limits: SandboxLimits): string | undefined {
  if (typeof server !== 'string' || typeof tool !== 'string' || typeof argsJson !== 'string') {
    return 'A tool call needs the server and tool names and its arguments as strings';
  }
  if (server.length > maxNameChars || tool.length > maxNameChars) {
    return `A server or tool name is longer than ${maxNameChars} characters`;
  }
  if (argsJson.length > limits.maxResultChars) {
    return `The arguments are too large: ${argsJson.length} characters of JSON (limit ${limits.maxResultChars})`;
  }
  return undefined;
}

/** The console as the host keeps it: the run's entry and character caps, enforced on the host's side. */
export class LogSink {
  readonly logs: LogEntry[] = [];
  dropped = 0;
  private chars = 0;

  constructor(private readonly limits: SandboxLimits) {}

  add(level: unknown, text: unknown): void {
    const { maxLogEntries, maxLogChars } = this.limits;
    if (typeof level !== 'string' || !logLevels.has(level) || typeof text !== 'string') {
      this.dropped++;
      return;
    }
    if (this.logs.length >= maxLogEntries || this.chars >= maxLogChars) {
      this.dropped++;
      return;
    }
    // The prelude cuts the same way, so an entry it cut passes unchanged.
    const room = maxLogChars - this.chars;
    const kept = text.length > room ? text.slice(0, room) + truncationMark : text;
    this.chars += kept.length;
    this.logs.push({ level: level as LogLevel, text: kept });
  }
}

/**
 * The outcome the prelude handed over, checked field by field: a forged one fails the run as a sandbox error, and a
 * result over the cap fails as the prelude would have.
 */
export function readOutcome(outcomeJson: unknown, resultJson: unknown, limits: SandboxLimits): ScriptOutcome {
  const forged = (why: string): ScriptOutcome => ({
    ok: false,
    error: { name: 'SandboxError', message: `The sandbox handed over an invalid outcome (${why})` },
    droppedLogs: 0,
  });
  if (typeof outcomeJson !== 'string' || outcomeJson.length > limits.maxResultChars) {
    return forged('not a string of bounded size');
  }
  if (resultJson !== undefined && typeof resultJson !== 'string') {
    return forged('the result is not JSON text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(outcomeJson);
  } catch {
    return forged('not JSON');
  }
  const outcome = parsed as Partial<ScriptOutcome> | null;
  if (
    typeof outcome !== 'object' ||
    outcome === null ||
    typeof outcome.ok !== 'boolean' ||
    !Number.isSafeInteger(outcome.droppedLogs) ||
    outcome.droppedLogs! < 0 ||
    (outcome.result !== undefined && typeof outcome.result !== 'boolean')
  ) {
    return forged('fields of the wrong type');
  }
  const droppedLogs = outcome.droppedLogs!;
  // Checked value by value where it becomes a result (outcomeToResult).
  const clock = outcome.clock === undefined ? {} : { clock: outcome.clock };
  if (!outcome.ok) {
    const error = outcome.error as Partial<Record<string, unknown>> | undefined;
    if (
      typeof error !== 'object' ||
      error === null ||
      typeof error.name !== 'string' ||
      typeof error.message !== 'string' ||
      (error.stack !== undefined && typeof error.stack !== 'string')
    ) {
      return forged('an error of the wrong shape');
    }
    const stack = error.stack as string | undefined;
    return { ok: false, result: outcome.result, error: { name: error.name, message: error.message, stack }, droppedLogs, ...clock };
  }
  if (resultJson === undefined) {
    return { ok: true, droppedLogs, ...clock };
  }
  if (resultJson.length > limits.maxResultChars) {
    const message = `The result is too large: ${resultJson.length} characters of JSON (limit ${limits.maxResultChars}); return a summary instead`;
    return { ok: false, result: true, error: { name: 'RangeError', message }, droppedLogs, ...clock };
  }
  try {
    JSON.parse(resultJson);
  } catch {
    return forged('the result is not JSON');
  }
  return { ok: true, json: resultJson, droppedLogs, ...clock };
}
