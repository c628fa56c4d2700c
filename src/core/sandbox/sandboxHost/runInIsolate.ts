import type ivm from 'isolated-vm';
import { errorMessage } from '../../errors';
import type { ExecuteRequest, ExecuteResult, ScriptError, ToolCallHandler } from '../contract/executor';
import { scriptFileName, scriptPosition, setupFileName, withoutScriptPosition, wrapperLines, errorReply } from '../contract/wire';
import { cancelledError, memoryError, outcomeToResult, scriptFrames, timeoutError, type ScriptOutcome } from '../contract/outcome';
import { LogSink, readOutcome, refusedCall } from '../contract/boundary';
import { isolateBootstrap } from './bootstrap';
import { SpareIsolate } from './spareIsolate';
import { WakeUp } from '../contract/wakeUp';
import { RunClock } from '../contract/runClock';

const spare = new SpareIsolate();

/** Runs one script in a fresh isolate, inside the sandbox host process (see isolatedVm.ts). */
export async function runInIsolate(
  request: ExecuteRequest,
  onToolCall: ToolCallHandler,
  signal: AbortSignal,
  clockReady?: (clock: RunClock) => void,
): Promise<ExecuteResult> {
  const { limits } = request;
  const { isolate, context } = await spare.take(limits.memoryMb);
  const sink = new LogSink(limits);
  // While a person decides on a call, the isolate's CPU time still counts.
  const clock = new RunClock(limits.timeoutMs, () => (isolate.isDisposed ? 0 : Number(isolate.cpuTime / 1_000_000n)));
  clockReady?.(clock);
  const wakeUp = new WakeUp(() => clock.deadline);
  let stopped: ScriptError | undefined;
  let handOver!: (outcome: ScriptOutcome) => void;
  const handedOver = new Promise<ScriptOutcome>((resolve) => (handOver = resolve));
  const stop = (error: ScriptError) => {
    stopped ??= error;
    handOver({ ok: false, droppedLogs: 0 });
    if (!isolate.isDisposed) {
      isolate.dispose();
    }
  };
  // The eval timeout alone does not stop code that loops after an awaited call: this watchdog does.
  clock.start(() => stop(timeoutError(limits.timeoutMs)));
  const onAbort = () => stop(cancelledError());
  signal.addEventListener('abort', onAbort, { once: true });
  const withLogs = (result: ExecuteResult): ExecuteResult => ({
    ...result,
    logs: sink.logs,
    droppedLogs: result.droppedLogs + sink.dropped,
  });
  // A cancel that came while the isolate was being taken found no listener.
  if (signal.aborted) {
    onAbort();
  }
  try {
    const run = await context.evalClosure(
      isolateBootstrap(request.bindings, limits, request.clock),
      [
        async (server: unknown, tool: unknown, argsJson: unknown) => {
          const refused = refusedCall(server, tool, argsJson, limits);
          return refused
            ? errorReply({ name: 'TypeError', message: refused })
            : onToolCall(server as string, tool as string, argsJson as string);
        },
        (level: unknown, text: unknown) => sink.add(level, text),
        (ms: unknown) => wakeUp.request(ms),
        (outcomeJson: unknown, resultJson: unknown) => handOver(readOutcome(outcomeJson, resultJson, limits)),
      ],
      { arguments: { reference: true }, result: { reference: true }, filename: setupFileName },
    );
    const main = await evaluate(isolate, context, request.code);
    if ('kind' in main) {
      return withLogs({ ok: false, error: main, logs: [], droppedLogs: 0 });
    }
    // `run` settles once the outcome is handed over; it fails on an unhandled rejection. A script that broke its
    // promises cannot hold the outcome back: it comes through `done` whatever `run`'s promise does.
    const running = run.apply(undefined, [main.derefInto()], { result: { promise: true }, timeout: limits.timeoutMs });
    const outcome = await Promise.race([handedOver, running.then(() => handedOver)]);
    // The deadline is the host's: an outcome that comes at it or after is a timeout, whichever timer fired first.
    if (!stopped && !clock.held && Date.now() >= clock.deadline) {
      stop(timeoutError(limits.timeoutMs));
    }
    return withLogs(stopped ? { ok: false, error: stopped, logs: [], droppedLogs: 0 } : outcomeToResult(outcome, []));
  } catch (error: unknown) {
    return withLogs({ ok: false, error: stopped ?? infrastructureError(error, isolate, clock.deadline, limits), logs: [], droppedLogs: 0 });
  } finally {
    clock.end();
    signal.removeEventListener('abort', onAbort);
    wakeUp.end();
    // Disposed after the result is on its way, and the next isolate is made while the host is idle.
    setImmediate(() => isolate.isDisposed || isolate.dispose());
    spare.prepare(limits.memoryMb);
  }
}

/** Evaluates the script's async function expression: only a syntax error can be thrown here. */
async function evaluate(isolate: ivm.Isolate, context: ivm.Context, code: string): Promise<ivm.Reference | ScriptError> {
  try {
    return await context.eval(code, { filename: scriptFileName, lineOffset: -wrapperLines, reference: true });
  } catch (error: unknown) {
    if (isolate.isDisposed) {
      // Stopped (time, cancel) while compiling: the caller knows why; "Isolate is disposed" is no syntax error.
      throw error;
    }
    const message = errorMessage(error);
    const { line, column } = scriptPosition(message);
    return { kind: 'syntax', name: 'SyntaxError', message: withoutScriptPosition(message.replace(/^SyntaxError: /, '')), line, column };
  }
}

/** What failed the run, judged by the isolate's state rather than by a message a script could also throw. */
function infrastructureError(error: unknown, isolate: ivm.Isolate, deadline: number, limits: ExecuteRequest['limits']): ScriptError {
  const message = errorMessage(error);
  if (isolate.isDisposed) {
    // Nothing here disposed it: isolated-vm does so when the isolate runs out of memory.
    return /memory limit/i.test(message)
      ? memoryError(limits.memoryMb)
      : { kind: 'sandbox', name: 'SandboxError', message: `The sandbox failed: ${message}` };
  }
  if (Date.now() >= deadline && /timed out/i.test(message)) {
    return timeoutError(limits.timeoutMs);
  }
  // \`run\` catches whatever the script throws, so an isolate error that still escapes is a promise the script
  // rejected without handling it: isolated-vm fails the call with it, as Node would end the process.
  const stack = error instanceof Error ? error.stack : undefined;
  return {
    kind: 'script',
    name: error instanceof Error ? error.name : 'Error',
    message: `Unhandled promise rejection: ${message}`,
    ...scriptPosition(stack),
    stack: scriptFrames(stack),
  };
}
