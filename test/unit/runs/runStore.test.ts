import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLimits } from '../../../src/core/defaults';
import { runRecordVersion, type RunRecord } from '../../../src/core/runs/runRecord';
import { newRunId } from '../../../src/core/runs/runRecorder';
import { RunStore } from '../../../src/core/runs/runStore';

let clock = Date.UTC(2026, 11, 1);

function record(fields: Partial<RunRecord> = {}): RunRecord {
  const at = new Date((clock += 1_000));
  return {
    version: runRecordVersion,
    id: newRunId(at),
    origin: 'chat',
    startedAt: at.toISOString(),
    script: 'return 1',
    backend: 'isolated-vm',
    limits: defaultLimits,
    bindings: [],
    calls: [],
    logs: [],
    droppedLogs: 0,
    ok: true,
    resultJson: '1',
    report: 'Result:\n1',
    durationMs: 3,
    ...fields,
  };
}

describe('RunStore', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'codemode-runs-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('saves runs as JSON files and lists them newest first, with what the view shows', async () => {
    const store = new RunStore(join(folder, 'runs'));
    const first = record({ origin: 'cli' });
    const second = record({
      ok: false,
      error: { kind: 'script', name: 'ToolError', message: 'x' },
      tokens: { traditional: 90, script: 20, received: 10, saved: 60 },
    });
    await store.save(first);
    await store.save(second);
    const list = await new RunStore(join(folder, 'runs')).list();
    assert.deepEqual(
      list.map(({ id, origin, ok, errorName, calls, tokens }) => ({ id, origin, ok, errorName, calls, saved: tokens?.saved })),
      [
        { id: second.id, origin: 'chat', ok: false, errorName: 'ToolError', calls: 0, saved: 60 },
        { id: first.id, origin: 'cli', ok: true, errorName: undefined, calls: 0, saved: undefined },
      ],
    );
    assert.deepEqual(await store.get(first.id), first);
  });

  it('keeps at most maxRuns, dropping the oldest', async () => {
    const store = new RunStore(folder, { maxRuns: 3, maxBytes: 10_000_000 });
    const records = [record(), record(), record(), record(), record()];
    for (const r of records) {
      await store.save(r);
    }
    assert.deepEqual(
      (await store.list()).map((s) => s.id),
      records
        .slice(2)
        .reverse()
        .map((r) => r.id),
    );
    assert.equal((await readdir(folder)).length, 3);
  });

  it('keeps at most maxBytes, dropping the oldest, but always the newest run', async () => {
    const big = 'x'.repeat(4_000);
    const store = new RunStore(folder, { maxRuns: 100, maxBytes: 10_000 });
    const records = [record({ script: big }), record({ script: big }), record({ script: big })];
    for (const r of records) {
      await store.save(r);
    }
    assert.deepEqual(
      (await store.list()).map((s) => s.id),
      [records[2].id, records[1].id],
    );
    const huge = record({ script: 'y'.repeat(20_000) });
    await store.save(huge);
    assert.deepEqual(
      (await store.list()).map((s) => s.id),
      [huge.id],
    );
  });

  it('clears every run, and leaves other files alone', async () => {
    const store = new RunStore(folder);
    await store.save(record());
    await writeFile(join(folder, 'notes.txt'), 'mine');
    await store.clear();
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await readdir(folder), ['notes.txt']);
  });

  it('reads nothing outside its folder and lists nothing from a missing one', async () => {
    const store = new RunStore(join(folder, 'missing'));
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.get('../../etc/passwd'), undefined);
  });
});
