// @ts-check
const assert = require('node:assert/strict');
const vscode = require('vscode');

describe('sample extension', () => {
  it('opens the workspace and runs its command', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(folders.map((f) => f.uri.fsPath), [process.env.SAMPLE_WORKSPACE]);
    assert.equal(vscode.workspace.isTrusted, process.env.SAMPLE_EXPECT_TRUSTED === 'true');
    assert.equal(await vscode.commands.executeCommand('sample.hello'), 'hello workspace');
  });
});
