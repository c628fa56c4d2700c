import * as vscode from 'vscode';
import { mergeLayers, type ConfigLayer } from '../core/config/configLayers';
import { parseConfigText, parseServers, type ParsedConfig } from '../core/config/parseConfig';
import type { ServerConfig } from '../core/config/serverConfig';
import { errorMessage } from '../core/errors';
import type { InputLayer } from './inputStore';
import type { CodeModeSettings } from './settings';

export interface ServerConfiguration {
  servers: ServerConfig[];
  problems: string[];
  /** The inputs of each file, and which file each server's inputs come from (see InputStore). */
  inputLayers: InputLayer[];
  layerOf: Map<string, number>;
}

/**
 * The servers of the user's own `mcp.json`, of `.vscode/mcp.json` and of the `codeMode.servers` setting, in that order
 * (each file unless turned off): a later entry replaces an earlier one of the same id, so the workspace wins over the
 * user, as in VS Code. Bad entries are reported and skipped.
 */
export async function readServerConfiguration(
  settings: CodeModeSettings,
  folder: vscode.Uri | undefined,
  userMcpJson: vscode.Uri,
): Promise<ServerConfiguration> {
  const empty: ParsedConfig = { servers: [], inputs: [], problems: [] };
  const user = settings.useUserMcpJson ? await readMcpJson(userMcpJson, 'user mcp.json') : undefined;
  const workspace =
    settings.useMcpJson && folder ? await readMcpJson(vscode.Uri.joinPath(folder, '.vscode', 'mcp.json'), '.vscode/mcp.json') : undefined;
  const problems: string[] = [];
  const fromSettings = parseServers(settings.servers ?? {}, problems, 'codeMode.servers');
  const layers: ConfigLayer[] = [
    { source: 'user mcp.json', config: user ?? empty },
    { source: '.vscode/mcp.json', config: workspace ?? empty },
    { source: 'codeMode.servers', config: { servers: fromSettings, inputs: [], problems } },
  ];
  const merged = mergeLayers(layers);
  // codeMode.servers entries use the inputs of .vscode/mcp.json, as they always have.
  const layerOf = new Map([...merged.layerOf].map(([name, index]) => [name, Math.min(index, 1)]));
  const workspaceServers = merged.servers.filter((server) => layerOf.get(server.name) === 1);
  return {
    servers: merged.servers,
    problems: merged.problems,
    inputLayers: [
      { specs: user?.inputs ?? [], scope: { workspace: '', servers: user?.servers ?? [] } },
      { specs: workspace?.inputs ?? [], scope: { workspace: folder?.toString() ?? '', servers: workspaceServers } },
    ],
    layerOf,
  };
}

async function readMcpJson(uri: vscode.Uri, source: string): Promise<ParsedConfig | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error: unknown) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      return undefined;
    }
    return { servers: [], inputs: [], problems: [`${source}: cannot read it: ${errorMessage(error)}`] };
  }
  return parseConfigText(new TextDecoder().decode(bytes), source);
}
