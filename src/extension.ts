import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Engine } from './core/engine/engine';
import { LoopbackAuthorizer } from './core/mcp/auth/loopbackAuthorizer';
import { defaultRedirectUrl } from './core/mcp/auth/mcpOAuthProvider';
import { oauthProviderFactory } from './core/mcp/auth/oauthProviderFactory';
import { McpHub } from './core/mcp/hub';
import { createExecutor } from './core/sandbox/createExecutor';
import { LazyExecutor } from './core/sandbox/lazyExecutor';
import { ApiTool } from './host/apiTool';
import { RunTool } from './host/runTool';
import { ApprovalTool, approvalToolName } from './host/approvalTool';
import { registerCommands } from './host/commands';
import { InputStore } from './host/inputStore';
import { McpServerProvider } from './host/mcpServerProvider';
import { ResultDocuments } from './host/resultDocuments';
import { ServerManager } from './host/serverManager';
import { readSettings, workspaceFolder } from './host/settings';
import { ServerStatusBar } from './host/statusBar';
import { registerRuns } from './host/runsCommands';
import { RunHistory } from './host/runsHistory';
import { TypesWriter } from './host/typesWriter';
import { VscodeToolSource } from './host/vscodeTools';

/** Stops what activation started that outlives its disposables: MCP server processes and the sandbox host. */
let stopChildren: (() => Promise<void>) | undefined;

/** Composition root: builds the one engine and wires VS Code to it. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Code Mode', { log: true });
  const inputs = new InputStore(context.secrets, context.globalState, log);
  const hub = new McpHub({
    logger: log,
    variables: {
      env: process.env,
      input: (id, server) => inputs.get(id, server),
      get workspaceFolder() {
        return workspaceFolder()?.uri.fsPath;
      },
    },
    maxConcurrentCalls: readSettings().maxConcurrentCalls,
    clientInfo: { name: 'code-mode-vscode', version: String(context.extension.packageJSON.version) },
    // Remote servers that answer 401: the user signs in in the browser; tokens are kept in SecretStorage.
    oauth: oauthProviderFactory({
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
  const servers = new ServerManager(hub, inputs, log, userMcpJson(context), [new VscodeToolSource()]);
  const types = new TypesWriter(hub, () => servers.configured, log);
  const statusBar = new ServerStatusBar(hub);
  const results = new ResultDocuments();
  const writeTypesFor = (document: vscode.TextDocument) => {
    if (servers.configured && document.uri.scheme === 'file' && apiFolders(types).includes(dirname(document.uri.fsPath))) {
      types.schedule(0);
    }
  };
  const mcpServer = new McpServerProvider(hub, engine, servers, log, String(context.extension.packageJSON.version));
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
    // Where Code Mode is configured only: the status item, the Run action beside the API.
    servers.onDidApply((configured) => {
      statusBar.setVisible(configured);
      void vscode.commands.executeCommand('setContext', 'codeMode.apiFolders', configured ? apiFolders(types) : []);
      vscode.workspace.textDocuments.forEach(writeTypesFor);
    }),
    // Opening a script beside the API is a first use: it needs the types.
    vscode.workspace.onDidOpenTextDocument(writeTypesFor),
    // Servers start on first use (a run, codemode_api, opening the API): the types follow once one has started.
    { dispose: hub.onDidChange(() => (statusBar.update(), hub.status().some((server) => server.state !== 'idle') && types.schedule())) },
    vscode.workspace.onDidGrantWorkspaceTrust(() => statusBar.update()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('codeMode.sandbox') && void executor.reset()),
    runs,
    ...registerRuns({ history: runs, engine, executor, log, settled: () => servers.settled() }),
    vscode.lm.registerTool('codemode_run', new RunTool(engine, servers, log, runs)),
    vscode.lm.registerTool('codemode_api', new ApiTool(servers)),
    vscode.lm.registerTool(approvalToolName, new ApprovalTool()),
    mcpServer,
    vscode.lm.registerMcpServerDefinitionProvider('codemode', mcpServer),
    ...registerCommands({ engine, hub, inputs, servers, types, results, log, runs }),
  );
  stopChildren = async () => void (await Promise.all([hub.closeAll(), executor.dispose()]));
  void servers.apply();
}

/** The folder of the API types (as `resourceDirname` gives it), for the editor title's Run action; none when misconfigured. */
function apiFolders(types: TypesWriter): string[] {
  try {
    const target = types.target();
    return target ? [dirname(target.fsPath)] : [];
  } catch {
    return [];
  }
}

/**
 * The user's own mcp.json: `mcp.json` in the user folder (`<user data>/User`), two levels above the extension's global
 * storage, which VS Code keeps in the default profile's folder (another profile's mcp.json is not reachable from an
 * extension; VS Code's own servers of any profile are, as VS Code tools).
 */
function userMcpJson(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'mcp.json');
}

/** VS Code waits for this promise (disposables it does not): no child process outlives the extension host. */
export async function deactivate(): Promise<void> {
  await stopChildren?.();
  stopChildren = undefined;
}
