import * as vscode from 'vscode';
import { askWithDialog } from './approvalTool';
import { readSettings } from './settings';
import type { Engine } from '../core/engine/engine';
import { modelReport } from '../core/engine/modelReport';
import { errorMessage } from '../core/errors';
import type { RunRecord, RunSummary } from '../core/runs/runRecord';
import { replayRun } from '../core/runs/replay';
import type { Executor } from '../core/sandbox/contract/executor';
import type { RunHistory } from './runsHistory';
import { RunTraces, RunsTree } from './runsView';

/** The runs view, its trace documents and its commands (open, open as script, re-run live, replay, clear). */
export function registerRuns(deps: {
  history: RunHistory;
  engine: Engine;
  executor: Executor;
  log: vscode.LogOutputChannel;
  /** Waits until the servers are configured (before a live re-run). */
  settled: () => Promise<void>;
}): vscode.Disposable[] {
  const { history, engine, executor, log } = deps;
  const tree = new RunsTree(history);
  const recordOf = async (run: RunSummary | string | undefined): Promise<RunRecord> => {
    const id = typeof run === 'string' ? run : run?.id;
    const record = id === undefined ? undefined : await history.store.get(id);
    if (!record) {
      throw new Error('pick a run in the Code Mode Runs view');
    }
    return record;
  };
  const openTrace = async (id: string) => {
    const document = await vscode.workspace.openTextDocument(RunTraces.uri(id));
    await vscode.window.showTextDocument(document, { preview: true });
    return id;
  };
  const command = (id: string, handler: (run?: RunSummary | string) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (run?: RunSummary | string) => {
      try {
        return await handler(run);
      } catch (error: unknown) {
        log.error(error instanceof Error ? error : String(error));
        void vscode.window.showErrorMessage(`Code Mode: ${errorMessage(error)}`);
        return undefined;
      }
    });
  return [
    tree,
    vscode.window.createTreeView('codeMode.runs', { treeDataProvider: tree, showCollapseAll: false }),
    vscode.workspace.registerTextDocumentContentProvider(RunTraces.scheme, new RunTraces(history)),
    command('codeMode.runs.open', async (run) => openTrace((await recordOf(run)).id)),
    command('codeMode.runs.openAsScript', async (run) => {
      const record = await recordOf(run);
      const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: record.script });
      await vscode.window.showTextDocument(document);
      return document.uri.toString();
    }),
    command('codeMode.runs.rerun', async (run) => {
      const record = await recordOf(run);
      if (!vscode.workspace.isTrusted) {
        throw new Error('Code Mode runs no scripts in an untrusted workspace');
      }
      await deps.settled();
      const controller = new AbortController();
      const tracked = history.begin({
        origin: 'command',
        label: `re-run of ${record.id}`,
        script: record.script,
        cancel: () => controller.abort(),
      });
      try {
        // A re-run reaches the real servers: its writes are asked about as a hand run's are.
        const approvals = { policy: readSettings().approvalPolicy, approveCall: askWithDialog };
        const result = await engine.run(record.script, { ...record.limits, signal: controller.signal, ...tracked.options, approvals });
        return await openTrace((await tracked.end(result, modelReport(result))).id);
      } finally {
        tracked.stop();
      }
    }),
    command('codeMode.runs.replay', async (run) => {
      const record = await recordOf(run);
      const replay = await replayRun(record, executor);
      const tracked = history.begin({ origin: 'replay', label: record.id, script: record.script, notify: false }, replay.recorder);
      const saved = await tracked.end(replay.run, modelReport(replay.run));
      if (!replay.sameResult) {
        void vscode.window.showWarningMessage(`Code Mode: the replay of ${record.id} did not return what the run returned.`);
      }
      return openTrace(saved.id);
    }),
    // Not in the palette: what the view and the status bar item show, for tests and other extensions.
    command('codeMode.runs.state', async () => ({ runs: await history.list(), status: history.status.state(), totals: history.totals() })),
    command('codeMode.runs.clear', async () => {
      await history.clear();
      void vscode.window.showInformationMessage('Code Mode: recorded runs cleared.');
    }),
  ];
}
