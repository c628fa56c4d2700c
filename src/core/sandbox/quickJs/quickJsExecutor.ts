import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../errors';
import { silentLogger, type Logger } from '../../logger';
import type { ExecuteRequest, ExecuteResult, Executor, ToolCallHandler } from '../contract/executor';
import { errorReply } from '../contract/wire';
import { IdlePool } from '../idlePool';
import { cancelledError, failure, timeoutError } from '../contract/outcome';
import { RunClock, once } from '../contract/runClock';
import { compileWasm, releaseBaseBytes, type WasmModule } from './quickJsMemory';
import type { FromWorker, QuickJsBuild, ToWorker } from './workerMessages';

export type { QuickJsBuild } from './workerMessages';

export interface QuickJsExecutorOptions {
  logger?: Logger;
  /** The build's .wasm file: the bundle ships the release build's beside itself (esbuild.mjs). */
  wasmPath: string;
  /** The bundled worker entry (dist/quickJsWorker.js). */
  workerScript: string;
  /** Another QuickJS build than the release one, e.g. the debug build whose disposal fails on a leaked handle (tests). */
  build?: QuickJsBuild;
}

/** Slack after a run's time limit for the worker to report its own timeout before it is terminated. */
const terminateGraceMs = 100;
/** How long a worker may take to start and set up a run (a cold start loads the bundle and instantiates QuickJS). */
const startTimeoutMs = 15_000;
/** Heap of a worker itself (QuickJS's memory is a WASM memory of the run's size, outside it). */
const workerHeapMb = 256;

/**
 * The fallback backend where no plain Node can run isolated-vm: QuickJS compiled to WASM, run in a worker thread so
 * nothing a script does keeps the host's thread busy; the worker is terminated when a run overruns its time limit.
 * Each run gets a worker of its own (idle ones are kept for the next runs, see IdlePool) and a fresh WASM instance with its own memory,
 * so one run's failure cannot touch another's. Memory is bounded by the size of that WASM memory (see `memoryFor`).
 */
export class QuickJsExecutor implements Executor {
  readonly name = 'quickjs';
  private readonly logger: Logger;
  private compiled?: Promise<WasmModule>;
  /** Idle workers, ready for the next runs. */
  private readonly idle = new IdlePool<Worker>((worker) => void worker.terminate());
  private readonly busy = new Set<Worker>();

  constructor(private readonly options: QuickJsExecutorOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  prepare(): void {
    this.compile().catch(() => undefined);
    if (this.idle.size === 0) {
      this.idle.keep(this.startWorker());
    }
  }

  async execute(request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult> {
    if (signal?.aborted) {
      return failure(cancelledError());
    }
    let wasmModule: WasmModule;
    try {
      wasmModule = await this.compile();
    } catch (error: unknown) {
      this.compiled = undefined;
      return failure({ kind: 'sandbox', name: 'SandboxError', message: `The QuickJS sandbox could not start: ${errorMessage(error)}` });
    }
    if (signal?.aborted) {
      // Cancelled before the run started: nothing runs.
      return failure(cancelledError());
    }
    const worker = this.idle.take() ?? this.startWorker();
    this.busy.add(worker);
    const build = this.options.build ?? { baseBytes: releaseBaseBytes };
    return new Promise<ExecuteResult>((resolve) => {
      let over = false;
      const end = (result: ExecuteResult, reusable: boolean) => {
        if (over) {
          return;
        }
        over = true;
        clearTimeout(starting);
        running?.end();
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.busy.delete(worker);
        if (!reusable || !this.idle.keep(worker)) {
          void worker.terminate();
        }
        resolve(result);
      };
      const starting = setTimeout(
        () => end(failure({ kind: 'sandbox', name: 'SandboxError', message: 'The QuickJS worker did not start in time' }), false),
        startTimeoutMs,
      );
      let running: RunClock | undefined;
      // The worker stops a script at its deadline itself; one stuck in a long native call is terminated.
      const onStarted = () => {
        clearTimeout(starting);
        running = new RunClock(request.limits.timeoutMs + terminateGraceMs).start(() => {
          this.logger.warn('QuickJS worker did not stop at the time limit; terminating it');
          end(failure(timeoutError(request.limits.timeoutMs)), false);
        });
      };
      // Both clocks stop while a person decides on a call: this one and the worker's.
      const holdClock = () => {
        running?.hold();
        this.send(worker, { type: 'hold' });
        return once(() => {
          running?.release();
          if (!over) {
            this.send(worker, { type: 'release' });
          }
        });
      };
      const onAbort = () => end(failure(cancelledError()), false);
      const onMessage = (message: FromWorker) => {
        if (message.type === 'started') {
          onStarted();
        } else if (message.type === 'done') {
          end(message.result, true);
        } else if (message.type === 'log') {
          this.logger[message.level](message.text);
        } else {
          void Promise.resolve()
            .then(() => onToolCall(message.server, message.tool, message.argsJson, holdClock))
            .catch((error: unknown) => errorReply({ name: 'Error', message: errorMessage(error) }))
            .then((resultJson) => over || this.send(worker, { type: 'callResult', callId: message.callId, resultJson }));
        }
      };
      const onError = (error: Error) =>
        end(failure({ kind: 'sandbox', name: 'SandboxError', message: `The QuickJS worker failed: ${errorMessage(error)}` }), false);
      const onExit = (code: number) =>
        end(failure({ kind: 'sandbox', name: 'SandboxError', message: `The QuickJS worker exited (code ${code})` }), false);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      this.send(worker, { type: 'run', request, wasmModule, build });
    });
  }

  async dispose(): Promise<void> {
    this.compiled = undefined;
    const workers = [...this.busy, ...this.idle.drain()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private startWorker(): Worker {
    const worker = new Worker(this.options.workerScript, {
      // Nothing of the host's environment is needed there.
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
    });
    // An idle worker must not keep the CLI's process alive, nor fail unheard.
    worker.unref();
    worker.on('error', (error) => this.logger.debug(`QuickJS worker error: ${errorMessage(error)}`));
    worker.on('exit', () => this.idle.forget(worker));
    return worker;
  }

  private send(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private compile(): Promise<WasmModule> {
    return (this.compiled ??= (async () => {
      const started = performance.now();
      const path = this.options.wasmPath;
      const compiled = await compileWasm(await readFile(path));
      this.logger.info(`QuickJS fallback sandbox compiled in ${Math.round(performance.now() - started)} ms (${path})`);
      return compiled;
    })());
  }
}
