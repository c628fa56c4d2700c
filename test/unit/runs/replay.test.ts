import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { modelReport } from '../../../src/core/engine/modelReport';
import { replayRun } from '../../../src/core/runs/replay';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunRecorder } from '../../../src/core/runs/runRecorder';
import type { Executor } from '../../../src/core/sandbox/contract/executor';
import { SandboxHostExecutor } from '../../../src/core/sandbox/launcher/sandboxHostExecutor';
import { QuickJsExecutor } from '../../../src/core/sandbox/quickJs/quickJsExecutor';
import { RecordingLogger, createTestEngine, projectRoot, sandboxHostScript, stdioTestServer } from '../helpers';

/** Draws the clock, makes concurrent and dependent calls, and returns all of it. */
const script = `
  const started = Date.now();
  const picks = [Math.random(), Math.random()];
  const [a, b] = await Promise.all([mcp.test.add({ a: 1, b: 2 }), mcp.test.echo({ text: 'two' })]);
  const records = await mcp.test.records({ count: Math.floor(picks[0] * 5) + 1 });
  let failed = '';
  try { await mcp.test.fail({ message: 'nope' }); } catch (e) { failed = e.name + ': ' + e.message; }
  console.log('at', new Date().toISOString());
  return { started, picks, a, b, records: records.length, failed, late: new Date().getTime() };`;

describe('replayRun', () => {
  let recorded: RunRecord;
  const logger = new RecordingLogger();
  const executors: Record<string, Executor> = {
    'isolated-vm': new SandboxHostExecutor({ nodePath: process.execPath, hostScript: sandboxHostScript, logger }),
    quickjs: new QuickJsExecutor({
      logger,
      wasmPath: join(projectRoot, 'dist', 'quickjs.wasm'),
      workerScript: join(projectRoot, 'dist', 'quickJsWorker.js'),
    }),
  };

  before(async () => {
    // Recorded against a real server, which is gone before any replay starts.
    const t = await createTestEngine([stdioTestServer()]);
    try {
      const recorder = new RunRecorder({ origin: 'cli', script });
      const run = await t.engine.run(script, { observer: recorder, clock: recorder.clock });
      assert.equal(run.ok, true, run.text);
      recorded = recorder.finish(run, modelReport(run)).record;
    } finally {
      await t.dispose();
    }
  });
  after(() => Promise.all(Object.values(executors).map((executor) => executor.dispose())));

  for (const [backend, executor] of Object.entries(executors)) {
    it(`gives the same calls the same results, with the recorded clock, and no server (${backend})`, async () => {
      const first = await replayRun(recorded, executor);
      const second = await replayRun(recorded, executor);
      assert.equal(first.run.ok, true, first.run.text);
      assert.equal(JSON.stringify(first.run.result), recorded.resultJson);
      assert.equal(first.sameResult, true);
      assert.deepEqual(second.run.result, first.run.result);
      assert.deepEqual(first.run.logs, recorded.logs);
      assert.deepEqual(first.run.clock, recorded.clock);
      assert.deepEqual(
        first.run.calls.map(({ server, tool, ok }) => `${server}.${tool} ${ok}`),
        ['test.add true', 'test.echo true', 'test.records true', 'test.fail false'],
      );
    });
  }

  it('records the replay itself, with origin "replay" and the recording as its label', async () => {
    const { run, recorder } = await replayRun(recorded, executors['isolated-vm']);
    const { record } = recorder.finish(run, modelReport(run));
    assert.equal(record.origin, 'replay');
    assert.equal(record.label, recorded.id);
    assert.deepEqual(
      record.calls.map((call) => call.reply),
      recorded.calls.map((call) => call.reply),
    );
  });

  it('fails a call that is not in the recording clearly, naming what was recorded there', async () => {
    const changed = script.replace("mcp.test.echo({ text: 'two' })", "mcp.test.echo({ text: 'three' })");
    const { run, sameResult } = await replayRun(recorded, executors['isolated-vm'], { script: changed });
    assert.equal(run.ok, false);
    assert.equal(run.error?.name, 'ToolError');
    assert.equal(run.error?.message, 'test.echo({"text":"three"}) is not in the recording: call 2 there is test.echo({"text":"two"})');
    assert.equal(sameResult, false);
  });

  it('fails a call past the end of the recording, and calls made in another order', async () => {
    const extra = await replayRun(recorded, executors['isolated-vm'], {
      script: `${script.replace(/return[^]*$/, '')}\nawait mcp.test.echo({ text: 'more' });`,
    });
    assert.equal(extra.run.error?.message, 'test.echo({"text":"more"}) is not in the recording: it has 4 call(s)');
    const reordered = await replayRun(recorded, executors['isolated-vm'], {
      script: `await mcp.test.echo({ text: 'two' }); return await mcp.test.add({ a: 1, b: 2 });`,
    });
    assert.equal(
      reordered.run.error?.message,
      'test.echo({"text":"two"}) is not in the recording: call 1 there is test.add({"a":1,"b":2})',
    );
  });

  it('fails a call whose reply was too large to keep, saying so', async () => {
    const bare = { ...recorded, calls: recorded.calls.map((call) => ({ ...call, reply: undefined })) };
    const { run } = await replayRun(bare, executors['isolated-vm']);
    assert.equal(run.error?.message, `The recorded result of test.add was too large to keep (${recorded.calls[0].replyChars} characters)`);
  });

  it('draws fresh clock values once the recorded ones run out', async () => {
    const { run } = await replayRun({ ...recorded, clock: { now: [42], random: [0.5], complete: true } }, executors['isolated-vm'], {
      script: 'return [Date.now(), Math.random(), Date.now() > 42, Math.random() !== 0.5];',
    });
    assert.deepEqual(run.result, [42, 0.5, true, true]);
  });
});
