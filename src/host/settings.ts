import * as vscode from 'vscode';
import type { ApprovalPolicy } from '../core/approval/approvalPolicy';
import { approvalModes } from '../core/approval/approvalPolicy';
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
  /** Which inner calls wait for the user's yes, and which tools they approved for good. */
  approvalPolicy: ApprovalPolicy;
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
    approvalPolicy: approvalPolicy(config),
    maxReportBytes: value('maxReportBytes'),
    offer: value('offer'),
    nodePath: value('sandbox.nodePath'),
  };
}

/** The user's settings alone (application scope): a workspace must not turn consent off or opt into more tools. */
type UserSetting =
  'confirmRuns' | 'useUserMcpJson' | 'vscodeTools.mcpServers' | 'vscodeTools.extensionTools' | 'approvals.mode' | 'approvals.allowed';

/**
 * A consent setting is the user's: a workspace's (a cloned repository's) `.vscode/settings.json` must not turn it
 * off. The setting has application scope, so VS Code ignores workspace values; this reads no other anyway.
 */
function userValue<K extends UserSetting>(config: vscode.WorkspaceConfiguration, key: K): (typeof defaultSettings)[K] {
  return config.inspect<(typeof defaultSettings)[K]>(key)?.globalValue ?? defaultSettings[key];
}

/** The user's approval policy; a value that is not one of the modes (or not a list of names) counts as the default. */
function approvalPolicy(config: vscode.WorkspaceConfiguration): ApprovalPolicy {
  const mode = userValue(config, 'approvals.mode');
  const allowed: unknown = userValue(config, 'approvals.allowed');
  return {
    mode: approvalModes.includes(mode) ? mode : defaultSettings['approvals.mode'],
    allowed: Array.isArray(allowed) ? allowed.filter((name): name is string => typeof name === 'string') : [],
  };
}

/** Code Mode serves the first workspace folder: its `.vscode/mcp.json`, its `${workspaceFolder}`, its types file. */
export function workspaceFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}
