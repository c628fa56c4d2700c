import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approvedNames } from '../../../src/cli/cliApprovals';
import { projectRoot } from '../helpers';
import { codemode } from './runCli';

const approvalServerScript = join(projectRoot, 'out', 'fixtures', 'approvalServer.js');

/** A folder whose mcp.json starts the annotated fixture server, recording what reaches it. */
async function notesWorkspace(): Promise<{ cwd: string; received: () => Promise<string[]> }> {
  const cwd = await mkdtemp(join(tmpdir(), 'codemode-cli-approvals-'));
  const record = join(cwd, 'calls.jsonl');
  await mkdir(join(cwd, '.vscode'));
  await writeFile(
    join(cwd, '.vscode', 'mcp.json'),
    JSON.stringify({ servers: { notes: { command: process.execPath, args: [approvalServerScript, `--record=${record}`] } } }),
  );
  return {
    cwd,
    received: async () =>
      existsSync(record)
        ? (await readFile(record, 'utf8'))
            .trim()
            .split('\n')
            .map((line) => (JSON.parse(line) as { tool: string }).tool)
        : [],
  };
}

const script = `
  const read = await mcp.notes.readNote({ name: 'a' });
  const outcomes = [];
  for (const call of [() => mcp.notes.writeNote({ name: 'a', text: 'x' }), () => mcp.notes.deleteNote({ name: 'a' })]) {
    try { outcomes.push(await call()); } catch (e) { outcomes.push(e.name + ': ' + e.message); }
  }
  return { read, outcomes };`;

describe('codemode CLI approvals', function () {
  // Each case starts the CLI (and its server) more than once.
  this.timeout(120_000);
  it('a run that cannot ask refuses writes not approved, saying which flag approves them; reads go through', async () => {
    const { cwd, received } = await notesWorkspace();
    const outcome = await codemode(['run', '-', '--json'], { cwd, stdin: script });
    assert.equal(outcome.code, 0, outcome.stderr);
    const json = JSON.parse(outcome.stdout);
    assert.deepEqual(json.result, {
      read: '',
      outcomes: [
        'ToolError: notes.write_note was not called: not approved: it may change things and this run cannot ask (run with --approve notes.write_note, --approve notes.* or --approve all)',
        'ToolError: notes.delete_note was not called: not approved: it may change things and this run cannot ask (run with --approve notes.delete_note, --approve notes.* or --approve all)',
      ],
    });
    assert.deepEqual(await received(), ['read_note']);
  });

  it('--approve server.tool approves that tool, server.* and all every tool', async () => {
    const one = await notesWorkspace();
    const approvedOne = await codemode(['run', '-', '--json', '--approve', 'notes.write_note'], { cwd: one.cwd, stdin: script });
    assert.deepEqual(JSON.parse(approvedOne.stdout).result.outcomes[0], 'written');
    assert.match(JSON.parse(approvedOne.stdout).result.outcomes[1], /notes\.delete_note was not called/);
    assert.deepEqual(await one.received(), ['read_note', 'write_note']);
    for (const flag of ['notes.*', 'all']) {
      const each = await notesWorkspace();
      const approved = await codemode(['run', '-', '--json', '--approve', flag], { cwd: each.cwd, stdin: script });
      assert.deepEqual(JSON.parse(approved.stdout).result.outcomes, ['written', 'deleted'], flag);
      assert.deepEqual(await each.received(), ['read_note', 'write_note', 'delete_note'], flag);
    }
  });

  it('CODEMODE_APPROVE_MODE=destructive lets writes through and still refuses destructive calls', async () => {
    const { cwd, received } = await notesWorkspace();
    const outcome = await codemode(['run', '-', '--json'], { cwd, stdin: script, env: { CODEMODE_APPROVE_MODE: 'destructive' } });
    assert.equal(JSON.parse(outcome.stdout).result.outcomes[0], 'written');
    assert.deepEqual(await received(), ['read_note', 'write_note']);
  });

  it('a malformed --approve is a usage error (exit 2)', async () => {
    const { cwd } = await notesWorkspace();
    const outcome = await codemode(['run', '-', '--approve', 'notes'], { cwd, stdin: 'return 1' });
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /--approve needs server\.tool, server\.\* or all, received "notes"/);
    assert.deepEqual(approvedNames(['all', 'a.b', 'a.*']), ['*', 'a.b', 'a.*']);
  });
});
