import * as vscode from 'vscode';
import type { Engine } from '../core/engine/engine';
import type { McpHub } from '../core/mcp/hub';
import { CodeModeServer } from '../core/serve/codeModeServer';
import { serveLoopbackHttp, type LoopbackServer } from '../core/serve/loopbackHttp';
import type { ServerManager } from './serverManager';
import { readSettings } from './settings';

/** The `codeMode.offer` values that serve Code Mode as an MCP server. */
const offersMcpServer = (offer: string) => offer === 'mcpServer' || offer === 'both';

/**
 * Offers Code Mode to VS Code's agent as an MCP server (`run` with the API in its description, `api`), served from
 * this extension host on 127.0.0.1 with a per-session bearer token: the same hub and engine as the Language Model
 * Tools, so servers start once and their secrets stay here.
 */
export class McpServerProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly codeMode: CodeModeServer;
  private http: Promise<LoopbackServer> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    hub: McpHub,
    engine: Engine,
    private readonly servers: ServerManager,
    private readonly log: vscode.LogOutputChannel,
    private readonly version: string,
  ) {
    this.codeMode = new CodeModeServer({
      hub,
      engine,
      logger: log,
      reportBytes: () => readSettings().maxReportBytes,
      limits: () => ({ timeoutMs: readSettings().timeoutMs, memoryMb: readSettings().memoryMb }),
      approvalPolicy: () => readSettings().approvalPolicy,
      refusal: (call) =>
        `not approved: it may change things and the MCP client cannot ask the user (setting codeMode.approvals.allowed approves ${call.server}.${call.tool} in advance)`,
      settled: () => servers.settled(),
      version,
    });
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('codeMode.offer') && this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      // Offered where Code Mode is configured only: elsewhere it would be an empty tool (and a listening port).
      servers.onDidApply(() => this.changed.fire()),
    ];
  }

  async provideMcpServerDefinitions(): Promise<vscode.McpHttpServerDefinition[]> {
    if (!vscode.workspace.isTrusted || !this.servers.configured || !offersMcpServer(readSettings().offer)) {
      return [];
    }
    if (!this.http) {
      this.http = serveLoopbackHttp(() => this.codeMode.create());
      void this.http.then((http) => this.log.info(`offered to VS Code's agent as an MCP server on ${http.url.host}`));
    }
    const http = await this.http;
    return [
      new vscode.McpHttpServerDefinition(
        'Code Mode',
        vscode.Uri.parse(http.url.href),
        { Authorization: `Bearer ${http.token}` },
        this.version,
      ),
    ];
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.codeMode.dispose();
    void this.http?.then((http) => http.close());
  }
}
