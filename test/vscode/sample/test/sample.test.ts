import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('sample extension', () => {
  it('opens the workspace, with the expected trust', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(folders.map((f) => f.uri.fsPath), [process.env.SAMPLE_WORKSPACE]);
    assert.equal(vscode.workspace.isTrusted, process.env.SAMPLE_TRUSTED === 'true');
  });

  it('runs its command', async () => {
    assert.equal(await vscode.commands.executeCommand('sample.hello'), 'hello workspace');
  });
});
