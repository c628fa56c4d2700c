// Runs inside code-server's real extension host, in the workspace of ./workspaceFixture.ts createApprovalsWorkspace.
// In extension tests VS Code shows no dialog: its dialog service answers a confirmation with yes and refuses to show a
// prompt (a modal message with buttons) by throwing. So here a nested tool confirmation (no chat token) is approved by
// VS Code itself, and the hand-run command's modal question cannot be shown: it must count as a no. The person's own
// clicks, allow and skip, are played in the real chat by the agent e2e (test/agent/run.ts, prompt "approvals").
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const logText = async () => (await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? '';
const approvedInLog = async () => ((await logText()).match(/call notes\.\w+ approved/g) ?? []).length;

/** What reached the server, from its own record: `tool:argument`. */
function received(): string[] {
  const file = join(folder(), 'calls.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { tool: string; args: { name?: string } })
        .map((call) => `${call.tool}:${call.args.name ?? ''}`)
    : [];
}

async function runTool(code: string): Promise<string> {
  const result = await vscode.lm.invokeTool('codemode_run', { input: { code }, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('Approvals of inner calls in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.extensions.getExtension('codemode.code-mode')!.activate();
  });

  it('asks before each write through a nested tool confirmation (approved here by VS Code), not before reads', async () => {
    const before = received().length;
    const asked = await approvedInLog();
    const text = await runTool(`
      const first = await mcp.notes.readNote({ name: 'n' });
      const written = await mcp.notes.writeNote({ name: 'n', text: 'v' });
      return { first, written, after: await mcp.notes.readNote({ name: 'n' }) };`);
    assert.match(text, /^Result:\n\{"first":"","written":"written","after":"v"\}/, text);
    assert.deepEqual(received().slice(before), ['read_note:n', 'write_note:n', 'read_note:n']);
    await waitFor(async () => (await approvedInLog()) === asked + 1, 5_000, 'one approval in the log');
  });

  it("a workspace's settings cannot turn approvals off (they are the user's)", async () => {
    // The workspace tries (VS Code itself ignores a workspace value of an application setting; Code Mode reads none).
    assert.match(readFileSync(join(folder(), '.vscode', 'settings.json'), 'utf8'), /"codeMode\.approvals\.mode": "none"/);
    assert.equal(vscode.workspace.getConfiguration('codeMode').get('approvals.mode'), 'writes');
    const asked = await approvedInLog();
    await runTool(`return await mcp.notes.deleteNote({ name: 'n' });`);
    await waitFor(async () => (await approvedInLog()) === asked + 1, 5_000, 'the delete asked about');
  });

  it("the user's always-allowed tools go through without a question", async () => {
    await vscode.workspace
      .getConfiguration('codeMode')
      .update('approvals.allowed', ['notes.delete_note'], vscode.ConfigurationTarget.Global);
    try {
      const before = received().length;
      const asked = await approvedInLog();
      const text = await runTool(`return await mcp.notes.deleteNote({ name: 'unasked' });`);
      assert.match(text, /^Result:\nabsent/, text);
      assert.deepEqual(received().slice(before), ['delete_note:unasked']);
      assert.equal(await approvedInLog(), asked);
    } finally {
      await vscode.workspace.getConfiguration('codeMode').update('approvals.allowed', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a script run by hand asks with a modal dialog; when it cannot be shown the write is refused and never reaches the server', async () => {
    const before = received().length;
    await vscode.commands.executeCommand('codeMode.runScript', vscode.Uri.file(join(folder(), 'write.ts')));
    await waitFor(
      async () =>
        /write\.ts failed \(script\)[\s\S]*notes\.write_note was not called: not approved: DialogService: refused to show dialog in tests/.test(
          await logText(),
        ),
      20_000,
      'the refused call in the log',
    );
    assert.deepEqual(received().slice(before), []);
  });
});
