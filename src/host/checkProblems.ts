import * as vscode from 'vscode';
import type { CheckDiagnostic } from '../core/check/checkDiagnostic';

/** The problems the type check found in a script run by hand, in the Problems panel; the next run replaces them. */
export class CheckProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('codemode-check');

  show(document: vscode.TextDocument, diagnostics: readonly CheckDiagnostic[] = []): void {
    this.collection.set(
      document.uri,
      diagnostics.map((problem) => {
        const position = document.validatePosition(new vscode.Position(problem.line - 1, problem.column - 1));
        const range = document.getWordRangeAtPosition(position) ?? new vscode.Range(position, position.translate(0, 1));
        const diagnostic = new vscode.Diagnostic(range, `${problem.message} The script was not run.`, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'Code Mode';
        diagnostic.code = problem.code;
        return diagnostic;
      }),
    );
  }

  dispose(): void {
    this.collection.dispose();
  }
}
