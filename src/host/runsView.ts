import * as vscode from 'vscode';
import type { RunSummary } from '../core/runs/runRecord';
import { traceText } from '../core/runs/traceText';
import type { RunHistory } from './runsHistory';
import { compact } from './runsStatusBar';

/** The "Code Mode Runs" view: recorded runs, newest first; selecting one opens its trace. */
export class RunsTree implements vscode.TreeDataProvider<RunSummary>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changes.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly history: RunHistory) {
    this.subscription = history.onDidChange(() => this.changes.fire());
  }

  getChildren(element?: RunSummary): Promise<RunSummary[]> | RunSummary[] {
    return element ? [] : this.history.list();
  }

  getTreeItem(run: RunSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(`${run.origin}${run.label ? ` · ${run.label}` : ''}`);
    const saved = run.tokens ? ` · ${compact(run.tokens.saved)} tokens saved` : '';
    item.description = `${run.ok ? 'ok' : (run.errorName ?? 'failed')} · ${formatMs(run.durationMs)} · ${run.calls} call${run.calls === 1 ? '' : 's'}${saved}`;
    item.tooltip = `${run.startedAt.replace('T', ' ').slice(0, 19)} UTC\n${item.description}`;
    item.iconPath = new vscode.ThemeIcon(
      run.ok ? 'pass' : 'error',
      new vscode.ThemeColor(run.ok ? 'testing.iconPassed' : 'testing.iconFailed'),
    );
    item.contextValue = 'codeModeRun';
    item.id = run.id;
    item.command = { command: 'codeMode.runs.open', title: 'Open Trace', arguments: [run] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }
}

/** Read-only trace documents, `codemode-run:/<id>.trace`, made from the stored record when opened. */
export class RunTraces implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'codemode-run';

  constructor(private readonly history: RunHistory) {}

  static uri(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RunTraces.scheme, path: `/${id}.trace` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.trace$/, '');
    const record = await this.history.store.get(id);
    return record ? traceText(record) : `This run (${id}) is no longer stored.\n`;
  }
}

function formatMs(ms: number): string {
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
