import * as vscode from 'vscode';
import { parseConfigText, parseServers, type ParsedConfig } from '../core/config/parseConfig';
import { errorMessage } from '../core/errors';
import type { CodeModeSettings } from './settings';

/**
 * The servers of `.vscode/mcp.json` (unless turned off) and of the `codeMode.servers` setting; a setting entry
 * replaces the mcp.json entry of the same id. Bad entries are reported and skipped.
 */
export async function readServerConfiguration(settings: CodeModeSettings, folder: vscode.Uri | undefined): Promise<ParsedConfig> {
  const fromFile = settings.useMcpJson && folder ? await readMcpJson(vscode.Uri.joinPath(folder, '.vscode', 'mcp.json')) : undefined;
  const problems = [...(fromFile?.problems ?? [])];
  const fromSettings = parseServers(settings.servers ?? {}, problems, 'codeMode.servers');
  const names = new Set(fromSettings.map((server) => server.name));
  return {
    servers: [...(fromFile?.servers ?? []).filter((server) => !names.has(server.name)), ...fromSettings],
    inputs: fromFile?.inputs ?? [],
    problems,
  };
}

async function readMcpJson(uri: vscode.Uri): Promise<ParsedConfig | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error: unknown) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      return undefined;
    }
    return { servers: [], inputs: [], problems: [`.vscode/mcp.json: cannot read it: ${errorMessage(error)}`] };
  }
  return parseConfigText(new TextDecoder().decode(bytes), '.vscode/mcp.json');
}
