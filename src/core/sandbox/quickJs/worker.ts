import { parentPort } from 'node:worker_threads';
import releaseSync from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type EmscriptenModuleLoaderOptions,
  type QuickJSSyncVariant,
} from 'quickjs-emscripten-core';
import { errorMessage } from '../../errors';
import type { ExecuteResult, ToolCallHandler } from '../contract/executor';
import { failure } from '../contract/outcome';
import { MiB, memoryFor, type Vm, type WasmModule } from './quickJsMemory';
import { QuickJsRun } from './quickJsRun';
import type { FromWorker, QuickJsBuild, ToWorker } from './workerMessages';

/**
 * Entry point of a QuickJS worker thread (dist/quickJsWorker.js). QuickJS runs here, not on the extension host's
 * thread: a long native call or a loop keeps only this thread busy, and the host terminates it at the deadline.
 */
const port = parentPort!;
const pendingCalls = new Map<number, (resultJson: string) => void>();
let nextCallId = 1;
/** The run under way: one at a time per worker. */
let current: QuickJsRun | undefined;

const send = (message: FromWorker) => port.postMessage(message);
const log = (level: 'trace' | 'debug' | 'warn', text: string) => send({ type: 'log', level, text });

const onToolCall: ToolCallHandler = (server, tool, argsJson) =>
  new Promise((resolve) => {
    const callId = nextCallId++;
    pendingCalls.set(callId, resolve);
    send({ type: 'call', callId, server, tool, argsJson });
  });

port.on('message', (message: ToWorker) => {
  if (message.type === 'callResult') {
    pendingCalls.get(message.callId)?.(message.resultJson);
    pendingCalls.delete(message.callId);
  } else if (message.type === 'hold') {
    current?.clock.hold();
  } else if (message.type === 'release') {
    current?.clock.release();
  } else {
    void run(message).then((result) => {
      pendingCalls.clear();
      send({ type: 'done', result });
    });
  }
});

async function run({ request, wasmModule, build }: Extract<ToWorker, { type: 'run' }>): Promise<ExecuteResult> {
  let vm: Vm;
  try {
    vm = await newVm(wasmModule, build, request.limits.memoryMb);
  } catch (error: unknown) {
    return failure({ kind: 'sandbox', name: 'SandboxError', message: `The QuickJS sandbox could not start: ${errorMessage(error)}` });
  }
  const run = new QuickJsRun(vm, request, onToolCall, undefined);
  current = run;
  // The run's clock starts now: the host's watchdog too.
  send({ type: 'started' });
  try {
    return await run.execute();
  } catch (error: unknown) {
    return failure({ kind: 'sandbox', name: 'SandboxError', message: `The sandbox failed: ${errorMessage(error)}` });
  } finally {
    current = undefined;
    run.end();
    if (run.trapped) {
      // A trap (the host's stack, an abort) leaves QuickJS inconsistent: freeing it would only fail. Dropped whole.
      log('debug', 'QuickJS instance dropped without disposal after a trap');
    } else {
      disposeVm(vm);
    }
  }
}

async function newVm(wasmModule: WasmModule, build: QuickJsBuild, memoryMb: number): Promise<Vm> {
  const { memory, memoryExhausted } = memoryFor(memoryMb, build.baseBytes);
  // Emscripten prints aborts to the console; they belong in the host's log.
  const emscriptenModule: EmscriptenModuleLoaderOptions & { print(text: string): void; printErr(text: string): void } = {
    print: (text) => log('trace', `[quickjs] ${text}`),
    printErr: (text) => log('debug', `[quickjs] ${text}`),
  };
  const module = await newQuickJSWASMModuleFromVariant(newVariant(variantOf(build), { wasmModule, wasmMemory: memory, emscriptenModule }));
  const runtime = module.newRuntime();
  // Refuses one allocation over the budget early; the memory's size bounds the sum (strings and buffers included).
  runtime.setMemoryLimit(memoryMb * MiB);
  return { runtime, context: runtime.newContext(), memoryExhausted };
}

/**
 * The plain (not asyncify) release build, bundled. Its own loader `import()`s Emscripten's ESM glue, which needs
 * `import.meta.url`, and a CommonJS bundle (esbuild.mjs) has none: `require` picks the CommonJS glue instead.
 * Another build (the debug one, in tests) is loaded from its package the same way.
 */
function variantOf(build: QuickJsBuild): QuickJSSyncVariant {
  const name = build.variantPackage;
  if (name === undefined) {
    return { ...releaseSync, importModuleLoader: async () => require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') };
  }
  const variant = (require(name) as { default: QuickJSSyncVariant }).default;
  return { ...variant, importModuleLoader: async () => require(`${name}/emscripten-module`) };
}

function disposeVm(vm: Vm): void {
  try {
    vm.context.dispose();
    vm.runtime.dispose();
  } catch (error: unknown) {
    // The instance is dropped either way; a failure here means a leaked handle or a trapped instance.
    log('warn', `QuickJS sandbox disposal failed: ${errorMessage(error)}`);
  }
}
