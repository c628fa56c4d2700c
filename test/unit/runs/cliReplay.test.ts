import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { codemode } from '../cli/runCli';
import { testServerScript } from '../helpers';

describe('codemode run --record and codemode replay', () => {
  let cwd: string;
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'codemode-replay-'));
    await mkdir(join(cwd, '.vscode'));
    const server = { command: process.execPath, args: [testServerScript], env: { API_TOKEN: 'secret-in-env-1234' } };
    await writeFile(join(cwd, '.vscode', 'mcp.json'), JSON.stringify({ servers: { test: server } }));
    await writeFile(
      join(cwd, 'script.ts'),
      `const rows = await mcp.test.records({ count: 40 });\nconsole.log('rows', rows.length);\nreturn { n: rows.length, at: Date.now(), pick: Math.random() };`,
    );
  });
  after(() => rm(cwd, { recursive: true, force: true }));

  it('records a run to a file, with its token account, and replays it with no server: same result, exit 0', async () => {
    const run = await codemode(['run', 'script.ts', '--json', '--record', 'run.json'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /recorded to run\.json: 1 call\(s\); [\d,]+ tokens saved \(estimate\)/);
    const record = JSON.parse(await readFile(join(cwd, 'run.json'), 'utf8')) as RunRecord;
    assert.equal(record.origin, 'cli');
    assert.equal(record.label, 'script.ts');
    assert.ok(record.tokens && record.tokens.traditional > record.tokens.received, JSON.stringify(record.tokens));
    assert.ok(!JSON.stringify(record).includes('secret-in-env-1234'));

    // No configuration at all in the replay's folder: no server can start.
    const elsewhere = await mkdtemp(join(tmpdir(), 'codemode-replay-bare-'));
    try {
      const replay = await codemode(['replay', join(cwd, 'run.json'), '--json'], { cwd: elsewhere });
      assert.equal(replay.code, 0, replay.stderr);
      const json = JSON.parse(replay.stdout);
      assert.deepEqual(json.result, JSON.parse(run.stdout).result);
      assert.deepEqual(json.logs, [{ level: 'log', text: 'rows 40' }]);
      assert.deepEqual(json.replay, { of: record.id, calls: 1, recordedCalls: 1, sameResult: true });
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('fails a changed script clearly (exit 1), and refuses a file that is not a recording (exit 2)', async () => {
    assert.equal((await codemode(['run', 'script.ts', '--record', 'run2.json'], { cwd })).code, 0);
    await writeFile(join(cwd, 'changed.ts'), `return (await mcp.test.records({ count: 41 })).length;`);
    const changed = await codemode(['replay', 'run2.json', '--script', 'changed.ts'], { cwd });
    assert.equal(changed.code, 1);
    assert.match(
      changed.stderr,
      /ToolError: test\.records\(\{"count":41\}\) is not in the recording: call 1 there is test\.records\(\{"count":40\}\)/,
    );
    const notRecording = await codemode(['replay', 'script.ts'], { cwd });
    assert.equal(notRecording.code, 2);
    assert.match(notRecording.stderr, /Cannot read the recording script\.ts/);
  });
});
