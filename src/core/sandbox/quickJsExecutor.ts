import { readFile } from 'node:fs/promises';
import type { EmscriptenModuleLoaderOptions, QuickJSContext, QuickJSSyncVariant, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { errorMessage } from '../errors';
import { silentLogger, type Logger } from '../logger';
import type { ExecuteRequest, ExecuteResult, Executor, LogEntry, LogLevel, ScriptError, ToolCallHandler } from './executor';
import { scriptFileName } from './executor';
import { quickJsBootstrap, quickJsBootstrapFileName } from './quickJsBootstrap';

export interface QuickJsExecutorOptions {
  logger?: Logger;
  /** QuickJS's .wasm file, for a bundle that ships it; by default the one in node_modules. */
  wasmPath?: string;
  /** QuickJS's debug build, whose disposal fails when a handle leaked (tests). */
  debug?: boolean;
}

/** The part of WebAssembly used here: Node has it, the project's `lib` (ES2023, no DOM) does not declare it. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
};

interface Vm {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  /** True once QuickJS's heap needed more than the run's memory. */
  memoryExhausted(): boolean;
}

const MiB = 1024 * 1024;
const pageBytes = 64 * 1024;
/** What the build declares it starts with (stack, static data, QuickJS's own heap): given on top of the budget. */
const releaseBaseBytes = 16 * MiB;
/** The debug build (address sanitizer) needs about 83 MB before any script runs. */
const debugBaseBytes = 128 * MiB;
/** The build's own ceiling for its memory. */
const maxBytes = 2048 * MiB;
/** The engine's wrapper (engine/transpile.ts): its line is joined to the script's first, so lines match the script's. */
const wrapperLine = '(async function () {';

/**
 * The fallback backend where no plain Node >= 24 runs isolated-vm: QuickJS compiled to WASM, in process. Each run
 * gets a fresh WASM instance with its own memory (compiled once), so nothing survives a run and a blown heap is
 * thrown away. Memory is bounded by the size of that WASM memory, not by QuickJS's `setMemoryLimit` alone, which
 * does not count large strings and typed arrays: see `memoryFor`.
 */
export class QuickJsExecutor implements Executor {
  readonly name = 'quickjs';
  private readonly logger: Logger;
  private compiled?: Promise<WasmModule>;

