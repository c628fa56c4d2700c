import * as vscode from 'vscode';

/** Every `codeMode.*` setting, read fresh each time (configuration objects are snapshots). */
export interface CodeModeSettings {
  servers: unknown;
  useMcpJson: boolean;
  typesFile: string;
  timeoutMs: number;
  memoryMb: number;
  maxConcurrentCalls: number;
  confirmRuns: boolean;
  nodePath: string;
}

export function readSettings(): CodeModeSettings {
  const config = vscode.workspace.getConfiguration('codeMode', workspaceFolder()?.uri);
  return {
    servers: config.get<unknown>('servers', {}),
    useMcpJson: config.get<boolean>('useMcpJson', true),
    typesFile: config.get<string>('typesFile', '.vscode/codemode/api.d.ts'),
    timeoutMs: config.get<number>('timeoutMs', 30_000),
    memoryMb: config.get<number>('memoryMb', 128),
    maxConcurrentCalls: config.get<number>('maxConcurrentCalls', 64),
    confirmRuns: config.get<boolean>('confirmRuns', true),
    nodePath: config.get<string>('sandbox.nodePath', ''),
  };
}

/** Code Mode serves the first workspace folder: its `.vscode/mcp.json`, its `${workspaceFolder}`, its types file. */
export function workspaceFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}
