import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle } from 'quickjs-emscripten-core';
import { errorMessage } from '../../errors';
import type { ExecuteRequest, ExecuteResult, LogEntry, ScriptError, ToolCallHandler } from '../contract/executor';
import { LogSink, readOutcome, refusedCall } from '../contract/boundary';
import { WakeUp } from '../contract/wakeUp';
import { RunClock } from '../contract/runClock';
import { errorReply, scriptFileName, scriptOpening, scriptPosition, setupFileName } from '../contract/wire';
import { quickJsBootstrap } from './bootstrap';
import type { Vm } from './quickJsMemory';
import { cancelledError, memoryError, outcomeToResult, timeoutError, type ScriptOutcome } from '../contract/outcome';

/** One script in one fresh VM: host functions, the job loop, the limits, and the outcome. */
export class QuickJsRun {
  private readonly sink: LogSink;
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  private readonly wakeUp: WakeUp;
  /** Stops while a person decides on a call; the interrupt handler's checks use its deadline, which does not. */
  readonly clock: RunClock;
  private stopped?: ScriptError;
  private outcome?: ScriptOutcome;
  private ended = false;
  /** A host-side exception escaped the VM: its state is not to be trusted, not even to free it. */
  trapped = false;
  private settle!: () => void;
  private readonly settled = new Promise<void>((resolve) => (this.settle = resolve));
  private readonly onAbort = () => this.stop(cancelledError());

  constructor(
    private readonly vm: Vm,
    private readonly request: ExecuteRequest,
    private readonly onToolCall: ToolCallHandler,
    private readonly signal: AbortSignal | undefined,
  ) {
    const { timeoutMs } = request.limits;
    this.clock = new RunClock(timeoutMs);
    this.wakeUp = new WakeUp(() => this.clock.deadline);
    this.sink = new LogSink(request.limits);
    // The interrupt handler stops running code; this stops a run that waits on something that never comes.
    this.clock.start(() => this.stop(timeoutError(timeoutMs)));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    vm.runtime.setInterruptHandler(() => this.shouldInterrupt());
  }

  async execute(): Promise<ExecuteResult> {
    // The wrapper's line is joined to the script's first, so lines match the script's.
    const joined = this.request.code.startsWith(`${scriptOpening}\n`);
    const line1Shift = joined ? scriptOpening.length : 0;
    const start = this.setUp(line1Shift);
    if (start) {
      this.launch(start, joined ? scriptOpening + this.request.code.slice(scriptOpening.length + 1) : this.request.code, line1Shift);
      start.dispose();
    }
    await this.settled;
    const { logs, dropped } = this.sink;
    if (this.stopped) {
      return { ok: false, error: this.stopped, logs, droppedLogs: dropped };
    }
    const result = toResult(this.outcome!, logs, this.request.limits.memoryMb);
    return { ...result, droppedLogs: result.droppedLogs + dropped };
  }

  /** Ends the run for good: nothing touches the VM after this, so it can be disposed. */
  end(): void {
    this.ended = true;
    this.clock.end();
    this.wakeUp.end();
    this.signal?.removeEventListener('abort', this.onAbort);
    if (!this.trapped) {
      this.deferreds.forEach((deferred) => deferred.dispose());
    }
    this.deferreds.clear();
  }

