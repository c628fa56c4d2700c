import type { CallToolResult } from '@modelcontextprotocol/client';
import type { CallOptions } from './serverConnection';
import type { ServerTools, ToolInfo } from './toolInfo';

/** How a call reaches a tool source: the run's signal and time, and what the caller that started the run handed in. */
export interface SourceCallOptions extends CallOptions {
  /**
   * Opaque to core: whatever the run was started with for sources that call back into their host (in VS Code, the chat
   * request's `toolInvocationToken`, so the editor shows its own confirmations in the chat).
   */
  invocation?: unknown;
}

/** What a source offers now; `note` is the source's own (trusted) word on it, shown in the API index. */
export interface SourceTools {
  tools: ToolInfo[];
  note?: string;
}

/**
 * Tools that come from somewhere other than an MCP connection Code Mode runs (the editor's own tools), offered to
 * scripts beside the servers as one more `mcp.<name>` namespace. Core knows only this shape; the host implements it.
 */
export interface ToolSource {
  readonly name: string;
  /** `served`: the tools of the servers Code Mode runs itself, so a source can leave out the same tools offered twice. */
  listTools(served: readonly ServerTools[]): Promise<SourceTools>;
  callTool(tool: string, args: Record<string, unknown>, options: SourceCallOptions): Promise<CallToolResult>;
}
