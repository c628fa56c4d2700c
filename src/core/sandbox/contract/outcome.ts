import type { ClockRecording, ExecuteResult, LogEntry, ScriptError } from './executor';
import { isScriptFrame, scriptPosition } from './wire';

/** What the sandbox prelude's `runScript` hands back, from either backend. */
export interface ScriptOutcome {
  ok: boolean;
  /** The result's JSON, when the script succeeded and returned a value. */
  json?: string;
  /** True when the script succeeded but its result could not be returned. */
  result?: boolean;
  error?: { name: string; message: string; stack?: string };
  droppedLogs: number;
  clock?: ClockRecording;
}

export function outcomeToResult(outcome: ScriptOutcome, logs: LogEntry[]): ExecuteResult {
  const clock = checkedClock(outcome.clock);
  if (outcome.ok) {
    return { ok: true, resultJson: outcome.json, logs, droppedLogs: outcome.droppedLogs, ...clock };
  }
  const thrown = outcome.error ?? { name: 'Error', message: 'unknown failure' };
  const error: ScriptError = {
    kind: outcome.result ? 'result' : 'script',
    name: thrown.name,
    message: thrown.message,
    ...scriptPosition(thrown.stack),
    stack: scriptFrames(thrown.stack),
  };
  return { ok: false, error, logs, droppedLogs: outcome.droppedLogs, ...clock };
}

/** The sandbox reports its clock values: a script could have spoiled them (Array.prototype), so only numbers pass. */
function checkedClock(clock: ClockRecording | undefined): { clock?: ClockRecording } {
  if (!clock || !Array.isArray(clock.now) || !Array.isArray(clock.random)) {
    return {};
  }
  const numbers = (values: unknown[]) => values.filter((value): value is number => typeof value === 'number');
  return { clock: { now: numbers(clock.now), random: numbers(clock.random), complete: clock.complete === true } };
}

/** Only the script's own frames: the sandbox's hold no host paths, but they are noise to a model. */
export function scriptFrames(stack: string | undefined): string | undefined {
  const frames = stack?.split('\n').filter((line) => isScriptFrame(line));
  return frames?.length ? frames.map((line) => line.trim()).join('\n') : undefined;
}

export function timeoutError(timeoutMs: number): ScriptError {
  return { kind: 'timeout', name: 'TimeoutError', message: `The script ran longer than its ${timeoutMs} ms time limit and was stopped` };
}

export function memoryError(memoryMb: number): ScriptError {
  return { kind: 'memory', name: 'MemoryLimitError', message: `The script used more than its ${memoryMb} MB memory limit and was stopped` };
}

export function cancelledError(): ScriptError {
  return { kind: 'cancelled', name: 'CancelledError', message: 'The run was cancelled' };
}

export function failure(error: ScriptError): ExecuteResult {
  return { ok: false, error, logs: [], droppedLogs: 0 };
}
