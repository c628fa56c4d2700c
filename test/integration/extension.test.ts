// Runs inside code-server's real extension host, in a trusted workspace made by ./workspaceFixture.ts.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';
import { secretToken } from './workspaceFixture';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const apiFile = () => join(folder(), '.vscode', 'codemode', 'api.d.ts');
const logText = async () => (await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? '';

async function readApi(): Promise<string> {
  return readFile(apiFile(), 'utf8').catch(() => '');
}

async function runTool(code: string, options: { token?: vscode.CancellationToken; tokenBudget?: number } = {}): Promise<string> {
  const result = await vscode.lm.invokeTool(
    'codemode_run',
    {
      input: { code },
      toolInvocationToken: undefined,
      tokenizationOptions: options.tokenBudget
        ? { tokenBudget: options.tokenBudget, countTokens: async (text) => Math.ceil(text.length / 4) }
        : undefined,
    },
    options.token,
  );
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** Processes of this workspace's MCP servers (their arguments carry the marker). */
const serverProcesses = () =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`--marker=${process.env.CODEMODE_TEST_MARKER}`));

/** Answers each `${input:...}` prompt (prefilled by the fixture's `default`) until `done`. */
async function acceptPromptsUntil(done: () => Promise<boolean>, what: string): Promise<void> {
  await waitFor(
    async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done();
    },
    30_000,
    what,
  );
}

