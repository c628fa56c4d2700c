import * as vscode from 'vscode';
import type { McpHub } from '../core/mcp/hub';

/** Shows how many servers are ready or failed, in windows where Code Mode is configured only; a click opens the log. */
export class ServerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codeMode.status', vscode.StatusBarAlignment.Left, 10);

  constructor(private readonly hub: McpHub) {
    this.item.name = 'Code Mode';
    this.item.command = 'codeMode.showLog';
    this.update();
  }

  setVisible(visible: boolean): void {
    if (visible) {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  update(): void {
    if (!vscode.workspace.isTrusted) {
      this.item.text = '$(shield) Code Mode';
      this.item.tooltip = 'Code Mode: no servers run in an untrusted workspace';
      this.item.backgroundColor = undefined;
      return;
    }
    const states = this.hub.status();
    const failed = states.filter((server) => server.state === 'failed');
    const ready = states.filter((server) => server.state === 'ready');
    this.item.text = `$(symbol-method) Code Mode ${ready.length}/${states.length}${failed.length ? ` $(error) ${failed.length}` : ''}`;
    const lines = states.map(
      (server) =>
        `${server.name}: ${server.state}${server.toolCount === undefined ? '' : `, ${server.toolCount} tools`}${server.error ? ` — ${server.error}` : ''}`,
    );
    this.item.tooltip = `Code Mode servers (click for the log)\n${lines.join('\n') || 'none configured'}`;
    this.item.backgroundColor = failed.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
