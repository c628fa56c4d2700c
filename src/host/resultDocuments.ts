import * as vscode from 'vscode';
import { CheckProblems } from './checkProblems';

/**
 * Read-only documents that show a run's result beside its script: one per script, updated in place when it runs
 * again, never "unsaved" (an untitled document per run would pile up and ask to be saved on close).
 */
export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'codemode-result';
  private readonly texts = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  /** A blocked run's problems, beside its result document. */
  readonly problems = new CheckProblems();
  private readonly disposables: vscode.Disposable[] = [
    this.changes,
    this.problems,
    vscode.workspace.registerTextDocumentContentProvider(ResultDocuments.scheme, this),
    // A result can be large: keep its text only while its document is open.
    vscode.workspace.onDidCloseTextDocument((document) => this.texts.delete(document.uri.toString())),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This Code Mode result is gone: run the script again.\n';
  }

  /** Shows `text` as the result of the script `name` (a workspace-relative path), beside the editor. */
  async show(name: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: ResultDocuments.scheme, path: `/${name}.result.jsonc` });
    this.texts.set(uri.toString(), text);
    this.changes.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
