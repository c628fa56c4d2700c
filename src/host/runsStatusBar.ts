import * as vscode from 'vscode';

/** The runs status bar item: a run in flight while there is one, else the tokens saved; a click opens the runs view. */
export class RunsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codeMode.runs', vscode.StatusBarAlignment.Left, 9);
  private totals = { today: 0, workspace: 0, runs: 0 };

  constructor() {
    this.item.name = 'Code Mode Runs';
    this.item.command = 'codeMode.runs.focus';
    this.idle();
    this.item.show();
  }

  running(text: string): void {
    this.item.text = `$(loading~spin) Code Mode ${text}`;
    this.item.tooltip = `Code Mode run in flight: ${text}\n${this.totalsText()}`;
  }

  setTotals(totals: { today: number; workspace: number; runs: number }): void {
    this.totals = totals;
  }

  idle(): void {
    this.item.text = `$(history) ${compact(this.totals.today)} saved`;
    this.item.tooltip = `${this.totalsText()}\nClick to open the Code Mode Runs view.`;
  }

  state(): { text: string; tooltip: string } {
    return { text: this.item.text, tooltip: String(this.item.tooltip ?? '') };
  }

  private totalsText(): string {
    return (
      `Tokens saved by Code Mode (o200k estimate): today ${this.totals.today.toLocaleString('en-US')}, ` +
      `this workspace ${this.totals.workspace.toLocaleString('en-US')} (${this.totals.runs} recorded runs)`
    );
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function compact(tokens: number): string {
  return Math.abs(tokens) >= 1_000 ? `${(tokens / 1_000).toFixed(1)}k` : String(tokens);
}
