import { createInterface } from 'node:readline/promises';
import { approvalModes, type ApprovalMode, type Approvals, type CallToApprove } from '../core/approval/approvalPolicy';
import { approveFlags, describeCall } from '../core/approval/callDescription';
import { CodeModeError } from '../core/errors';
import { terminalText } from './terminalText';

/** `--approve server.tool|server.*|all` (repeatable) as the policy's allowed names. */
export function approvedNames(flags: readonly string[]): string[] {
  return flags.map((flag) => {
    if (flag === 'all' || flag === '*') {
      return '*';
    }
    if (!/^.+\..+$/.test(flag)) {
      throw new CodeModeError(`--approve needs server.tool, server.* or all, received "${flag}"`);
    }
    return flag;
  });
}

/** `CODEMODE_APPROVE_MODE`: which calls need approval (writes, destructive, none); the user's choice, as the VS Code setting. */
export function approvalMode(value: string | undefined): ApprovalMode {
  if (value === undefined || value === '') {
    return 'writes';
  }
  if (!(approvalModes as readonly string[]).includes(value)) {
    throw new CodeModeError(`CODEMODE_APPROVE_MODE needs one of ${approvalModes.join(', ')}, received "${value}"`);
  }
  return value as ApprovalMode;
}

/**
 * The CLI's approver. With a terminal to ask on (stdin and stderr are TTYs and the script is not read from stdin)
 * it asks there, one call at a time; otherwise nobody can answer, so a call that needs approval is refused with the
 * flag that would approve it.
 */
export function cliApprovals(allowed: readonly string[], mode: ApprovalMode, canAsk: boolean): Approvals {
  return {
    policy: { mode, allowed },
    approveCall: canAsk
      ? askOnTerminal
      : async (call) => `not approved: it may change things and this run cannot ask (run with ${approveFlags(call)})`,
  };
}

async function askOnTerminal(call: CallToApprove): Promise<true | string> {
  const { name, effect, args } = describeCall(call);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `codemode: the script calls ${terminalText(name)} (${effect}) with\n${terminalText(args)}\nAllow this call? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim()) ? true : `declined by the user (${approveFlags(call)} approves it in advance)`;
  } finally {
    prompt.close();
  }
}
