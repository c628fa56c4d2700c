import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { declinedMessage, type ApprovalAnswer, type CallToApprove } from '../core/approval/approvalPolicy';
import { describeCall } from '../core/approval/callDescription';

/** The internal tool whose confirmation is the question: VS Code shows it inline in the chat of the run that asks. */
export const approvalToolName = 'codemode_approveCall';

interface ApprovalInput {
  askId: string;
}

/** The questions waiting for an answer, by an id no model can guess: only a run of ours can put one here. */
const waiting = new Map<string, { call: CallToApprove; approved: boolean }>();

/**
 * Asks in the chat that started the run: a nested invocation of the approval tool with the chat's token. VS Code
 * shows the tool's confirmation (server, tool, arguments) where the run is, and runs `invoke` only when the user
 * allows it, which is what records the yes. Skipped, cancelled or failed: declined.
 */
export function askInChat(toolInvocationToken: vscode.ChatParticipantToolToken | undefined, token: vscode.CancellationToken) {
  return async (call: CallToApprove): Promise<ApprovalAnswer> => {
    const askId = randomUUID();
    const question = { call, approved: false };
    waiting.set(askId, question);
    try {
      await vscode.lm.invokeTool(approvalToolName, { input: { askId } satisfies ApprovalInput, toolInvocationToken }, token);
    } catch {
      // Skipped or cancelled: the yes was never recorded.
    } finally {
      waiting.delete(askId);
    }
    return question.approved ? true : declinedMessage;
  };
}

/** Asks with a modal dialog: a run the user started by hand has no chat to ask in. */
export async function askWithDialog(call: CallToApprove): Promise<ApprovalAnswer> {
  const { name, effect, args } = describeCall(call);
  const choice = await vscode.window.showWarningMessage(
    `Code Mode: allow the script to call ${name}?`,
    { modal: true, detail: `${name} ${effect}. Arguments:\n${args}` },
    'Allow',
  );
  return choice === 'Allow' ? true : declinedMessage;
}

/** `codemode_approveCall`: never useful to a model; its confirmation is Code Mode's question to the user. */
export class ApprovalTool implements vscode.LanguageModelTool<ApprovalInput> {
  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<ApprovalInput>): vscode.PreparedToolInvocation {
    const question = waiting.get(String(options.input?.askId));
    if (!question) {
      return { invocationMessage: 'Nothing to approve' };
    }
    const { name, effect, args } = describeCall(question.call);
    const message = new vscode.MarkdownString();
    message.appendMarkdown(`The Code Mode script calls \`${name}\`, which ${effect}, with:\n\n`);
    message.appendCodeblock(args, 'json');
    // VS Code's standing choices are per tool, and every Code Mode question is this one tool: say so where they are.
    message.appendMarkdown(
      '*Allow Once* lets this call through. *Allow in this Session* (and the other standing choices) apply to every call Code Mode asks about, not only this tool; to allow one tool for good, add it to the setting `codeMode.approvals.allowed`.',
    );
    return {
      invocationMessage: `Calling ${markdownText(name)}`,
      // VS Code renders the title as Markdown: `create_entities` would lose its underscore.
      confirmationMessages: { title: `Allow ${markdownText(name)}?`, message },
    };
  }

  invoke(options: vscode.LanguageModelToolInvocationOptions<ApprovalInput>): vscode.LanguageModelToolResult {
    const question = waiting.get(String(options.input?.askId));
    if (question) {
      question.approved = true;
    }
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(question ? 'approved' : 'nothing to approve')]);
  }
}

/** Text shown literally where VS Code renders Markdown. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
