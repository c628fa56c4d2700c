import * as vscode from 'vscode';
import { apiIndex } from '../core/codegen/apiIndex';
import { generateDts } from '../core/codegen/dts';
import { bindApi } from '../core/codegen/identifiers';
import { selectTools } from '../core/codegen/selectTools';
import type { McpHub } from '../core/mcp/hub';
import type { ServerManager } from './serverManager';

export interface ApiInput {
  tools?: string[];
}

/**
 * The `codemode_api` Language Model Tool: the compact index of servers and tools, or the full TypeScript
 * declarations of the tools a model picks, so that no prompt has to carry the whole API.
 */
export class ApiTool implements vscode.LanguageModelTool<ApiInput> {
  constructor(
    private readonly hub: McpHub,
    private readonly servers: ServerManager,
  ) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<ApiInput>): vscode.PreparedToolInvocation {
    const tools = options.input?.tools ?? [];
    return { invocationMessage: tools.length ? `Reading the Code Mode API of ${tools.join(', ')}` : 'Listing the Code Mode API' };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<ApiInput>): Promise<vscode.LanguageModelToolResult> {
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(await this.describe(options.input?.tools ?? []))]);
  }

  private async describe(names: string[]): Promise<string> {
    if (!vscode.workspace.isTrusted) {
      return 'Code Mode is disabled in this untrusted workspace: no MCP server runs until the user trusts the workspace.';
    }
    await this.servers.settled();
    const listing = await this.hub.listTools();
    if (names.length === 0) {
      return `${apiIndex(listing.servers, listing.failures)}\n\nAsk again with \`tools\` (e.g. ["server.tool"]) for the TypeScript signatures of the tools you will call.`;
    }
    const bindings = bindApi(listing.servers);
    const { picked, unknown } = selectTools(bindings, names);
    const declarations = picked.length ? generateDts(listing.servers, { only: new Set(picked) }) : '';
    const notes = unknown.length ? `Unknown: ${unknown.join(', ')}. Call this tool without arguments for the index.\n\n` : '';
    return notes + declarations;
  }
}
