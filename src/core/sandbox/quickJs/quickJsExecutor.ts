import { readFile } from 'node:fs/promises';
import releaseSync from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type EmscriptenModuleLoaderOptions,
  type QuickJSSyncVariant,
} from 'quickjs-emscripten-core';
import { errorMessage } from '../../errors';
import { silentLogger, type Logger } from '../../logger';
import type { ExecuteRequest, ExecuteResult, Executor, ToolCallHandler } from '../contract/executor';
import { compileWasm, MiB, memoryFor, releaseBaseBytes, type Vm, type WasmModule } from './quickJsMemory';
import { QuickJsRun } from './quickJsRun';
import { cancelledError, failure } from '../contract/outcome';

export interface QuickJsExecutorOptions {
  logger?: Logger;
  /** The build's .wasm file: the bundle ships the release build's beside itself (esbuild.mjs). */
  wasmPath: string;
  /** Another QuickJS build than the release one, e.g. the debug build whose disposal fails on a leaked handle (tests). */
  build?: QuickJsBuild;
}

/**
 * The fallback backend where no plain Node can run isolated-vm: QuickJS compiled to WASM, in process. Each run
 * gets a fresh WASM instance with its own memory (compiled once), so nothing survives a run and a blown heap is
 * thrown away. Memory is bounded by the size of that WASM memory, not by QuickJS's `setMemoryLimit` alone, which
 * does not count large strings and typed arrays: see `memoryFor`.
 */
export class QuickJsExecutor implements Executor {
  readonly name = 'quickjs';
  private readonly logger: Logger;
  private compiled?: Promise<WasmModule>;

  private get build(): QuickJsBuild {
    return this.options.build ?? releaseBuild;
  }

  constructor(private readonly options: QuickJsExecutorOptions) {
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
    if (signal?.aborted) {
      // Cancelled while the VM was made: its listener would come too late.
      disposeVm(vm, this.logger);
      return failure(cancelledError());
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
    const wasmModule = await (this.compiled ??= this.compile());
    const { memory, memoryExhausted } = memoryFor(memoryMb, this.build.baseBytes);
    // Emscripten prints aborts to the console; they belong in our log.
    const emscriptenModule: EmscriptenModuleLoaderOptions & { print(text: string): void; printErr(text: string): void } = {
      print: (text) => this.logger.trace(`[quickjs] ${text}`),
      printErr: (text) => this.logger.debug(`[quickjs] ${text}`),
    };
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(this.build.variant, { wasmModule, wasmMemory: memory, emscriptenModule }),
    );
    const runtime = module.newRuntime();
    // Refuses one allocation over the budget early; the memory's size bounds the sum (strings and buffers included).
    runtime.setMemoryLimit(memoryMb * MiB);
    return { runtime, context: runtime.newContext(), memoryExhausted };
  }

  private async compile(): Promise<WasmModule> {
    const started = performance.now();
    const path = this.options.wasmPath;
    const compiled = await compileWasm(await readFile(path));
    this.logger.info(`QuickJS fallback sandbox compiled in ${Math.round(performance.now() - started)} ms (${path})`);
    return compiled;
  }
}

/** A QuickJS WASM build (its .wasm file is `wasmPath`): its loader, and the memory it needs before any script runs. */
export interface QuickJsBuild {
  variant: QuickJSSyncVariant;
  baseBytes: number;
}

/**
 * The plain (not asyncify) release build. Its own loader `import()`s Emscripten's ESM glue, which needs
 * `import.meta.url`, and a CommonJS bundle (esbuild.mjs) has none: `require` picks the CommonJS glue instead.
 */
const releaseBuild: QuickJsBuild = {
  variant: { ...releaseSync, importModuleLoader: async () => require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') },
  baseBytes: releaseBaseBytes,
};

function disposeVm(vm: Vm, logger: Logger): void {
  try {
    vm.context.dispose();
    vm.runtime.dispose();
  } catch (error: unknown) {
    // The instance is dropped either way; a failure here means a leaked handle or a trapped instance.
    logger.warn(`QuickJS sandbox disposal failed: ${errorMessage(error)}`);
  }
}
