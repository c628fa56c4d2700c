// Runs inside code-server's real extension host, in a trusted workspace made by ./workspaceFixture.ts (suite "runs").
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/runs/runRecord';
import { waitFor } from '../waitFor';
import { secretToken } from './workspaceFixture';

interface RunsState {
  runs: RunSummary[];
  status: { text: string; tooltip: string };
  totals: { today: number; workspace: number };
}

const state = async () => (await vscode.commands.executeCommand<RunsState>('codeMode.runs.state'))!;

async function runTool(code: string, token?: vscode.CancellationToken): Promise<string> {
  const result = await vscode.lm.invokeTool('codemode_run', { input: { code }, toolInvocationToken: undefined }, token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** The newest run once it is saved (a chat run is saved after the model has its answer). */
async function newestRunAfter(count: number): Promise<RunSummary> {
  let runs: RunSummary[] = [];
  await waitFor(async () => (runs = (await state()).runs).length > count, 20_000, 'the run to be saved');
  return runs[0];
}

const activeText = () => vscode.window.activeTextEditor?.document.getText() ?? '';

describe('Code Mode Runs view', function () {
  this.timeout(60_000);
  const script = `const records = await mcp.test.records({ count: 30 });\nconsole.log('got', records.length);\nreturn { n: records.length, at: Date.now() };`;
  let chatRun: RunSummary;

  before(async () => {
    await vscode.extensions.getExtension('codemode.code-mode')!.activate();
    // The secretive server asks for its ${input:token} (prefilled by the fixture's `default`): accept it.
    const api = vscode.Uri.file(join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'codemode', 'api.d.ts'));
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return (await readFile(api.fsPath, 'utf8').catch(() => '')).includes('readonly secretive');
      },
      30_000,
      'API types with both servers',
    );
    await vscode.commands.executeCommand('codeMode.runs.clear');
  });

  it('records a chat run, newest first, with origin, status, duration, calls and tokens saved', async () => {
    const report = await runTool(script);
    assert.match(report, /"n": ?30/);
    chatRun = await newestRunAfter(0);
    assert.equal(chatRun.origin, 'chat');
    assert.equal(chatRun.ok, true);
    assert.equal(chatRun.calls, 1);
    assert.ok(chatRun.durationMs > 0);
    assert.ok(chatRun.tokens && chatRun.tokens.saved > 0, JSON.stringify(chatRun.tokens));
    const { status, totals } = await state();
    assert.ok(totals.today >= chatRun.tokens.saved);
    assert.match(status.tooltip, /Tokens saved by Code Mode \(o200k estimate\): today [\d,]+, this workspace [\d,]+/);

    await runTool(`throw new Error('second run fails');`);
    const failed = await newestRunAfter(1);
    assert.equal(failed.ok, false);
    assert.equal((await state()).runs[1].id, chatRun.id, 'newest first');
  });

  it('opens a readable trace: the script with the failing line marked, the calls, console and result', async () => {
    await vscode.commands.executeCommand('codeMode.runs.open', chatRun);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'codemode-run');
    const trace = activeText();
    assert.match(trace, /── Script ──\n {2}1 │ const records = await mcp\.test\.records\(\{ count: 30 \}\);/);
    assert.match(trace, /── Calls \(1\) ──\n1\. \+[\d.]+ ms {2}test\.records {2}ok {2}[\d.]+ ms\n {3}args: \{"count":30\}/);
    assert.match(trace, /── Console \(1\) ──\n\[log\] got 30/);
    assert.match(trace, /Tokens \(o200k estimate\): [\d,]+ saved/);

    await runTool(`const a = 1;\nawait mcp.test.fail({ message: 'disk full' });`);
    const failing = await newestRunAfter(2);
    await vscode.commands.executeCommand('codeMode.runs.open', failing.id);
    assert.match(activeText(), /▶ 2 │ await mcp\.test\.fail\(\{ message: 'disk full' \}\);\n +│ +\^ ToolError: disk full/);
  });

  it('opens a run as a script, re-runs it live and replays it with the recorded responses', async () => {
    await vscode.commands.executeCommand('codeMode.runs.openAsScript', chatRun);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'typescript');
    assert.equal(activeText(), script);

    const before = (await state()).runs.length;
    const rerunId = await vscode.commands.executeCommand<string>('codeMode.runs.rerun', chatRun);
    const rerun = (await state()).runs.find((run) => run.id === rerunId)!;
    assert.deepEqual([rerun.origin, rerun.label, rerun.ok, rerun.calls], ['command', `re-run of ${chatRun.id}`, true, 1]);

    const replayId = await vscode.commands.executeCommand<string>('codeMode.runs.replay', chatRun);
    const replayed = (await state()).runs.find((run) => run.id === replayId)!;
    assert.deepEqual([replayed.origin, replayed.label, replayed.ok], ['replay', chatRun.id, true]);
    assert.equal((await state()).runs.length, before + 2);
    // The replay returned the recorded result: same Date.now() as the run.
    const original = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'codemode-run', path: `/${chatRun.id}.trace` }));
    const resultOf = (text: string) => /── Result ──\n([^]*?)\n\n/.exec(text)?.[1];
    assert.equal(resultOf(activeText()), resultOf(original.getText()));
  });

  it('shows a run in flight in the status bar (calls, elapsed) and cancels it', async () => {
    const cancel = new vscode.CancellationTokenSource();
    const count = (await state()).runs.length;
    const running = runTool(
      `await mcp.test.echo({ text: 'first' });\nawait new Promise((resolve) => setTimeout(resolve, 20000));\nreturn 1;`,
      cancel.token,
    );
    let status = '';
    await waitFor(async () => /1 call done, 0 running · test\.echo ok/.test((status = (await state()).status.text)), 15_000, 'progress');
    assert.match(status, /^\$\(loading~spin\) Code Mode \d+\.\d s · 1 call done, 0 running · test\.echo ok in \d+ ms$/);
    cancel.cancel();
    // VS Code rejects a cancelled tool invocation; the run is recorded as cancelled all the same.
    await assert.rejects(running, /Canceled/);
    const cancelled = await newestRunAfter(count);
    assert.equal(cancelled.ok, false);
    assert.equal(cancelled.errorName, 'CancelledError');
    await waitFor(async () => (await state()).status.text.startsWith('$(history)'), 5_000, 'the status bar item back to its totals');
  });

  it('never stores the secret input of a server', async () => {
    const count = (await state()).runs.length;
    await runTool(`return await mcp.secretive.envValue({ name: 'API_TOKEN' });`);
    const run = await newestRunAfter(count);
    await vscode.commands.executeCommand('codeMode.runs.open', run);
    assert.match(activeText(), /"set":true/);
    assert.ok(!activeText().includes(secretToken));
  });

  it('clears the runs', async () => {
    await vscode.commands.executeCommand('codeMode.runs.clear');
    assert.deepEqual((await state()).runs, []);
  });
});
