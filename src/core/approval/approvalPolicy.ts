import type { ToolAnnotations, ToolEffect } from './toolAnnotations';
import { effectOf } from './toolAnnotations';

/** Which calls need a person's yes: those that may write (default), only destructive ones, or none. */
export type ApprovalMode = 'writes' | 'destructive' | 'none';

export interface ApprovalPolicy {
  mode: ApprovalMode;
  /** Calls approved in advance: `server.tool`, `server.*` (exact server and tool names), or `*` for all. */
  allowed: readonly string[];
}

export const approvalModes: readonly ApprovalMode[] = ['writes', 'destructive', 'none'];

/** A call a person is asked about: exact names, the validated arguments, the server's hints. */
export interface CallToApprove {
  server: string;
  tool: string;
  args: Record<string, unknown>;
  annotations?: ToolAnnotations;
}

/** `true`: the call goes out; a string: it does not, and the script's ToolError says this. */
export type ApprovalAnswer = true | string;

/** Asks whoever started the run; given by the caller (chat, command, CLI, serve), so core stays free of any UI. */
export type ApproveCall = (call: CallToApprove) => Promise<ApprovalAnswer>;

export interface Approvals {
  policy: ApprovalPolicy;
  approveCall: ApproveCall;
}

/** What the script's ToolError says when a person said no. */
export const declinedMessage = 'declined by the user';

export function needsApproval(policy: ApprovalPolicy, server: string, tool: string, annotations: ToolAnnotations | undefined): boolean {
  return asks(policy.mode, effectOf(annotations)) && !isAllowed(policy.allowed, server, tool);
}

function asks(mode: ApprovalMode, effect: ToolEffect): boolean {
  return mode === 'writes' ? effect !== 'read' : mode === 'destructive' ? effect === 'destructive' : false;
}

/** Whether a pattern of `allowed` names this call. Names are compared exactly: `a.b.*` is server `a.b`'s tools. */
export function isAllowed(allowed: readonly string[], server: string, tool: string): boolean {
  return allowed.some((pattern) => pattern === '*' || pattern === `${server}.*` || pattern === `${server}.${tool}`);
}
