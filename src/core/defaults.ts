import type { ApprovalMode } from './approval/approvalPolicy';
import type { SandboxLimits } from './sandbox/contract/executor';

/**
 * Code Mode's defaults, in one place. package.json's settings must declare the same values (a unit test compares
 * them); the VS Code glue and the CLI read them from here.
 */
export const defaultLimits: SandboxLimits = {
  timeoutMs: 30_000,
  memoryMb: 128,
  maxLogEntries: 1_000,
  maxLogChars: 100_000,
  maxResultChars: 10_000_000,
};

/** Enough for a typical Promise.all to go out in one wave; servers that want fewer get a setting. */
export const defaultMaxConcurrentCalls = 64;

/** UTF-8 bytes of result the CLI and the run command show by default (about 5k tokens). */
export const defaultResultBudget = 20_000;

/** UTF-8 bytes of a report to a model: Copilot Chat writes a tool result over 8 KB to a file (one more round). */
export const defaultReportBytes = 8_000;

/**
 * How Code Mode is offered to VS Code's agent: as Language Model Tools (codemode_run, codemode_api), as an MCP server
 * (run with the API in its description, api), or both. The default is the one that measures best in bench:agent.
 */
export type Offer = 'languageModelTools' | 'mcpServer' | 'both';
export const defaultOffer: Offer = 'mcpServer';

/** Calls to tools that may write (no `readOnlyHint: true`) wait for the user's approval unless they set otherwise. */
export const defaultApprovalMode: ApprovalMode = 'writes';

/** The `codeMode.*` settings' defaults, keyed as package.json declares them. */
export const defaultSettings = {
  servers: {},
  useMcpJson: true,
  useUserMcpJson: true,
  'vscodeTools.mcpServers': true,
  'vscodeTools.extensionTools': [] as string[],
  typesFile: '.vscode/codemode/api.d.ts',
  timeoutMs: defaultLimits.timeoutMs,
  memoryMb: defaultLimits.memoryMb,
  maxConcurrentCalls: defaultMaxConcurrentCalls,
  confirmRuns: true,
  'approvals.mode': defaultApprovalMode,
  'approvals.allowed': [] as string[],
  maxReportBytes: defaultReportBytes,
  offer: defaultOffer,
  'sandbox.nodePath': '',
};
