import type { ExecuteRequest, ExecuteResult } from './executor';

/** Messages from the extension host (or CLI) to the sandbox host process. */
export type ToSandbox =
  | { type: 'run'; runId: number; request: ExecuteRequest }
  | { type: 'callResult'; runId: number; callId: number; resultJson: string }
  | { type: 'cancel'; runId: number }
  /** A person is deciding on one of the run's calls: its clock stops until `release` (see RunClock). */
  | { type: 'hold'; runId: number }
  | { type: 'release'; runId: number };

/** Messages from the sandbox host process back. */
export type FromSandbox =
  | { type: 'ready'; nodeVersion: string; isolatedVmVersion: string }
  | { type: 'call'; runId: number; callId: number; server: string; tool: string; argsJson: string }
  | { type: 'done'; runId: number; result: ExecuteResult };