  constructor(private readonly options: QuickJsExecutorOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  async execute(request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult> {
    if (signal?.aborted) {
      return failure(cancelledError());
    }
    let vm: Vm;
    try {
      vm = await this.newVm(request.limits.memoryMb);
    } catch (error: unknown) {
      this.compiled = undefined;
      return failure({ kind: 'sandbox', name: 'SandboxError', message: `The QuickJS sandbox could not start: ${errorMessage(error)}` });
    }
    const run = new QuickJsRun(vm, request, onToolCall, signal);
    try {
      return await run.execute();
    } catch (error: unknown) {
      return failure({ kind: 'sandbox', name: 'SandboxError', message: `The sandbox failed: ${errorMessage(error)}` });
    } finally {
      run.end();
      if (run.trapped) {
        // A trap (the host's stack, an abort) leaves QuickJS inconsistent: freeing it would only fail. Dropped whole.
        this.logger.debug('QuickJS instance dropped without disposal after a trap');
      } else {
        disposeVm(vm, this.logger);
      }
    }
  }

  async dispose(): Promise<void> {
    this.compiled = undefined;
  }

  private async newVm(memoryMb: number): Promise<Vm> {
    const quickjs = await import('quickjs-emscripten');
    const wasmModule = await (this.compiled ??= this.compile());
    const { memory, memoryExhausted } = memoryFor(memoryMb, this.options.debug ? debugBaseBytes : releaseBaseBytes);
    // Emscripten prints aborts to the console; they belong in our log.
    const emscriptenModule: EmscriptenModuleLoaderOptions & { print(text: string): void; printErr(text: string): void } = {
      print: (text) => this.logger.trace(`[quickjs] ${text}`),
      printErr: (text) => this.logger.debug(`[quickjs] ${text}`),
    };
    const variant = syncVariant(quickjs, this.options.debug === true);
    const module = await quickjs.newQuickJSWASMModuleFromVariant(quickjs.newVariant(variant, { wasmModule, wasmMemory: memory, emscriptenModule }));
    const runtime = module.newRuntime();
    // Refuses one allocation over the budget early; the memory's size bounds the sum (strings and buffers included).
    runtime.setMemoryLimit(memoryMb * MiB);
    return { runtime, context: runtime.newContext(), memoryExhausted };
  }

  private async compile(): Promise<WasmModule> {
    const started = performance.now();
    const path = this.options.wasmPath ?? require.resolve(`@jitl/quickjs-wasmfile-${this.options.debug ? 'debug' : 'release'}-sync/wasm`);
    const compiled = await WebAssembly.compile(await readFile(path));
    this.logger.info(`QuickJS fallback sandbox compiled in ${Math.round(performance.now() - started)} ms (${path})`);
    return compiled;
  }
}

/**
 * The plain (not asyncify) build. Its own loader `import()`s Emscripten's ESM glue, which needs `import.meta.url`, and
 * a CommonJS bundle (esbuild.mjs) has none: `require` picks the CommonJS glue instead.
 */
function syncVariant(quickjs: typeof import('quickjs-emscripten'), debug: boolean): QuickJSSyncVariant {
  return debug
    ? { ...quickjs.DEBUG_SYNC, importModuleLoader: async () => require('@jitl/quickjs-wasmfile-debug-sync/emscripten-module') }
    : { ...quickjs.RELEASE_SYNC, importModuleLoader: async () => require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') };
}

/**
 * A fresh memory for one run, all of it from the start: the build's base plus the run's budget. It never grows, so
 * QuickJS cannot take more, and views on it stay valid (quickjs-emscripten reads out-parameters through views made
 * before a call; a growth inside the call detaches them, and it then leaks a context and misreads results).
 * Emscripten asks to grow it only when its heap is full: that is the limit, and the run stops at the next check.
 */
function memoryFor(memoryMb: number, baseBytes: number): { memory: WasmMemory; memoryExhausted(): boolean } {
  const pages = Math.ceil(Math.min(maxBytes, baseBytes + memoryMb * MiB) / pageBytes);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  let exhausted = false;
  memory.grow = () => {
    exhausted = true;
    throw new RangeError('The run has no more memory');
  };
  return { memory, memoryExhausted: () => exhausted };
}

function disposeVm(vm: Vm, logger: Logger): void {
  try {
    vm.context.dispose();
    vm.runtime.dispose();
  } catch (error: unknown) {
    // The instance is dropped either way; a failure here means a leaked handle or a trapped instance.
    logger.warn(`QuickJS sandbox disposal failed: ${errorMessage(error)}`);
  }
}

interface Outcome {
  ok: boolean;
  json?: string;
  result?: boolean;
  error?: { name: string; message: string; stack?: string };
  droppedLogs: number;
}

/** One script in one fresh VM: host functions, the job loop, the limits, and the outcome. */
class QuickJsRun {
  private readonly logs: LogEntry[] = [];
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deadline: number;
  private readonly watchdog: NodeJS.Timeout;
  private stopped?: ScriptError;
  private outcome?: Outcome;
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
    this.deadline = Date.now() + timeoutMs;
    // The interrupt handler stops running code; this stops a run that waits on something that never comes.
    this.watchdog = setTimeout(() => this.stop(timeoutError(timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', this.onAbort, { once: true });
    vm.runtime.setInterruptHandler(() => this.shouldInterrupt());
  }

  async execute(): Promise<ExecuteResult> {
    const joined = this.request.code.startsWith(`${wrapperLine}\n`);
    const line1Shift = joined ? wrapperLine.length : 0;
    const start = this.setUp(line1Shift);
    if (start) {
      this.launch(start, joined ? wrapperLine + this.request.code.slice(wrapperLine.length + 1) : this.request.code, line1Shift);
      start.dispose();
    }
    await this.settled;
    if (this.stopped) {
      return { ok: false, error: this.stopped, logs: this.logs, droppedLogs: 0 };
    }
    return toResult(this.outcome!, this.logs, this.request.limits.memoryMb);
  }

  /** Ends the run for good: nothing touches the VM after this, so it can be disposed. */
  end(): void {
    this.ended = true;
    clearTimeout(this.watchdog);
    this.timers.forEach(clearTimeout);
    this.signal?.removeEventListener('abort', this.onAbort);
    if (!this.trapped) {
      this.deferreds.forEach((deferred) => deferred.dispose());
    }
    this.deferreds.clear();
  }

  /** Defines the globals through the bootstrap; returns its `start(main)`, or nothing when that failed. */
  private setUp(line1Shift: number): QuickJSHandle | undefined {
    const { context } = this.vm;
    const hostFunctions = [
      context.newFunction('callHost', (serverHandle, toolHandle, argsHandle) => {
        // Argument handles die when this returns: read them now.
        const [server, tool, argsJson] = [serverHandle, toolHandle, argsHandle].map((handle) => context.getString(handle));
        const reply = Promise.resolve()
          .then(() => this.onToolCall(server, tool, argsJson))
          .catch((error: unknown) => JSON.stringify({ error: { name: 'Error', message: errorMessage(error) } }));
        return this.hostPromise(reply);
      }),
      context.newFunction('logHost', (level, text) => {
        this.logs.push({ level: context.getString(level) as LogLevel, text: context.getString(text) });
      }),
      context.newFunction('sleepHost', (ms) => this.hostPromise(this.sleep(context.getNumber(ms)))),
      context.newFunction('doneHost', (outcome, json) => {
        this.finish({ ...(JSON.parse(context.getString(outcome)) as Outcome), json: context.typeof(json) === 'string' ? context.getString(json) : undefined });
      }),
    ];
    try {
      const source = quickJsBootstrap(this.request.bindings, this.request.limits, line1Shift);
      const setUp = this.valueOf(this.enter(() => context.evalCode(source, quickJsBootstrapFileName)));
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

  private sleep(ms: number): Promise<undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(undefined);
      }, Math.min(ms, Math.max(0, this.deadline - Date.now())));
      this.timers.add(timer);
    });
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

  private finish(outcome: Outcome): void {
    // Native code (a huge JSON.parse) runs without interrupt checks: a result that comes late is a timeout, as in V8.
    if (Date.now() > this.deadline) {
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
    if (Date.now() > this.deadline) {
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
      return { name: String(dumped?.name ?? 'Error'), message: String(dumped?.message ?? dumped), stack: typeof dumped?.stack === 'string' ? dumped.stack : undefined };
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

function toResult(outcome: Outcome, logs: LogEntry[], memoryMb: number): ExecuteResult {
  if (outcome.ok) {
    return { ok: true, resultJson: outcome.json, logs, droppedLogs: outcome.droppedLogs };
  }
  const thrown = outcome.error ?? { name: 'Error', message: 'unknown failure' };
  // QuickJS refused an allocation (setMemoryLimit) and the script let the error through: in V8 that is fatal.
  if ((thrown.name === 'InternalError' && thrown.message === 'out of memory') || (outcome.result && thrown.message.endsWith(': out of memory'))) {
    return { ok: false, error: memoryError(memoryMb), logs, droppedLogs: outcome.droppedLogs };
  }
  const error: ScriptError = {
    kind: outcome.result ? 'result' : 'script',
    name: thrown.name,
    message: thrown.message,
    ...positionIn(thrown.stack),
    stack: scriptFrames(thrown.stack),
  };
  return { ok: false, error, logs, droppedLogs: outcome.droppedLogs };
}

/** The first frame in the script gives the line and column (the bootstrap already mapped them to the script's). */
function positionIn(stack: string | undefined): { line?: number; column?: number } {
  const match = stack && /script\.ts:(\d+):(\d+)/.exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

function scriptFrames(stack: string | undefined): string | undefined {
  const frames = stack?.split('\n').filter((line) => line.includes(scriptFileName));
  return frames?.length ? frames.map((line) => line.trim()).join('\n') : undefined;
}

function syntaxError(thrown: { message: string; stack?: string }, line1Shift: number): ScriptError {
  const { line, column } = positionIn(thrown.stack);
  return {
    kind: 'syntax',
    name: 'SyntaxError',
    message: thrown.message,
    line,
    column: column === undefined ? undefined : line === 1 ? Math.max(1, column - line1Shift) : column,
  };
}

function timeoutError(timeoutMs: number): ScriptError {
  return { kind: 'timeout', name: 'TimeoutError', message: `The script ran longer than its ${timeoutMs} ms time limit and was stopped` };
}

function memoryError(memoryMb: number): ScriptError {
  return { kind: 'memory', name: 'MemoryLimitError', message: `The script used more than its ${memoryMb} MB memory limit and was stopped` };
}

function cancelledError(): ScriptError {
  return { kind: 'cancelled', name: 'CancelledError', message: 'The run was cancelled' };
}

function failure(error: ScriptError): ExecuteResult {
  return { ok: false, error, logs: [], droppedLogs: 0 };
}
