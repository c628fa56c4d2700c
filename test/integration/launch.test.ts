// Runs inside code-server's real extension host, opened as F5's "Run Extension" opens it (./launchConfig.ts).
import { strict as assert } from 'node:assert';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';

describe('F5: "Run Extension" opens the examples folder with Code Mode', function () {
  this.timeout(60_000);

  it('is active there, with the example servers configured', async () => {
    assert.equal(basename(vscode.workspace.workspaceFolders![0].uri.fsPath), 'examples');
    await waitFor(() => vscode.extensions.getExtension('codemode.code-mode')?.isActive === true, 20_000, 'activation at startup');
    const log = async () => (await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? '';
    await waitFor(async () => /servers configured: /.test(await log()), 20_000, 'the configuration applied');
    assert.match(await log(), /servers configured: fs \(stdio\), memory \(stdio\), everything \(stdio\)/);
  });
});
