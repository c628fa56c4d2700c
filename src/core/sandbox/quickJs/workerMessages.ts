import type { ExecuteRequest, ExecuteResult } from '../contract/executor';
import type { WasmModule } from './quickJsMemory';

/** A QuickJS WASM build as the worker loads it: a quickjs-emscripten sync variant's package, or the bundled release. */
export interface QuickJsBuild {
  /** Package of the variant (its `/emscripten-module` beside it); the release build when absent. */
  variantPackage?: string;
  /** What the build needs before any script runs. */
  baseBytes: number;
}

/** The extension host (or CLI) to its QuickJS worker: one run at a time. */
export type ToWorker =
  | { type: 'run'; request: ExecuteRequest; wasmModule: WasmModule; build: QuickJsBuild }
  | { type: 'callResult'; callId: number; resultJson: string }
  /** A person is deciding on a call: the run's clock stops until `release` (see RunClock). */
  | { type: 'hold' }
  | { type: 'release' };

export type FromWorker =
  | { type: 'started' }
  | { type: 'call'; callId: number; server: string; tool: string; argsJson: string }
  | { type: 'log'; level: 'trace' | 'debug' | 'warn'; text: string }
  | { type: 'done'; result: ExecuteResult };
