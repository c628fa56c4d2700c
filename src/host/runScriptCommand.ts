import * as vscode from 'vscode';
import type { Engine, RunResult } from '../core/engine/engine';
import type { ResultDocuments } from './resultDocuments';
import { logRun } from '../core/engine/runLog';
import type { RunHistory } from './runsHistory';
import type { ServerManager } from './serverManager';
import { readSettings } from './settings';
import { askWithDialog } from './approvalTool';

/**
 * "Run Code Mode Script": runs the active .ts/.js editor (or a file the user picks) with progress and cancel, logs
 * the run, and opens the result beside the script.
 */
export async function runScriptCommand(
  {
    engine,
    servers,
    results,
    log,
    runs,
  }: { engine: Engine; servers: ServerManager; results: ResultDocuments; log: vscode.LogOutputChannel; runs?: RunHistory },
  uri?: vscode.Uri,
): Promise<RunResult | undefined> {
  const target = uri ?? activeScript() ?? (await pickScript());
  if (!target) {
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Code Mode runs no scripts in an untrusted workspace.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(target);
  const code = document.getText();
  const name = vscode.workspace.asRelativePath(target);
  const settings = readSettings();
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Code Mode: running ${name}`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      // This command has its own notification: the runs item shows the calls, no second notification.
      const tracked = runs?.begin({ origin: 'command', label: name, script: code, cancel: () => controller.abort(), notify: false });
      try {
        await servers.settled();
        if (token.isCancellationRequested) {
          controller.abort();
        }
        const run = await engine.run(code, {
          signal: controller.signal,
          timeoutMs: settings.timeoutMs,
          memoryMb: settings.memoryMb,
          check: true,
          approvals: { policy: settings.approvalPolicy, approveCall: askWithDialog },
          ...tracked?.options,
        });
        void tracked?.end(run, resultText(name, run));
        return run;
      } finally {
        tracked?.stop();
        subscription.dispose();
      }
    },
  );
  logRun(log, name, code, run);
  results.problems.show(document, run.diagnostics);
  await results.show(name, resultText(name, run));
  const summary = `${run.calls.length} tool call(s), ${run.stats.durationMs} ms`;
  if (run.ok) {
    void vscode.window.showInformationMessage(`Code Mode: ${name} succeeded (${summary}).`);
  } else {
    void vscode.window.showErrorMessage(`Code Mode: ${name} failed: ${run.text}`, 'Show Log').then((choice) => choice && log.show());
  }
  return run;
}

/** The script in the active editor, or in the active tab when focus is elsewhere (a panel, the palette). */
function activeScript(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document && ['typescript', 'javascript'].includes(document.languageId)) {
    return document.uri;
  }
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText && /\.[cm]?[jt]s$/.test(input.uri.path) ? input.uri : undefined;
}

async function pickScript(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Run Code Mode script',
    canSelectMany: false,
    filters: { Scripts: ['ts', 'js', 'mts', 'mjs'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

function resultText(name: string, run: RunResult): string {
  const lines = [
    `// Code Mode: ${name} ${run.ok ? 'succeeded' : 'failed'} in ${run.stats.durationMs} ms, ${run.calls.length} tool call(s) on ${run.stats.backend}`,
    ...run.calls.map(
      (call) =>
        `//   ${call.server}.${call.tool} ${call.ok ? 'ok' : 'failed'} ${call.ms} ms${call.approval ? ` (${call.approval} by you)` : ''}`,
    ),
    ...run.logs.map((entry) => `// console.${entry.level}: ${entry.text.replace(/\n/g, '\n//   ')}`),
    run.ok ? (JSON.stringify(run.result, null, 2) ?? '// (no value returned)') : `// ${run.text.replace(/\n/g, '\n// ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
