import type { CheckDiagnostic } from '../check/checkDiagnostic';
import { hostLimits } from '../limits';
import { clip } from '../safeText';
import type { ClockRecording, ExecuteResult, LogEntry, ScriptError } from '../sandbox/contract/executor';
import { condense } from './condense';
import type { ToolCallRecord } from './toolGateway';

export interface RunResult {
  ok: boolean;
  /** The script's return value (parsed back from JSON). */
  result?: unknown;
  /** What a model is shown: the condensed result, or the error with its position. */
  text: string;
  logs: LogEntry[];
  calls: ToolCallRecord[];
  error?: ScriptError;
  /** The problems that stopped the run before it started (error.name "TypeCheckError"). */
  diagnostics?: CheckDiagnostic[];
  /** Configured servers this run could not reach, with the reason (their calls failed with it). */
  unavailable?: Array<{ server: string; message: string }>;
  /** What Date.now, `new Date()` and Math.random returned, when the run asked for its clock to be recorded. */
  clock?: ClockRecording;
  stats: {
    durationMs: number;
    backend: string;
    droppedLogs: number;
    resultChars: number;
    truncated: boolean;
  };
}

export interface RunContext {
  calls: ToolCallRecord[];
  /** `performance.now()` when the run started. */
  started: number;
  backend: string;
  /** The time limit the user set (the executor only knows the time left when it started). */
  timeoutMs: number;
  /** UTF-8 bytes of condensed result text. */
  resultBudget: number;
}

/** An executor's outcome as the run's callers see it: the result parsed and condensed, or the error described. */
export function toRunResult(execution: ExecuteResult, { calls, started, backend, timeoutMs, resultBudget }: RunContext): RunResult {
  const error =
    execution.error?.kind === 'timeout'
      ? { ...execution.error, message: `The run exceeded its ${timeoutMs} ms time limit and was stopped` }
      : execution.error && bounded(execution.error);
  const result: unknown = execution.ok && execution.resultJson !== undefined ? JSON.parse(execution.resultJson) : undefined;
  const condensed = execution.ok ? condense(result, resultBudget) : undefined;
  return {
    ok: execution.ok,
    result,
    text: condensed?.text ?? describeError(error),
    logs: execution.logs,
    calls,
    error,
    ...(execution.clock ? { clock: execution.clock } : {}),
    stats: {
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      backend,
      droppedLogs: execution.droppedLogs,
      resultChars: condensed?.totalChars ?? 0,
      truncated: condensed?.truncated ?? false,
    },
  };
}

/** A script chooses its error's name, message and stack: each is cut, as results are. */
function bounded(error: ScriptError): ScriptError {
  const { maxNameChars, maxErrorChars } = hostLimits;
  return {
    ...error,
    name: clip(error.name, maxNameChars),
    message: clip(error.message, maxErrorChars),
    ...(error.stack === undefined ? {} : { stack: clip(error.stack, maxErrorChars) }),
  };
}

function describeError(error: ScriptError | undefined): string {
  if (!error) {
    return 'Error: the run failed for an unknown reason';
  }
  const where = error.line === undefined ? '' : ` (line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`})`;
  return `${error.name}: ${error.message}${where}`;
}
