// Runs inside code-server's real extension host, in a workspace that does not use Code Mode (./workspaceFixture.ts).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('Code Mode in a workspace that does not use it', function () {
  this.timeout(30_000);

  it('is active (its .vscode/mcp.json activated it) but writes no file and starts no process', async () => {
    const extension = vscode.extensions.getExtension('codemode.code-mode')!;
    await waitFor(() => extension.isActive, 10_000, 'activation at startup');
    await waitFor(
      async () => /servers configured: none/.test((await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? ''),
      10_000,
      'the configuration applied',
    );
    // What a change could still be waiting for (a scheduled types write) has had its time.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(await filesUnder(folder()), ['.vscode/mcp.json', '.vscode/settings.json', 'index.ts']);
    const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    assert.doesNotMatch(children, /sandboxHost|testServer|server-/, 'the extension host started a process');
  });

  it('is not offered to the agent as an MCP server (no empty tool, no listening port)', async () => {
    // VS Code asks the definition providers when its MCP registry starts up; an answer would be served at once.
    await vscode.commands.executeCommand('workbench.action.chat.open').then(undefined, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const log = (await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? '';
    assert.doesNotMatch(log, /as an MCP server on/);
  });

  it('offers its tools and commands, which start nothing on their own', async () => {
    assert.ok(vscode.lm.tools.some((tool) => tool.name === 'codemode_api'));
    const api = await vscode.lm.invokeTool('codemode_api', { input: {}, toolInvocationToken: undefined });
    assert.match((api.content[0] as vscode.LanguageModelTextPart).value, /^No MCP servers are configured\.\n/);
    await vscode.commands.executeCommand('codeMode.regenerateTypes');
    assert.deepEqual(await filesUnder(folder()), ['.vscode/mcp.json', '.vscode/settings.json', 'index.ts']);
  });

  it("keeps the run confirmation on although the workspace's settings turn it off", () => {
    const confirmRuns = vscode.workspace.getConfiguration('codeMode').inspect<boolean>('confirmRuns');
    assert.equal(vscode.workspace.getConfiguration('codeMode').get('confirmRuns'), true, JSON.stringify(confirmRuns));
  });
});
