import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { Engine } from '../core/engine/engine';
import type { McpHub } from '../core/mcp/hub';
import type { InputStore } from './inputStore';
import type { ResultDocuments } from './resultDocuments';
import type { RunHistory } from './runsHistory';
import { runScriptCommand } from './runScriptCommand';
import type { ServerManager } from './serverManager';
import type { TypesWriter } from './typesWriter';

export interface CommandDeps {
  engine: Engine;
  hub: McpHub;
  inputs: InputStore;
  servers: ServerManager;
  types: TypesWriter;
  results: ResultDocuments;
  log: vscode.LogOutputChannel;
  runs?: RunHistory;
}

/** The palette commands. Each catches at the top: the error goes to the log and to a message with "Show Log". */
export function registerCommands({ engine, hub, inputs, servers, types, results, log, runs }: CommandDeps): vscode.Disposable[] {
  const command = (id: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error: unknown) {
        log.error(error instanceof Error ? error : String(error));
        void vscode.window.showErrorMessage(`Code Mode: ${errorMessage(error)}`, 'Show Log').then((choice) => choice && log.show());
        return undefined;
      }
    });
  return [
    command('codeMode.runScript', (uri?: vscode.Uri) =>
      runScriptCommand({ engine, servers, results, log, runs }, uri instanceof vscode.Uri ? uri : undefined),
    ),
    command('codeMode.showLog', () => log.show()),
    command('codeMode.restartServers', async () => {
      await hub.restart();
      log.info('servers restarted; each starts again on next use');
    }),
    command('codeMode.regenerateTypes', async () => {
      const uri = await types.write();
      if (uri) {
        void vscode.window.showInformationMessage(`Code Mode: API types written to ${vscode.workspace.asRelativePath(uri)}`);
      }
      return uri;
    }),
    command('codeMode.openApi', async () => {
      const uri = await types.write();
      if (!uri) {
        throw new Error(
          'the API types are written into a trusted workspace folder whose .vscode/mcp.json or codeMode.servers configures servers',
        );
      }
      await vscode.window.showTextDocument(uri);
    }),
    command('codeMode.clearInputs', async () => {
      const count = await inputs.clear();
      void vscode.window.showInformationMessage(`Code Mode: cleared ${count} saved input value(s); they are asked again on next use.`);
      await hub.restart();
    }),
  ];
}
