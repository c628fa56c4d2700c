import type ivm from 'isolated-vm';
import { errorMessage } from '../../errors';
import type { ExecuteRequest, ExecuteResult, LogEntry, LogLevel, ScriptError, ToolCallHandler } from '../contract/executor';
import { scriptFileName, scriptPosition, setupFileName, withoutScriptPosition, wrapperLines } from '../contract/wire';
import { cancelledError, memoryError, outcomeToResult, scriptFrames, timeoutError, type ScriptOutcome } from '../contract/outcome';
import { isolateBootstrap } from './bootstrap';
import { SpareIsolate } from './spareIsolate';

const spare = new SpareIsolate();

/** Runs one script in a fresh isolate, inside the sandbox host process (see isolatedVm.ts). */
export async function runInIsolate(request: ExecuteRequest, onToolCall: ToolCallHandler, signal: AbortSignal): Promise<ExecuteResult> {
  const { limits } = request;
  const { isolate, context } = await spare.take(limits.memoryMb);
  const logs: LogEntry[] = [];
  const deadline = Date.now() + limits.timeoutMs;
  const timers = new Set<NodeJS.Timeout>();
  let stopped: ScriptError | undefined;
  const stop = (error: ScriptError) => {
    stopped ??= error;
    if (!isolate.isDisposed) {
      isolate.dispose();
    }
  };
  // The eval timeout alone does not stop code that loops after an awaited call: this watchdog does.
  const watchdog = setTimeout(() => stop(timeoutError(limits.timeoutMs)), limits.timeoutMs);
  const onAbort = () => stop(cancelledError());
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            resolve();
          },
          Math.min(ms, Math.max(0, deadline - Date.now())),
        );
        timers.add(timer);
      });
    const run = await context.evalClosure(
      isolateBootstrap(request.bindings, limits, request.clock),
      [
        (server: string, tool: string, argsJson: string) => onToolCall(server, tool, argsJson),
        (level: LogLevel, text: string) => void logs.push({ level, text }),
        sleep,
      ],
      { arguments: { reference: true }, result: { reference: true }, filename: setupFileName },
    );
    const main = await evaluate(context, request.code);
    if ('kind' in main) {
      return { ok: false, error: main, logs, droppedLogs: 0 };
    }
    const outcome = (await run.apply(undefined, [main.derefInto()], {
      result: { promise: true, copy: true },
      timeout: limits.timeoutMs,
    })) as ScriptOutcome;
    return outcomeToResult(outcome, logs);
  } catch (error: unknown) {
    return { ok: false, error: stopped ?? infrastructureError(error, limits.memoryMb, limits.timeoutMs), logs, droppedLogs: 0 };
  } finally {
    clearTimeout(watchdog);
    signal.removeEventListener('abort', onAbort);
    timers.forEach(clearTimeout);
    // Disposed after the result is on its way, and the next isolate is made while the host is idle.
    setImmediate(() => isolate.isDisposed || isolate.dispose());
    spare.prepare(limits.memoryMb);
  }
}

/** Evaluates the script's async function expression: only a syntax error can be thrown here. */
async function evaluate(context: ivm.Context, code: string): Promise<ivm.Reference | ScriptError> {
  try {
    return await context.eval(code, { filename: scriptFileName, lineOffset: -wrapperLines, reference: true });
  } catch (error: unknown) {
    const message = errorMessage(error);
    const { line, column } = scriptPosition(message);
    return { kind: 'syntax', name: 'SyntaxError', message: withoutScriptPosition(message.replace(/^SyntaxError: /, '')), line, column };
  }
}

function infrastructureError(error: unknown, memoryMb: number, timeoutMs: number): ScriptError {
  const message = errorMessage(error);
  if (/memory limit/i.test(message)) {
    return memoryError(memoryMb);
  }
  if (/timed out/i.test(message)) {
    return timeoutError(timeoutMs);
  }
  if (/isolate|disposed/i.test(message)) {
    return { kind: 'sandbox', name: 'SandboxError', message: `The sandbox failed: ${message}` };
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
