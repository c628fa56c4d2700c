// Runs inside code-server's real extension host, in an UNTRUSTED workspace made by ./workspaceFixture.ts.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';

describe('Code Mode in an untrusted workspace', function () {
  this.timeout(30_000);

  before(async () => {
    await vscode.extensions.getExtension('codemode.code-mode')!.activate();
  });

  it('starts no server and says why', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await waitFor(
      async () =>
        /not trusted: Code Mode starts no MCP servers/.test(
          (await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? '',
        ),
      10_000,
      'the log line',
    );
    const result = await vscode.lm.invokeTool('codemode_run', {
      input: { code: 'return await mcp.test.echo({ text: "x" })' },
      toolInvocationToken: undefined,
    });
    const text = (result.content[0] as vscode.LanguageModelTextPart).value;
    assert.match(text, /disabled in this untrusted workspace/);
    // No process carries this workspace's server marker.
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    assert.ok(!processes.includes(`--marker=${process.env.CODEMODE_TEST_MARKER}`), 'an MCP server process is running');
    // Nothing is written into an untrusted workspace either.
    await vscode.commands.executeCommand('codeMode.regenerateTypes');
    assert.equal(existsSync(join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'codemode')), false);
  });
});