  /** Defines the globals through the bootstrap; returns its `start(main)`, or nothing when that failed. */
  private setUp(line1Shift: number): QuickJSHandle | undefined {
    const { context } = this.vm;
    const { limits } = this.request;
    // Each string arrives as the JSON of a string (see quickJsBootstrap); argument handles die when a function returns.
    const exact = (handle: QuickJSHandle): unknown =>
      context.typeof(handle) === 'string' ? parseExact(context.getString(handle)) : undefined;
    const hostFunctions = [
      context.newFunction('callHost', (serverHandle, toolHandle, argsHandle) => {
        const [server, tool, argsJson] = [exact(serverHandle), exact(toolHandle), exact(argsHandle)];
        const refused = refusedCall(server, tool, argsJson, limits);
        const reply = Promise.resolve()
          .then(() =>
            refused
              ? errorReply({ name: 'TypeError', message: refused })
              : this.onToolCall(server as string, tool as string, argsJson as string),
          )
          .catch((error: unknown) => errorReply({ name: 'Error', message: errorMessage(error) }));
        return this.hostPromise(reply);
      }),
      context.newFunction('logHost', (level, text) => this.sink.add(exact(level), exact(text))),
      context.newFunction('wakeHost', (ms) => this.hostPromise(this.wakeUp.request(context.getNumber(ms)).then(() => undefined))),
      context.newFunction('doneHost', (outcome, json) => this.finish(readOutcome(exact(outcome), exact(json), limits))),
    ];
    try {
      const source = quickJsBootstrap(this.request.bindings, this.request.limits, line1Shift, this.request.clock);
      const setUp = this.valueOf(this.enter(() => context.evalCode(source, setupFileName)));
      if (!setUp) {
        return undefined;
      }
      try {
        return this.valueOf(this.enter(() => context.callFunction(setUp, context.undefined, ...hostFunctions)));
      } finally {
        setUp.dispose();
      }
    } finally {
      hostFunctions.forEach((handle) => handle.dispose());
    }
  }

  /** Compiles the script and runs it up to its first await; jobs and host events take it from there. */
  private launch(start: QuickJSHandle, code: string, line1Shift: number): void {
    const { context } = this.vm;
    const main = this.enter(() => context.evalCode(code, scriptFileName));
    if (main?.error) {
      const thrown = this.consumeError(main.error);
      this.stop(thrown.name === 'SyntaxError' ? syntaxError(thrown, line1Shift) : this.vmFailure(thrown.message));
      return;
    }
    if (main) {
      // `start` catches what the script throws: only an interrupt or a failed allocation fails this call.
      this.valueOf(this.enter(() => context.callFunction(start, context.undefined, main.value)))?.dispose();
      main.value.dispose();
      this.drain();
    }
  }

  /** The value of a VM call; when the call failed, the run stops and there is none. */
  private valueOf(result: ReturnType<QuickJSContext['evalCode']> | undefined): QuickJSHandle | undefined {
    if (result?.error) {
      this.stop(this.vmFailure(this.consumeError(result.error).message));
      return undefined;
    }
    return result?.value;
  }

  /** A promise in the VM that settles with the host's: the bridge that keeps tool calls concurrent. */
  private hostPromise(settlement: Promise<string | undefined>): QuickJSHandle {
    const { context } = this.vm;
    const deferred = context.newPromise();
    this.deferreds.add(deferred);
    void settlement.then((value) => {
      if (this.ended || this.isOver()) {
        return;
      }
      this.deferreds.delete(deferred);
      this.enter(() => {
        const handle = value === undefined ? context.undefined : context.newString(value);
        deferred.resolve(handle);
        handle.dispose();
      });
      this.drain();
    });
    return deferred.handle;
  }

  /** Runs the jobs the last host event made ready (promise reactions), until none are left. */
  private drain(): void {
    while (!this.isOver()) {
      const jobs = this.enter(() => this.vm.runtime.executePendingJobs());
      if (!jobs) {
        return;
      }
      if (jobs.error) {
        // Script errors reject promises; only an interrupt or a failed allocation escapes a job.
        const thrown = this.consumeError(jobs.error);
        this.stop(this.vmFailure(thrown.message));
        return;
      }
      if (jobs.value === 0) {
        return;
      }
    }
  }

  /** Calls into the VM; a host-side exception (a trap, the host's stack) ends the run. */
  private enter<T>(action: () => T): T | undefined {
    try {
      const value = action();
      this.checkMemory();
      return value;
    } catch (error: unknown) {
      this.trapped = true;
      this.stop(this.hostFailure(error));
      return undefined;
    }
  }

