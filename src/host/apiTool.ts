import * as vscode from 'vscode';
import { describeApi } from '../core/codegen/apiIndex';
import type { ServerManager } from './serverManager';

export interface ApiInput {
  tools?: string[];
}

/**
 * The `codemode_api` Language Model Tool: the compact index of servers and tools, or the full TypeScript
 * declarations of the tools a model picks, so that no prompt has to carry the whole API.
 */
export class ApiTool implements vscode.LanguageModelTool<ApiInput> {
  constructor(private readonly servers: ServerManager) {}

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
    const listing = await this.servers.listTools();
    return describeApi(listing.servers, listing.failures, names);
  }
}
