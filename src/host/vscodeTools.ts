import type { CallToolResult } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { CodeModeError } from '../core/errors';
import { duplicatesServedTool, extensionToolAllowed, isCodeModeTool } from '../core/mcp/editorToolPolicy';
import type { ServerTools, ToolInfo } from '../core/mcp/toolInfo';
import type { SourceCallOptions, SourceTools, ToolSource } from '../core/mcp/toolSource';
import { readSettings } from './settings';
import { toCallToolResult } from './vscodeToolResult';

/** The namespace of VS Code's tools in a script: `mcp.vscode.<tool>`, `mcp.call('vscode', '<tool id>', args)`. */
export const vscodeSourceName = 'vscode';

const note =
  "Tools VS Code offers, called through VS Code (its confirmations and sign-ins apply): the MCP servers VS Code runs, listed only once VS Code has started them (the user starts one with 'MCP: List Servers' > Start Server, or sets chat.mcp.autostart), and other extensions' tools the user opted into (codeMode.vscodeTools.extensionTools).";

/**
 * VS Code's own tools (`vscode.lm.tools`) as a tool source: the MCP servers VS Code runs (tagged `mcp`; other
 * extensions' and OAuth-signed ones included), unless they repeat a server Code Mode runs itself, and the other
 * extensions' tools the user's patterns name (never Code Mode's own). Calls go through `vscode.lm.invokeTool` with
 * the chat's invocation token.
 */
export class VscodeToolSource implements ToolSource {
  readonly name = vscodeSourceName;

  async listTools(served: readonly ServerTools[]): Promise<SourceTools> {
    const tools = this.reachable().filter((tool) => !(isMcp(tool) && duplicatesServedTool(tool, served)));
    return { tools: tools.map(toToolInfo), note };
  }

  async callTool(tool: string, args: Record<string, unknown>, options: SourceCallOptions): Promise<CallToolResult> {
    if (!this.reachable().some((candidate) => candidate.name === tool)) {
      throw new CodeModeError(`VS Code offers no tool "${tool}" to scripts (not started, not opted into, or not allowed)`);
    }
    const cancel = new vscode.CancellationTokenSource();
    const signals = [options.signal, options.timeoutMs === undefined ? undefined : AbortSignal.timeout(Math.ceil(options.timeoutMs))];
    const stop = () => cancel.cancel();
    for (const signal of signals) {
      signal?.addEventListener('abort', stop, { once: true });
    }
    try {
      const token = options.invocation as vscode.ChatParticipantToolToken | undefined;
      return toCallToolResult(await vscode.lm.invokeTool(tool, { input: args, toolInvocationToken: token }, cancel.token));
    } finally {
      for (const signal of signals) {
        signal?.removeEventListener('abort', stop);
      }
      cancel.dispose();
    }
  }

  /** The tools a script may reach now, by the user's settings (read fresh: they are application-scoped). */
  private reachable(): vscode.LanguageModelToolInformation[] {
    const settings = readSettings();
    return vscode.lm.tools.filter((tool) => {
      if (isCodeModeTool(tool.name)) {
        return false;
      }
      return isMcp(tool) ? settings.vscodeMcpTools : extensionToolAllowed(tool.name, settings.extensionTools);
    });
  }
}

function isMcp(tool: vscode.LanguageModelToolInformation): boolean {
  return tool.tags.includes('mcp');
}

function toToolInfo(tool: vscode.LanguageModelToolInformation): ToolInfo {
  const schema = tool.inputSchema as ToolInfo['inputSchema'] | undefined;
  return { name: tool.name, description: tool.description, inputSchema: schema ?? { type: 'object', properties: {} } };
}
