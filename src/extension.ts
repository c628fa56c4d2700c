import { join } from 'node:path';
import * as vscode from 'vscode';
import { Engine } from './core/engine/engine';
import { LoopbackAuthorizer } from './core/mcp/auth/loopbackAuthorizer';
import { defaultRedirectUrl } from './core/mcp/auth/oauthProvider';
import { oauthProviders } from './core/mcp/auth/oauthProviders';
import { McpHub } from './core/mcp/hub';
import { createExecutor } from './core/sandbox/createExecutor';
import { LazyExecutor } from './core/sandbox/lazyExecutor';
import { ApiTool } from './host/apiTool';
import { RunTool } from './host/runTool';
import { registerCommands } from './host/commands';
import { InputStore } from './host/inputStore';
import { ResultDocuments } from './host/resultDocuments';
import { ServerManager } from './host/serverManager';
import { readSettings, workspaceFolder } from './host/settings';
import { ServerStatusBar } from './host/statusBar';
import { registerRuns } from './host/runsCommands';
import { RunHistory } from './host/runsHistory';
import { TypesWriter } from './host/typesWriter';

/** Stops what activation started that outlives its disposables: MCP server processes and the sandbox host. */
let stopChildren: (() => Promise<void>) | undefined;

/** Composition root: builds the one engine and wires VS Code to it. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Code Mode', { log: true });
  const inputs = new InputStore(context.secrets, context.globalState);
  const hub = new McpHub({
    logger: log,
    variables: {
      env: process.env,
      input: (id) => inputs.get(id),
      get workspaceFolder() {
        return workspaceFolder()?.uri.fsPath;
      },
    },
    maxConcurrentCalls: readSettings().maxConcurrentCalls,
    clientInfo: { name: 'code-mode-vscode', version: String(context.extension.packageJSON.version) },
    // Remote servers that answer 401: the user signs in in the browser; tokens are kept in SecretStorage.
    oauth: oauthProviders({
      store: context.secrets,
      authorizer: new LoopbackAuthorizer({ openUrl: (url) => vscode.env.openExternal(vscode.Uri.parse(url.href)) }),
      clientName: 'Code Mode for VS Code',
      redirectUrl: defaultRedirectUrl,
    }),
  });
  const executor = new LazyExecutor(() =>
    createExecutor({
      configuredNodePath: readSettings().nodePath || undefined,
      hostScript: join(__dirname, 'sandboxHost.js'),
      logger: log,
    }),
  );
  const engine = new Engine(hub, executor, log);
  const servers = new ServerManager(hub, inputs, log);
  const types = new TypesWriter(hub, log);
  const statusBar = new ServerStatusBar(hub);
  const results = new ResultDocuments();
  // Runs are kept in the workspace's extension storage (the user's profile without a workspace), never the repository.
  const runs = new RunHistory(
    join((context.storageUri ?? context.globalStorageUri).fsPath, 'runs'),
    join(__dirname, 'tokenWorker.js'),
    context.workspaceState,
    log,
  );
  context.subscriptions.push(
    log,
    servers,
    types,
    statusBar,
    results,
    { dispose: hub.onDidChange(() => (statusBar.update(), types.schedule())) },
    vscode.workspace.onDidGrantWorkspaceTrust(() => statusBar.update()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('codeMode.sandbox') && void executor.reset()),
    runs,
    ...registerRuns({ history: runs, engine, executor, log, settled: () => servers.settled() }),
    vscode.lm.registerTool('codemode_run', new RunTool(engine, hub, servers, log, runs)),
    vscode.lm.registerTool('codemode_api', new ApiTool(hub, servers)),
    ...registerCommands({ engine, hub, inputs, servers, types, results, log, runs }),
  );
  stopChildren = async () => void (await Promise.all([hub.closeAll(), executor.dispose()]));
  void servers.apply().then(() => types.schedule(0));
}

/** VS Code waits for this promise (disposables it does not): no child process outlives the extension host. */
export async function deactivate(): Promise<void> {
  await stopChildren?.();
  stopChildren = undefined;
}
