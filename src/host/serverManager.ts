import * as vscode from 'vscode';
import type { McpHub, ToolListing } from '../core/mcp/hub';
import type { InputStore } from './inputStore';
import type { ToolSource } from '../core/mcp/toolSource';
import { readServerConfiguration, type ServerConfiguration } from './serverConfiguration';
import { readSettings, workspaceFolder } from './settings';

/**
 * Keeps the hub in step with the configuration: on activation, on a `codeMode` settings change, when
 * `.vscode/mcp.json` or the user's mcp.json changes, and when the workspace becomes trusted. In an untrusted
 * workspace no server starts and no VS Code tool is offered.
 * The hub starts a server on first use only; this only tells it which servers there are.
 */
export class ServerManager implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private lastProblems = '';
  private applying: Promise<void> = Promise.resolve();
  private toldUntrusted = false;
  private readonly configuredChanges = new vscode.EventEmitter<boolean>();
  /** Whether Code Mode is configured here: the user's mcp.json, `.vscode/mcp.json` or `codeMode.servers` names a server. */
  configured = false;
  /** Fires after each apply with `configured`. */
  readonly onDidApply = this.configuredChanges.event;

  constructor(
    private readonly hub: McpHub,
    private readonly inputs: InputStore,
    private readonly log: vscode.LogOutputChannel,
    /** The user's own mcp.json (the profile's, see userMcpJson in extension.ts). */
    private readonly userMcpJson: vscode.Uri,
    /** Offered beside the servers where the workspace is trusted (VS Code's own tools). */
    private readonly sources: readonly ToolSource[] = [],
  ) {
    const apply = () => void this.apply();
    const watchers = [
      vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json'),
      vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(userMcpJson, '..'), 'mcp.json')),
    ];
    this.disposables.push(
      ...watchers,
      ...watchers.flatMap((watcher) => [watcher.onDidCreate(apply), watcher.onDidChange(apply), watcher.onDidDelete(apply)]),
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

  /**
   * The servers' tools for a confirmation or `codemode_api`, once the configuration is applied: a server still
   * starting after half a run's time limit is reported as such rather than waited for, as a run does.
   */
  async listTools(): Promise<ToolListing> {
    await this.settled();
    return this.hub.listTools({ waitMs: Math.round(readSettings().timeoutMs / 2) });
  }

  /** Re-reads the configuration and reconciles; calls are queued so two changes never interleave. */
  apply(): Promise<void> {
    this.applying = this.applying
      .then(() => this.applyNow())
      .catch((error: unknown) => this.log.error(error instanceof Error ? error : String(error)));
    return this.applying;
  }

  private async applyNow(): Promise<void> {
    // Read in an untrusted workspace too (reading starts nothing; VS Code withholds the workspace's codeMode.servers
    // there): it says whether to tell the user why nothing runs.
    const folder = workspaceFolder();
    const config = await readServerConfiguration(readSettings(), folder?.uri, this.userMcpJson);
    this.configured = config.servers.length > 0;
    try {
      await this.reconcile(config);
    } finally {
      this.configuredChanges.fire(this.configured);
    }
  }

  private async reconcile(config: ServerConfiguration): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.hub.setSources([]);
      await this.hub.reconcile([]);
      if (this.configured && !this.toldUntrusted) {
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
    this.inputs.setLayers(config.inputLayers, config.layerOf);
    this.reportProblems(config.problems);
    this.hub.setSources(this.sources);
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
    vscode.Disposable.from(this.configuredChanges, ...this.disposables).dispose();
  }
}
