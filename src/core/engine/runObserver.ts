import type { CallToolResult } from '@modelcontextprotocol/client';
import type { ApiBinding } from '../codegen/identifiers';
import type { SandboxLimits } from '../sandbox/contract/executor';

/** A tool call as it starts: `id` counts the run's calls from 0 in the order the script made them. */
export interface CallStart {
  id: number;
  server: string;
  tool: string;
  argsJson: string;
}

export interface CallEnd extends CallStart {
  ms: number;
  ok: boolean;
  error?: string;
  /** The reply the script received (a ToolReply as JSON). */
  replyJson: string;
  /** The server's result as it arrived, when there was one. */
  result?: CallToolResult;
  /** The call needed the user's approval: given, or refused (then it never reached the server). */
  approval?: 'approved' | 'refused';
}

/**
 * Watches one run from the engine's side (runs/ records it, the editor shows progress). Optional for callers;
 * called synchronously, so an observer keeps its work small and leaves the heavy part for after the run.
 */
export interface RunObserver {
  runStarted?(info: { backend: string; limits: SandboxLimits; bindings: readonly ApiBinding[] }): void;
  callStarted?(call: CallStart): void;
  callEnded?(call: CallEnd): void;
}
