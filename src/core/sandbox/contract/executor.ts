import type { ApiBinding } from '../../codegen/identifiers';

/** Limits of one run. Every way a script can make the host work or allocate has one. */
export interface SandboxLimits {
  timeoutMs: number;
  memoryMb: number;
  /** Console entries kept; the rest are counted, not kept. */
  maxLogEntries: number;
  /** Characters of console text kept in all. */
  maxLogChars: number;
  /** Characters of the result's JSON; a bigger result fails the run with a clear error. */
  maxResultChars: number;
}

export interface ExecuteRequest {
  /** JavaScript source of one expression: an async function taking no arguments (see engine/transpile). */
  code: string;
  /** The `mcp.<server>.<tool>` members to define. */
  bindings: readonly ApiBinding[];
  limits: SandboxLimits;
  /** Record Date.now, `new Date()` and Math.random (and replay them from a recording): see runs/replay. */
  clock?: ClockPlan;
}

/** A run's clock: recorded as it is drawn, or replayed from an earlier recording (then recorded again). */
export interface ClockPlan {
  replay?: ClockRecording;
}

/** The values Date.now (or `new Date()`) and Math.random returned to a script, in order. */
export interface ClockRecording {
  now: number[];
  random: number[];
  /** False when the script drew more values than are kept. */
  complete: boolean;
}

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface LogEntry {
  level: LogLevel;
  text: string;
}

/** `check`: the type check before the run stopped it (src/core/check); the others come from running it. */
export type ScriptErrorKind = 'script' | 'syntax' | 'timeout' | 'memory' | 'result' | 'cancelled' | 'sandbox' | 'check';

export interface ScriptError {
  kind: ScriptErrorKind;
  name: string;
  message: string;
  line?: number;
  column?: number;
  /** Stack frames of the script only: the sandbox's own frames hold no host paths. */
  stack?: string;
}

export interface ExecuteResult {
  ok: boolean;
  /** The script's return value as JSON; absent when it returned undefined or failed. */
  resultJson?: string;
  error?: ScriptError;
  logs: LogEntry[];
  droppedLogs: number;
  /** With `ExecuteRequest.clock`, when the script ran to its end (a stopped script reports none). */
  clock?: ClockRecording;
}

/** Stops the run's clock while a person decides on a call; the returned function starts it again. */
export type HoldClock = () => () => void;

/**
 * Answers one tool call of a script with JSON: `{ "value": ... }` or `{ "error": { name, message, server, tool } }`.
 * `holdClock` is the executor's: the time a person takes to approve the call does not count against the run's limit.
 */
export type ToolCallHandler = (server: string, tool: string, argsJson: string, holdClock?: HoldClock) => Promise<string>;

/** Runs scripts with no ambient authority. `execute` never throws: every failure is an `ExecuteResult`. */
export interface Executor {
  readonly name: string;
  execute(request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult>;
  /** Starts what makes a first run slow (a process) without waiting for it, e.g. while servers connect. */
  prepare?(): void;
  dispose(): Promise<void>;
}
