import * as vscode from 'vscode';
import { defaultSettings } from '../core/defaults';

/** Every `codeMode.*` setting, read fresh each time (configuration objects are snapshots). */
export interface CodeModeSettings {
  servers: unknown;
  useMcpJson: boolean;
  useUserMcpJson: boolean;
  vscodeMcpTools: boolean;
  extensionTools: string[];
  typesFile: string;
  timeoutMs: number;
  memoryMb: number;
  maxConcurrentCalls: number;
  confirmRuns: boolean;
  maxReportBytes: number;
  offer: string;
  nodePath: string;
}

export function readSettings(): CodeModeSettings {
  const config = vscode.workspace.getConfiguration('codeMode', workspaceFolder()?.uri);
  const value = <K extends keyof typeof defaultSettings>(key: K) => config.get(key, defaultSettings[key]);
  return {
    servers: value('servers'),
    useMcpJson: value('useMcpJson'),
    useUserMcpJson: userValue(config, 'useUserMcpJson'),
    vscodeMcpTools: userValue(config, 'vscodeTools.mcpServers'),
    extensionTools: userValue(config, 'vscodeTools.extensionTools').filter((pattern) => typeof pattern === 'string'),
    typesFile: value('typesFile'),
    timeoutMs: value('timeoutMs'),
    memoryMb: value('memoryMb'),
    maxConcurrentCalls: value('maxConcurrentCalls'),
    confirmRuns: userValue(config, 'confirmRuns'),
    maxReportBytes: value('maxReportBytes'),
    offer: value('offer'),
    nodePath: value('sandbox.nodePath'),
  };
}

/** The user's settings alone (application scope): a workspace must not turn consent off or opt into more tools. */
type UserSetting = 'confirmRuns' | 'useUserMcpJson' | 'vscodeTools.mcpServers' | 'vscodeTools.extensionTools';

/**
 * A consent setting is the user's: a workspace's (a cloned repository's) `.vscode/settings.json` must not turn it
 * off. The setting has application scope, so VS Code ignores workspace values; this reads no other anyway.
 */
function userValue<K extends UserSetting>(config: vscode.WorkspaceConfiguration, key: K): (typeof defaultSettings)[K] {
  return config.inspect<(typeof defaultSettings)[K]>(key)?.globalValue ?? defaultSettings[key];
}

/** Code Mode serves the first workspace folder: its `.vscode/mcp.json`, its `${workspaceFolder}`, its types file. */
export function workspaceFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}
