// Runs inside code-server's real extension host (extension suite): a chat request cancelled while a server is still
// starting runs nothing, so the script's call never reaches that server.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const logText = async () => (await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? '';
const chatRuns = async () => (await logText()).match(/run from chat (succeeded|failed \(\w+\))/g) ?? [];
/** The extension host's sandbox host processes: one starts as a run begins (after the executor was reset). */
const sandboxHosts = () =>
  execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('sandboxHost'));

async function runTool(code: string, token?: vscode.CancellationToken): Promise<string> {
  const result = await vscode.lm.invokeTool('codemode_run', { input: { code }, toolInvocationToken: undefined }, token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('A chat request cancelled while a server starts', function () {
  this.timeout(120_000);

  it('runs nothing: the script never calls the server, and the run ends cancelled', async () => {
    const config = vscode.workspace.getConfiguration('codeMode');
    const test = JSON.parse(await readFile(join(folder(), '.vscode', 'mcp.json'), 'utf8')).servers.test;
    // Every message the client sends the server is recorded (tee) before the server reads it.
    const record = join(await mkdtemp(join(tmpdir(), 'codemode-record-')), 'sent.jsonl');
    const sent = async () => (existsSync(record) ? (await readFile(record, 'utf8')).split('\n').filter(Boolean) : []);
    const calls = async () => (await sent()).filter((line) => line.includes('"tools/call"')).map((line) => JSON.parse(line).params);
    // Time limit 20 s: the confirmation and the run each wait up to 10 s for servers. The server takes 16 s to start, so
    // it is still starting when the run begins (after the confirmation's wait), and up before the run's wait ends.
    await config.update('timeoutMs', 20_000, vscode.ConfigurationTarget.Workspace);
    const slowpoke = { command: '/bin/sh', args: ['-c', 'tee -a "$0" | "$@"', record, test.command, ...test.args, '--slow-start=16000'] };
    await config.update('servers', { slowpoke }, vscode.ConfigurationTarget.Workspace);
    // A fresh sandbox host: the one that starts next marks the moment the run itself begins.
    await config.update('sandbox.nodePath', process.env.CODEMODE_TEST_OTHER_NODE, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(async () => /servers configured: .*slowpoke \(stdio\)/.test(await logText()), 10_000, 'slowpoke configured');
      await waitFor(() => sandboxHosts().length === 0, 10_000, 'the old sandbox host gone');
      const runsBefore = (await chatRuns()).length;

      const source = new vscode.CancellationTokenSource();
      const running = runTool(`return await mcp.slowpoke.echo({ text: 'must never arrive' })`, source.token);
      running.catch(() => undefined); // awaited below
      await waitFor(() => sandboxHosts().length > 0, 30_000, 'the run to begin');
      assert.ok(!(await sent()).some((line) => line.includes('notifications/initialized')), 'the server had started already');
      source.cancel();
      // VS Code rejects a cancelled invocation itself; the run behind it ends as cancelled, and only then is it logged.
      await assert.rejects(running, /Canceled/);
      await waitFor(async () => (await chatRuns()).length > runsBefore, 30_000, 'the cancelled run in the log');
      assert.deepEqual((await chatRuns()).slice(runsBefore), ['run from chat failed (cancelled)']);
      assert.deepEqual(await calls(), []);

      // Once the server is up, a run reaches it, and that call is the only one it ever received.
      await waitFor(async () => (await sent()).some((line) => line.includes('notifications/initialized')), 30_000, 'the server up');
      assert.match(await runTool(`return await mcp.slowpoke.echo({ text: 'after the cancel' })`), /^Result:\nafter the cancel/);
      assert.deepEqual(
        (await calls()).map((params) => [params.name, params.arguments]),
        [['echo', { text: 'after the cancel' }]],
      );
    } finally {
      await config.update('sandbox.nodePath', undefined, vscode.ConfigurationTarget.Global);
      await config.update('servers', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('timeoutMs', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
