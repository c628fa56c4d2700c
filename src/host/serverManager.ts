import * as vscode from 'vscode';
import type { McpHub } from '../core/mcp/hub';
import type { InputStore } from './inputStore';
import { readServerConfiguration } from './serverConfiguration';
import { readSettings, workspaceFolder } from './settings';

/**
 * Keeps the hub in step with the configuration: on activation, on a `codeMode` settings change, when
 * `.vscode/mcp.json` changes, and when the workspace becomes trusted. In an untrusted workspace no server starts.
 */
export class ServerManager implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private lastProblems = '';
  private applying: Promise<void> = Promise.resolve();
  private toldUntrusted = false;

  constructor(
    private readonly hub: McpHub,
    private readonly inputs: InputStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const apply = () => void this.apply();
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(apply),
      watcher.onDidChange(apply),
      watcher.onDidDelete(apply),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('codeMode') && apply()),
      vscode.workspace.onDidGrantWorkspaceTrust(apply),
      vscode.workspace.onDidChangeWorkspaceFolders(apply),
    );
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Resolves once every configuration change seen so far is applied: runs wait for it, so none sees a stale hub. */
  settled(): Promise<void> {
    return this.applying;
  }

  /** Re-reads the configuration and reconciles; calls are queued so two changes never interleave. */
  apply(): Promise<void> {
    this.applying = this.applying
      .then(() => this.applyNow())
      .catch((error: unknown) => this.log.error(error instanceof Error ? error : String(error)));
    return this.applying;
  }

  private async applyNow(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      await this.hub.reconcile([]);
      if (!this.toldUntrusted) {
        this.toldUntrusted = true;
        this.log.warn('This workspace is not trusted: Code Mode starts no MCP servers until you trust it.');
        void vscode.window
          .showWarningMessage(
            'Code Mode starts no MCP servers in an untrusted workspace: they are programs the workspace configures.',
            'Manage Workspace Trust',
          )
          .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
      }
      return;
    }
    const config = await readServerConfiguration(readSettings(), workspaceFolder()?.uri);
    this.inputs.setSpecs(config.inputs);
    this.reportProblems(config.problems);
    await this.hub.reconcile(config.servers);
    this.log.info(`servers configured: ${config.servers.map((server) => `${server.name} (${server.type})`).join(', ') || 'none'}`);
  }

  private reportProblems(problems: string[]): void {
    const text = problems.join('\n');
    if (text === this.lastProblems) {
      return;
    }
    this.lastProblems = text;
    for (const problem of problems) {
      this.log.warn(`configuration: ${problem} (entry skipped)`);
    }
    if (problems.length > 0) {
      void vscode.window
        .showWarningMessage(
          `Code Mode skipped ${problems.length} bad server configuration entr${problems.length === 1 ? 'y' : 'ies'}: ${problems[0]}`,
          'Show Log',
        )
        .then((choice) => choice && this.log.show());
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