describe('Code Mode in a real VS Code', function () {
  this.timeout(60_000);
  let beforeFirstUse: { processes: string[]; apiWritten: boolean; codemodeFolder: boolean };

  before(async () => {
    const extension = vscode.extensions.getExtension('codemode.code-mode');
    assert.ok(extension, 'the extension is installed');
    // Active since startup: the workspace has a .vscode/mcp.json.
    await waitFor(() => extension.isActive, 10_000, 'activation at startup');
    await waitFor(
      async () => /servers configured: test \(stdio\), secretive \(stdio\)/.test(await logText()),
      10_000,
      'the servers configured',
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    beforeFirstUse = {
      processes: serverProcesses(),
      apiWritten: (await readApi()) !== '',
      codemodeFolder: existsSync(join(folder(), '.vscode', 'codemode')),
    };
    // First use: the servers start, the secretive one asks for its ${input:token}; then the types are written.
    void vscode.commands.executeCommand('codeMode.regenerateTypes');
    await acceptPromptsUntil(async () => (await readApi()).includes('readonly secretive'), 'API types with both servers');
  });

  it('starts no server and writes no file before first use', () => {
    assert.deepEqual(beforeFirstUse, { processes: [], apiWritten: false, codemodeFolder: false });
  });

  it('registers its commands and both language model tools', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'codeMode.runScript',
      'codeMode.restartServers',
      'codeMode.showLog',
      'codeMode.regenerateTypes',
      'codeMode.openApi',
      'codeMode.clearInputs',
    ]) {
      assert.ok(commands.includes(id), id);
    }
    const run = vscode.lm.tools.find((tool) => tool.name === 'codemode_run');
    assert.deepEqual(run?.inputSchema, {
      type: 'object',
      properties: {
        code: {
          type: 'string',
          description: (run?.inputSchema as { properties: { code: { description: string } } }).properties.code.description,
        },
      },
      required: ['code'],
      additionalProperties: false,
    });
    assert.match(run?.description ?? '', /First call codemode_api: it lists every server's tools with one-line TypeScript signatures/);
    assert.ok(vscode.lm.tools.some((tool) => tool.name === 'codemode_api'));
  });

  it('writes the typed API and a tsconfig.json into the workspace', async () => {
    const api = await readApi();
    assert.match(api, /readonly test: McpApi\.TestTools;/);
    assert.match(
      api,
      /add\(args: McpApi\.TestAddInput\): Promise<McpApi\.TestAddOutput>;|add\(args: TestAddInput\): Promise<TestAddOutput>;/,
    );
    const tsconfig = parseJsonc(await readFile(join(folder(), '.vscode', 'codemode', 'tsconfig.json'), 'utf8'));
    assert.deepEqual(tsconfig.compilerOptions.lib, ['ES2022']);
  });

  it('runs a multi-call script through vscode.lm.invokeTool and returns the condensed result', async () => {
    const text = await runTool(`
      const sums = await Promise.all([mcp.test.add({ a: 1, b: 2 }), mcp.test.add({ a: 3, b: 4 })]);
      const echoed = await mcp.test.echo({ text: 'hello' });
      console.log('sums', sums.map((s) => s.sum));
      return { total: sums[0].sum + sums[1].sum, echoed };
    `);
    assert.match(
      text,
      /^Result:\n\{"total":10,"echoed":"hello"\}\n\nConsole:\n\[log\] sums \[3,7\]\n\nTool calls: 3 \(test\.add ×2, test\.echo ×1\); [\d.]+ ms\.$/,
    );
  });

  it('returns script errors as text the model can act on, with line and console output', async () => {
    const thrown = await runTool(`console.log('before');\nthrow new Error('boom');`);
    assert.match(
      thrown,
      /^The script failed: Error: boom \(line 2, column 7\)\n\nConsole:\n\[log\] before\n\nNo tool calls; [\d.]+ ms\.\nFix the script and run it again\.$/,
    );
    const syntax = await runTool('const x = ;');
    assert.match(syntax, /^The script failed: SyntaxError: Unexpected token \(line 1, column 11\)/);
    // `as any` hides the mistake from the check before the run, so the arguments' validation is what stops it.
    const badArgs = await runTool(`return await mcp.test.add({ a: 'one' as any, b: 2 })`);
    assert.match(badArgs, /ToolError: Invalid arguments for test\.add: args\.a must be number, received string/);
  });

  it('checks a script before it runs: a certain failure runs nothing, and the model gets the problem and the declarations', async () => {
    const text = await runTool(`await mcp.test.echo({ text: 'first' });\nreturn await mcp.test.Add({ a: 1, b: 2 });`);
    assert.match(
      text,
      /^The script failed: TypeCheckError: the script was not run, so no tool was called\. This problem would make it fail:\n {0,2}line 2, column 23: Property 'Add' does not exist on type 'TestTools'\. Did you mean 'add'\? \(TS2551\)/,
    );
    assert.match(text, /add\(args: TestAddInput\): Promise<TestAddOutput>;/);
    assert.match(text, /No tool calls; [\d.]+ ms\.\nFix the script and run it again\.$/);
  });

  it('stops the run when the chat request is cancelled', async () => {
    const source = new vscode.CancellationTokenSource();
    setTimeout(() => source.cancel(), 300);
    const started = Date.now();
    // VS Code rejects a cancelled invocation itself; the run behind it must stop too.
    await assert.rejects(runTool('console.log("cancel me"); await mcp.test.hang(); return 1;', { token: source.token }), /Canceled/);
    await waitFor(async () => /run from chat failed \(cancelled\)/.test(await logText()), 10_000, 'the cancelled run in the log');
    assert.ok(Date.now() - started < 10_000);
  });

  it('sizes the result to the token budget VS Code gives', async () => {
    const text = await runTool('return await mcp.test.records({ count: 2000 })', { tokenBudget: 1000 });
    assert.match(text, /^Result \(cut to fit [\d,]+ bytes; [\d,]+ characters in all; return a smaller summary to see the rest\):/);
    assert.match(text, /"…and [\d,]+ more rows"/);
    assert.ok(text.length < 4_000, `got ${text.length} characters`);
  });

  it('codemode_api gives the index, then the declarations of chosen tools', async () => {
    const call = async (input: object) =>
      (await vscode.lm.invokeTool('codemode_api', { input, toolInvocationToken: undefined })).content
        .map((part) => (part as vscode.LanguageModelTextPart).value)
        .join('');
    const index = await call({});
    assert.match(index, /Server "test" \(\d+ tools\):\n {2}mcp\.test\.echo\(args: \{ text: string \}\) — Returns its text\./);
    assert.match(index, /mcp\.test\.add\(args: \{ a: number; b: number \}\): \{ sum: number \} — Adds two numbers\./);
    assert.match(index, /mcp\.test\.envValue\(args: \{ name: string \}\) \("env_value"\)/);
    const declarations = await call({ tools: ['test.add', 'nope.tool'] });
    assert.match(declarations, /^Unknown: nope\.tool\./);
    assert.match(declarations, /add\(args: /);
    assert.doesNotMatch(declarations, /echo\(/);
  });

  it('passes ${input:...} secrets to the server only: never to the log, the types or the model', async () => {
    const text = await runTool(`return await mcp.secretive.envValue({ name: 'API_TOKEN' })`);
    assert.match(text, new RegExp(`"length":${secretToken.length}`));
    assert.doesNotMatch(text, new RegExp(secretToken));
    assert.doesNotMatch(await logText(), new RegExp(secretToken));
    assert.doesNotMatch(await readApi(), new RegExp(secretToken));
  });

  it('logs each run: origin, calls with durations, console output, result size, errors', async () => {
    await runTool(`console.log('for the log'); return (await mcp.test.add({ a: 20, b: 22 })).sum`);
    await waitFor(async () => /console\.log: for the log/.test(await logText()), 5_000, 'the run in the log');
    const log = await logText();
    assert.match(log, /run from chat succeeded in [\d.]+ ms on isolated-vm: 1 tool call\(s\), result 2 characters/);
    assert.match(log, /call test\.add ok [\d.]+ ms/);
    assert.match(log, /run from chat failed \(script\)/);
    assert.match(log, /Error: boom \(line 2, column 7\)/);
    assert.match(log, /\[test\] connected \(codemode-test-server 1\.0\.0; protocol [\d-]+\)/);
  });

  it('runs a script file with "Run Code Mode Script" and shows the result beside it, in one read-only document', async () => {
    const script = vscode.Uri.file(join(folder(), 'sum.ts'));
    const results = () => vscode.workspace.textDocuments.filter((document) => document.uri.scheme === 'codemode-result');
    for (const _ of [1, 2]) {
      const run = (await vscode.commands.executeCommand('codeMode.runScript', script)) as { ok: boolean; result: unknown };
      assert.deepEqual([run.ok, run.result], [true, { total: 21 }]);
    }
    await waitFor(
      () => vscode.window.visibleTextEditors.some((editor) => editor.document.getText().includes('"total": 21')),
      5_000,
      'the result document',
    );
    // Run twice, shown once: the same document, updated in place, never "unsaved".
    assert.deepEqual(
      results().map((document) => [document.uri.path, document.languageId, document.isDirty, document.isUntitled]),
      [['/sum.ts.result.jsonc', 'jsonc', false, false]],
    );
    assert.match(await logText(), /run from sum\.ts succeeded/);
  });

  it('shows the problems of a hand-run script the check stopped in the Problems panel and its result document', async () => {
    const script = vscode.Uri.file(join(folder(), 'mistaken.ts'));
    await writeFile(script.fsPath, `const r = mcp.test.add({ a: 1, b: 2 });\nreturn r.sum;\n`);
    const run = (await vscode.commands.executeCommand('codeMode.runScript', script)) as {
      ok: boolean;
      calls: unknown[];
      error?: { name: string };
    };
    assert.deepEqual([run.ok, run.calls, run.error?.name], [false, [], 'TypeCheckError']);
    const problems = vscode.languages.getDiagnostics(script).filter((d) => d.source === 'Code Mode');
    assert.deepEqual(
      problems.map((d) => [d.range.start.line, d.range.start.character, d.code, d.severity]),
      [[1, 9, 2339, vscode.DiagnosticSeverity.Error]],
    );
    await waitFor(
      () => vscode.window.visibleTextEditors.some((editor) => editor.document.getText().includes("// line 2, column 10: Property 'sum'")),
      5_000,
      'the result document',
    );
    const document = await vscode.workspace.openTextDocument(script);
    const fix = new vscode.WorkspaceEdit();
    fix.replace(script, new vscode.Range(0, 0, document.lineCount, 0), `const r = await mcp.test.add({ a: 1, b: 2 });\nreturn r.sum;\n`);
    assert.ok(await vscode.workspace.applyEdit(fix));
    await document.save();
    const fixed = (await vscode.commands.executeCommand('codeMode.runScript', script)) as { ok: boolean };
    assert.equal(fixed.ok, true);
    assert.deepEqual(
      vscode.languages.getDiagnostics(script).filter((d) => d.source === 'Code Mode'),
      [],
    );
  });

  it('"Run Code Mode Script" without a file runs the script of the active editor tab, even with the focus in a panel', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(join(folder(), 'sum.ts')));
    await vscode.commands.executeCommand('codeMode.showLog');
    const run = (await vscode.commands.executeCommand('codeMode.runScript')) as { ok: boolean; result: unknown } | undefined;
    assert.deepEqual([run?.ok, run?.result], [true, { total: 21 }]);
  });

  it('follows settings: a server added in codeMode.servers appears in the API, and goes when removed', async () => {
    const config = vscode.workspace.getConfiguration('codeMode');
    const test = JSON.parse(await readFile(join(folder(), '.vscode', 'mcp.json'), 'utf8')).servers.test;
    await config.update('servers', { extra: test }, vscode.ConfigurationTarget.Workspace);
    await waitFor(async () => (await readApi()).includes('readonly extra:'), 20_000, 'extra in the API');
    assert.match(await runTool('return await mcp.extra.echo({ text: "from extra" })'), /^Result:\nfrom extra/);
    await config.update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor(async () => !(await readApi()).includes('readonly extra:'), 20_000, 'extra gone from the API');
  });

  it('never rewrites an unchanged API file', async () => {
    const before = (await stat(apiFile())).mtimeMs;
    await vscode.commands.executeCommand('codeMode.regenerateTypes');
    assert.equal((await stat(apiFile())).mtimeMs, before);
  });

  it('reports a bad settings entry and keeps the good servers working', async () => {
    const config = vscode.workspace.getConfiguration('codeMode');
    await config.update('servers', { broken: { command: 42 } }, vscode.ConfigurationTarget.Workspace);
    await waitFor(
      async () => /codeMode\.servers\.broken\.command: expected string, received number \(entry skipped\)/.test(await logText()),
      10_000,
      'the problem in the log',
    );
    assert.match(await runTool('return await mcp.test.echo({ text: "still fine" })'), /^Result:\nstill fine/);
    await config.update('servers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it("runs the sandbox host on a Node other than the extension host's (as under desktop VS Code), here Node 22", async () => {
    const otherNode = process.env.CODEMODE_TEST_OTHER_NODE!;
    assert.notEqual(otherNode, process.execPath);
    await vscode.workspace.getConfiguration('codeMode').update('sandbox.nodePath', otherNode, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        async () =>
          /^Result:\n2$/m.test(await runTool('return 1 + 1')) && (await logText()).includes(`sandbox host process on ${otherNode}`),
        20_000,
        'a run on the other Node',
      );
      assert.match(await logText(), /sandbox host started: isolated-vm 6\.2\.\d+ on Node v22\./);
    } finally {
      await vscode.workspace.getConfiguration('codeMode').update('sandbox.nodePath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('gives scripts beside the API IntelliSense, and accepts their top-level return there only', async () => {
    const script = vscode.Uri.file(join(folder(), '.vscode', 'codemode', 'typed.ts'));
    const firstLine = 'const { sum } = await mcp.test.add({ a: 1, b: 2 });';
    await writeFile(script.fsPath, `${firstLine}\nconst text: string = sum;\nreturn text;\n`);
    const outside = vscode.Uri.file(join(folder(), 'sum.ts'));
    const codes = (uri: vscode.Uri) =>
      vscode.languages.getDiagnostics(uri).map(({ code }) => Number(typeof code === 'object' ? code.value : code));
    try {
      await vscode.window.showTextDocument(outside, { preview: false });
      await vscode.window.showTextDocument(script, { preview: false });
      // TypeScript's own checks run there: the API types `sum` as a number.
      await waitFor(() => codes(script).includes(2322) && codes(outside).includes(1108), 45_000, 'TypeScript diagnostics of both files');
      const seen = vscode.languages
        .getDiagnostics(script)
        .map(
          (d) =>
            `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(typeof d.code === 'object' ? d.code.value : d.code)} ${d.message}`,
        );
      // Problems, not hints: TypeScript may add an "unused" hint (6133) while it settles, which no one reads as an error.
      const problems = vscode.languages
        .getDiagnostics(script)
        .filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint)
        .map(({ code }) => Number(typeof code === 'object' ? code.value : code));
      assert.deepEqual(problems, [2322], `only the type error: no TS1108 for the top-level return\n${seen.join('\n')}`);
      assert.ok(!codes(script).includes(1108), `TS1108 at any severity\n${seen.join('\n')}`);
      // And IntelliSense: completions after `mcp.test.` are the server's tools.
      const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        script,
        new vscode.Position(0, firstLine.indexOf('add(')),
        '.',
      );
      const labels = completions.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      assert.ok(
        ['add', 'echo'].every((tool) => labels.includes(tool)),
        labels.join(', '),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
  it('bounds the wait for a slow server in codemode_api and the confirmation as in a run (half its time limit)', async () => {
    const config = vscode.workspace.getConfiguration('codeMode');
    const test = JSON.parse(await readFile(join(folder(), '.vscode', 'mcp.json'), 'utf8')).servers.test;
    await config.update('timeoutMs', 2_000, vscode.ConfigurationTarget.Workspace);
    await config.update(
      'servers',
      { sluggish: { ...test, args: [...test.args, '--slow-start=60000'] } },
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      const api = (await vscode.lm.invokeTool('codemode_api', { input: {}, toolInvocationToken: undefined })).content
        .map((part) => (part as vscode.LanguageModelTextPart).value)
        .join('');
      assert.match(api, /Server "sluggish" is unavailable: still starting after 1000 ms/);
      const started = Date.now();
      const text = await runTool('return await mcp.sluggish.echo({ text: "x" })');
      assert.match(text, /^The script failed: ToolError: Server "sluggish" is not available in this run: still starting after 1000 ms/);
      assert.match(text, /\nServer "sluggish" was not available in this run: still starting after 1000 ms/);
      // The connect timeout (30 s) is not what ended the wait.
      assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
    } finally {
      await config.update('servers', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('timeoutMs', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('writes the API types only inside the workspace, and never over a file it did not write', async () => {
    const config = vscode.workspace.getConfiguration('codeMode');
    const projectTsconfig = '{ "compilerOptions": { "strict": false } }\n';
    await writeFile(join(folder(), 'tsconfig.json'), projectTsconfig);
    try {
      await config.update('typesFile', 'api.d.ts', vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('codeMode.regenerateTypes');
      assert.equal(await readFile(join(folder(), 'tsconfig.json'), 'utf8'), projectTsconfig);
      assert.equal(existsSync(join(folder(), 'api.d.ts')), false);
      await waitFor(
        async () => /tsconfig\.json exists and was not written by Code Mode/.test(await logText()),
        5_000,
        'the refusal in the log',
      );

      await config.update('typesFile', '../outside/api.d.ts', vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('codeMode.regenerateTypes');
      assert.equal(existsSync(join(folder(), '..', 'outside')), false);
    } finally {
      await config.update('typesFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
    // Its own files it keeps up to date; they say whose they are.
    assert.match(await readFile(join(folder(), '.vscode', 'codemode', 'tsconfig.json'), 'utf8'), /^\/\/ Code Mode: /);
  });

  it('asks for a saved ${input:...} again when the server that receives it changes', async () => {
    const asked = async () => ((await logText()).match(/asking for \$\{input:token\}/g) ?? []).length;
    assert.equal(await asked(), 1);
    const mcpJsonPath = join(folder(), '.vscode', 'mcp.json');
    const original = await readFile(mcpJsonPath, 'utf8');
    const changed = JSON.parse(original);
    changed.servers.secretive.args.push('--another-program');
    await writeFile(mcpJsonPath, JSON.stringify(changed, null, 2));
    try {
      await waitFor(async () => /\[secretive\] configuration changed, restarting/.test(await logText()), 10_000, 'the change applied');
      let text: string | undefined;
      const running = runTool(`return await mcp.secretive.envValue({ name: 'API_TOKEN' })`).then((result) => (text = result));
      await acceptPromptsUntil(async () => text !== undefined, 'the run after a second prompt');
      assert.match(await running, /"length":/);
      assert.equal(await asked(), 2);
    } finally {
      await writeFile(mcpJsonPath, original);
    }
  });
});
