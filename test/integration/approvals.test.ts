// Runs inside code-server's real extension host, in the workspace of ./workspaceFixture.ts createApprovalsWorkspace.
// The person answering is played by run.ts through the real workbench (Playwright clicks VS Code's own dialog): it
// allows a call whose arguments say "allow-me", declines "decline-me", and waits 4 s before allowing "slow-allow".
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../waitFor';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

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
    const extension = vscode.extensions.getExtension('codemode.code-mode')!;
    await extension.activate();
  });

  it('an approved write reaches the server; a declined one rejects in the script and never reaches it; reads are not asked', async () => {
    const before = received().length;
    const text = await runTool(`
      const first = await mcp.notes.readNote({ name: 'n' });
      const written = await mcp.notes.writeNote({ name: 'n', text: 'allow-me' });
      let declined;
      try { await mcp.notes.deleteNote({ name: 'decline-me' }); } catch (e) { declined = e.name + ': ' + e.message; }
      return { first, written, declined, after: await mcp.notes.readNote({ name: 'n' }) };`);
    assert.match(text, /"written":"written"/, text);
    assert.match(text, /"declined":"ToolError: notes\.delete_note was not called: declined by the user"/, text);
    assert.match(text, /"after":"allow-me"/, text);
    assert.deepEqual(received().slice(before), ['read_note:n', 'write_note:n', 'read_note:n']);
  });

  it("a workspace's settings cannot turn approvals off or allow tools (they are the user's)", async () => {
    const inspected = vscode.workspace.getConfiguration('codeMode').inspect('approvals.mode');
    assert.equal(inspected?.workspaceValue ?? inspected?.workspaceFolderValue ?? 'none', 'none', 'the workspace tries');
    const before = received().length;
    const text = await runTool(`try { return await mcp.notes.deleteNote({ name: 'decline-me' }); } catch (e) { return e.message; }`);
    assert.match(text, /declined by the user/, text);
    assert.deepEqual(received().slice(before), []);
  });

  it("the user's always-allowed tools go through without a question", async () => {
    await vscode.workspace.getConfiguration('codeMode').update('approvals.allowed', ['notes.delete_note'], vscode.ConfigurationTarget.Global);
    try {
      const before = received().length;
      // Were it asked, "unasked" would be declined by the person (it says neither allow-me nor slow-allow).
      const text = await runTool(`return await mcp.notes.deleteNote({ name: 'unasked' });`);
      assert.match(text, /absent/, text);
      assert.deepEqual(received().slice(before), ['delete_note:unasked']);
    } finally {
      await vscode.workspace.getConfiguration('codeMode').update('approvals.allowed', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the time the person takes to answer does not count against the run (limit 3 s, answer after 4 s)', async () => {
    const before = received().length;
    const text = await runTool(`return await mcp.notes.writeNote({ name: 'slow', text: 'slow-allow' });`);
    assert.match(text, /^Result:\n"written"/, text);
    assert.deepEqual(received().slice(before), ['write_note:slow']);
  });

  it('a script run by hand asks with a modal dialog; allowed, its write reaches the server', async () => {
    const before = received().length;
    await vscode.commands.executeCommand('codeMode.runScript', vscode.Uri.file(join(folder(), 'write.ts')));
    await waitFor(() => received().length > before, 10_000, 'the write');
    assert.deepEqual(received().slice(before), ['write_note:by-hand']);
  });

  it('the approval tool is not offered to models', () => {
    assert.ok(vscode.lm.tools.some((tool) => tool.name === 'codemode_run'));
    assert.ok(!vscode.lm.tools.some((tool) => tool.name === 'codemode_approveCall'));
  });
});
