import type { QuickJSContext, QuickJSRuntime } from 'quickjs-emscripten-core';

/** The part of WebAssembly used here: Node has it, the project's `lib` (ES2023, no DOM) does not declare it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
};

export interface Vm {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  /** True once QuickJS's heap needed more than the run's memory. */
  memoryExhausted(): boolean;
}

export const MiB = 1024 * 1024;
const pageBytes = 64 * 1024;
/** What the build declares it starts with (stack, static data, QuickJS's own heap): given on top of the budget. */
export const releaseBaseBytes = 16 * MiB;
/** The build's own ceiling for its memory. */
const maxBytes = 2048 * MiB;
/**
 * A fresh memory for one run, all of it from the start: the build's base plus the run's budget. It never grows, so
 * QuickJS cannot take more, and views on it stay valid (quickjs-emscripten reads out-parameters through views made
 * before a call; a growth inside the call detaches them, and it then leaks a context and misreads results).
 * Emscripten asks to grow it only when its heap is full: that is the limit, and the run stops at the next check.
 */
export function memoryFor(memoryMb: number, baseBytes: number): { memory: WasmMemory; memoryExhausted(): boolean } {
  const pages = Math.ceil(Math.min(maxBytes, baseBytes + memoryMb * MiB) / pageBytes);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  let exhausted = false;
  memory.grow = () => {
    exhausted = true;
    throw new RangeError('The run has no more memory');
  };
  return { memory, memoryExhausted: () => exhausted };
}

/** Compiles QuickJS's WebAssembly once per process; each run instantiates it afresh. */
export function compileWasm(bytes: Uint8Array): Promise<WasmModule> {
  return WebAssembly.compile(bytes);
}