  private finish(outcome: ScriptOutcome): void {
    // Native code (a huge JSON.parse) runs without interrupt checks: a result that comes late is a timeout, as in V8.
    if (Date.now() >= this.clock.deadline) {
      this.stop(timeoutError(this.request.limits.timeoutMs));
    }
    this.checkMemory();
    if (!this.isOver()) {
      this.outcome = outcome;
      this.settle();
    }
  }

  private stop(error: ScriptError): void {
    if (!this.isOver()) {
      this.stopped = error;
      this.settle();
    }
  }

  private isOver(): boolean {
    return this.stopped !== undefined || this.outcome !== undefined;
  }

  /** Runs every so many operations, in every job too, so it also stops code that loops after an await. */
  private shouldInterrupt(): boolean {
    if (Date.now() > this.clock.deadline) {
      this.stop(timeoutError(this.request.limits.timeoutMs));
    } else if (this.signal?.aborted) {
      this.stop(cancelledError());
    }
    this.checkMemory();
    return this.isOver();
  }

  private checkMemory(): void {
    if (this.vm.memoryExhausted()) {
      this.stop(memoryError(this.request.limits.memoryMb));
    }
  }

  private consumeError(handle: QuickJSHandle): { name: string; message: string; stack?: string } {
    try {
      const dumped = this.vm.context.dump(handle) as { name?: unknown; message?: unknown; stack?: unknown } | null;
      return {
        name: String(dumped?.name ?? 'Error'),
        message: String(dumped?.message ?? dumped),
        stack: typeof dumped?.stack === 'string' ? dumped.stack : undefined,
      };
    } catch (error: unknown) {
      return { name: 'Error', message: errorMessage(error) };
    } finally {
      handle.dispose();
    }
  }

  /** An error that escaped the script's own handling: QuickJS ran out of memory, or something broke. */
  private vmFailure(message: string): ScriptError {
    if (/out of memory/i.test(message)) {
      return memoryError(this.request.limits.memoryMb);
    }
    return { kind: 'sandbox', name: 'SandboxError', message: `The sandbox failed: ${message}` };
  }

  private hostFailure(error: unknown): ScriptError {
    const message = errorMessage(error);
    if (error instanceof RangeError && /call stack/i.test(message)) {
      // Deep recursion in QuickJS exhausts the host's stack: it is the script's error, as in V8, if uncatchable here.
      return { kind: 'script', name: 'RangeError', message };
    }
    return this.vmFailure(message);
  }
}

/** As outcomeToResult, but QuickJS's own "out of memory" errors are the memory limit, as they would be in V8. */
function toResult(outcome: ScriptOutcome, logs: LogEntry[], memoryMb: number): ExecuteResult {
  const thrown = outcome.error;
  if (thrown?.name === 'InternalError' && thrown.message === 'stack overflow') {
    // QuickJS's own stack limit: V8 reports it as a RangeError, and so does the contract.
    return outcomeToResult({ ...outcome, error: { ...thrown, name: 'RangeError', message: 'Maximum call stack size exceeded' } }, logs);
  }
  if (
    thrown &&
    ((thrown.name === 'InternalError' && thrown.message === 'out of memory') ||
      (outcome.result && thrown.message.endsWith(': out of memory')))
  ) {
    return { ok: false, error: memoryError(memoryMb), logs, droppedLogs: outcome.droppedLogs };
  }
  return outcomeToResult(outcome, logs);
}

function parseExact(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function syntaxError(thrown: { message: string; stack?: string }, line1Shift: number): ScriptError {
  const { line, column } = scriptPosition(thrown.stack);
  return {
    kind: 'syntax',
    name: 'SyntaxError',
    message: thrown.message,
    line,
    column: column === undefined ? undefined : line === 1 ? Math.max(1, column - line1Shift) : column,
  };
}
