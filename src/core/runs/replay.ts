import { defaultResultBudget } from '../defaults';
import type { RunObserver } from '../engine/runObserver';
import { toRunResult, type RunResult } from '../engine/runResult';
import type { ToolCallRecord } from '../engine/toolGateway';
import { transpile } from '../engine/transpile';
import type { ExecuteResult, Executor, ToolCallHandler } from '../sandbox/contract/executor';
import { errorReply } from '../sandbox/contract/wire';
import type { RecordedCall, RunRecord } from './runRecord';
import { RunRecorder } from './runRecorder';

export interface ReplayOptions {
  /** A changed script to run against the recording (default: the recorded one). */
  script?: string;
  signal?: AbortSignal;
  /** Told of each replayed call, as a live run's observer is. */
  observer?: RunObserver;
}

export interface Replay {
  run: RunResult;
  /** Records the replay itself (origin "replay"); finish it with the report to keep it. */
  recorder: RunRecorder;
  /** Whether the replay returned what the recorded run returned. */
  sameResult: boolean;
}

/**
 * Runs a recorded script again with no server: the n-th call gets the n-th recorded reply when it is the same call
 * (server, tool, arguments), else a ToolError saying it is not in the recording. Date.now, `new Date()` and
 * Math.random give the recorded values in order, so a replay of an unchanged script returns what the run returned.
 */
export async function replayRun(recorded: RunRecord, executor: Executor, options: ReplayOptions = {}): Promise<Replay> {
  const script = options.script ?? recorded.script;
  const recorder = new RunRecorder(
    { origin: 'replay', label: recorded.id, script },
    { replay: recorded.clock ?? { now: [], random: [], complete: true } },
  );
  const observers = [recorder, ...(options.observer ? [options.observer] : [])];
  const started = performance.now();
  const calls: ToolCallRecord[] = [];
  for (const observer of observers) {
    observer.runStarted?.({ backend: executor.name, limits: recorded.limits, bindings: recorded.bindings });
  }
  const transpiled = transpile(script);
  const execution: ExecuteResult = transpiled.ok
    ? await executor.execute(
        { code: transpiled.code, bindings: recorded.bindings, limits: recorded.limits, clock: recorder.clock },
        recordedReplies(recorded.calls, observers, calls),
        options.signal,
      )
    : { ok: false, error: transpiled.error, logs: [], droppedLogs: 0 };
  const run = toRunResult(execution, {
    calls,
    started,
    backend: executor.name,
    timeoutMs: recorded.limits.timeoutMs,
    resultBudget: defaultResultBudget,
  });
  const resultJson = run.result === undefined ? undefined : JSON.stringify(run.result);
  const sameResult = run.ok === recorded.ok && (recorded.resultTruncated ? false : resultJson === recorded.resultJson);
  return { run, recorder, sameResult };
}

/** Answers each call from the recording, in order. */
function recordedReplies(recording: readonly RecordedCall[], observers: readonly RunObserver[], calls: ToolCallRecord[]): ToolCallHandler {
  let next = 0;
  return async (server, tool, argsJson) => {
    const id = next++;
    for (const observer of observers) {
      observer.callStarted?.({ id, server, tool, argsJson });
    }
    const expected = recording[id];
    let error: string | undefined;
    let replyJson: string;
    if (!expected || expected.server !== server || expected.tool !== tool || JSON.stringify(expected.args) !== argsJson) {
      error = `${server}.${tool}(${shorten(argsJson)}) is not in the recording: ${
        expected
          ? `call ${id + 1} there is ${expected.server}.${expected.tool}(${shorten(JSON.stringify(expected.args))})`
          : `it has ${recording.length} call(s)`
      }`;
      replyJson = errorReply({ name: 'ToolError', message: error, server, tool });
    } else if (!expected.reply) {
      error = `The recorded result of ${server}.${tool} was too large to keep (${expected.replyChars} characters)`;
      replyJson = errorReply({ name: 'ToolError', message: error, server, tool });
    } else {
      error = expected.reply.error?.message;
      replyJson = JSON.stringify(expected.reply);
    }
    const ok = error === undefined;
    calls.push({ server, tool, ms: 0, ok, ...(ok ? {} : { error }) });
    for (const observer of observers) {
      observer.callEnded?.({ id, server, tool, argsJson, ms: 0, ok, replyJson, ...(ok ? {} : { error }) });
    }
    return replyJson;
  };
}

function shorten(json: string): string {
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}
