import * as vscode from 'vscode';
import { bindApi } from '../core/codegen/identifiers';
import type { Engine } from '../core/engine/engine';
import { modelReport, reportBudget } from '../core/engine/modelReport';
import { computedCallsIn, toolsNamedIn } from '../core/engine/scriptCalls';
import { effectLines, scriptEffects } from '../core/approval/scriptEffects';
import { askInChat } from './approvalTool';
import { logRun } from '../core/engine/runLog';
import type { ServerManager } from './serverManager';
import type { RunHistory } from './runsHistory';
import { readSettings } from './settings';

export interface RunInput {
  code: string;
}

/** The `codemode_run` Language Model Tool: a chat agent sends one script; it gets back the condensed result as text. */
export class RunTool implements vscode.LanguageModelTool<RunInput> {
  constructor(
    private readonly engine: Engine,
    private readonly servers: ServerManager,
    private readonly log: vscode.LogOutputChannel,
    private readonly runs?: RunHistory,
  ) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<RunInput>): Promise<vscode.PreparedToolInvocation> {
    const code = String(options.input?.code ?? '');
    const listing = await this.servers.listTools();
    const tools = toolsNamedIn(code, bindApi(listing.servers));
    const effects = scriptEffects(tools, listing.servers, computedCallsIn(code));
    const message = new vscode.MarkdownString();
    message.appendMarkdown(`${effectLines(effects, (name) => `\`${name}\``).join('  \n')}\n\n`);
    if (effects.write.length + effects.destructive.length + effects.unknown.length + effects.computed > 0) {
      message.appendMarkdown('Each call that may change something asks again before it runs (setting `codeMode.approvals.mode`).\n\n');
    }
    message.appendCodeblock(code, 'typescript');
    return {
      invocationMessage: `Running a Code Mode script${tools.length ? ` (${tools.length} tool${tools.length === 1 ? '' : 's'})` : ''}`,
      confirmationMessages: readSettings().confirmRuns ? { title: 'Run this Code Mode script?', message } : undefined,
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<RunInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const text = await this.run(options.input, options.tokenizationOptions?.tokenBudget, token, options.toolInvocationToken);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
  }

  private async run(
    input: RunInput,
    tokenBudget: number | undefined,
    token: vscode.CancellationToken,
    invocation: vscode.ChatParticipantToolToken | undefined,
  ): Promise<string> {
    if (typeof input?.code !== 'string' || input.code.trim() === '') {
      return 'The input needs `code`: a non-empty TypeScript or JavaScript script.';
    }
    if (!vscode.workspace.isTrusted) {
      return 'Code Mode is disabled in this untrusted workspace: no MCP server runs until the user trusts the workspace.';
    }
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const tracked = this.runs?.begin({ origin: 'chat', script: input.code, cancel: () => controller.abort() });
    try {
      await this.servers.settled();
      // A request cancelled while the configuration settled: the engine sees the aborted signal and makes no call.
      if (token.isCancellationRequested) {
        controller.abort();
      }
      const settings = readSettings();
      const run = await this.engine.run(input.code, {
        ...tracked?.options,
        signal: controller.signal,
        timeoutMs: settings.timeoutMs,
        memoryMb: settings.memoryMb,
        check: true,
        // In the chat that started the run (a modal dialog when it came with no chat token).
        approvals: { policy: settings.approvalPolicy, approveCall: askInChat(invocation, token) },
        invocation,
      });
      logRun(this.log, 'chat', input.code, run);
      const report = modelReport(run, reportBudget(tokenBudget, settings.maxReportBytes));
      // Recorded and counted after the model has its answer.
      void tracked?.end(run, report);
      return report;
    } finally {
      tracked?.stop();
      subscription.dispose();
    }
  }
}
