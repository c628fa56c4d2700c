import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServerScript } from '../helpers';
import { codemode } from '../cli/runCli';

// A write (echo stands for it: the call is recorded), then a missing await.
const mistaken = `await mcp.test.echo({ text: 'written' });\nconst r = mcp.test.add({ a: 1, b: 2 });\nreturn r.sum.toFixed(1);\n`;

describe('codemode check, and the check before codemode run', () => {
  let cwd: string;
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'codemode-check-cli-'));
    await mkdir(join(cwd, '.vscode'));
    await writeFile(
      join(cwd, '.vscode', 'mcp.json'),
      JSON.stringify({ servers: { test: { command: process.execPath, args: [testServerScript] } } }),
    );
    await writeFile(join(cwd, 'mistaken.ts'), mistaken);
    await writeFile(join(cwd, 'fine.ts'), `const r = await mcp.test.add({ a: 1, b: 2 });\nreturn r.sum;\n`);
  });

  it('check prints the problems and exits 1; a script without one exits 0', async () => {
    const blocked = await codemode(['check', 'mistaken.ts'], { cwd });
    assert.equal(blocked.code, 1, blocked.stderr);
    assert.match(
      blocked.stdout,
      /^TypeCheckError: the script was not run, so no tool was called\. This problem would make it fail:\nline 3, column 10: Property 'sum' does not exist on type 'Promise<TestAddOutput>'\. \(TS2339\)/,
    );
    assert.match(blocked.stdout, /add\(args: TestAddInput\): Promise<TestAddOutput>;/);
    const fine = await codemode(['check', 'fine.ts', '--json'], { cwd });
    assert.equal(fine.code, 0, fine.stderr);
    assert.deepEqual(JSON.parse(fine.stdout).diagnostics, []);
  });

  it('run --json checks first: TypeCheckError, the diagnostics, no calls, exit 1', async () => {
    const outcome = await codemode(['run', 'mistaken.ts', '--json'], { cwd });
    assert.equal(outcome.code, 1, outcome.stderr);
    const json = JSON.parse(outcome.stdout);
    assert.deepEqual([json.ok, json.calls, json.error.name, json.error.line, json.error.column], [false, [], 'TypeCheckError', 3, 10]);
    assert.deepEqual(json.diagnostics, [
      { line: 3, column: 10, code: 2339, message: "Property 'sum' does not exist on type 'Promise<TestAddOutput>'." },
    ]);
  });

  it('run --no-check runs it anyway: the write happens, then the script fails', async () => {
    const outcome = await codemode(['run', 'mistaken.ts', '--json', '--no-check'], { cwd });
    assert.equal(outcome.code, 1, outcome.stderr);
    const json = JSON.parse(outcome.stdout);
    assert.deepEqual([json.ok, json.error.name, json.calls[0].tool, json.calls[0].ok], [false, 'TypeError', 'echo', true]);
    assert.equal(json.diagnostics, undefined);
  });
});
