import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { defaultLimits } from '../../../src/core/defaults';
import { modelReport } from '../../../src/core/engine/modelReport';
import { RunRecorder } from '../../../src/core/runs/runRecorder';
import { createTestEngine, projectRoot, startRemoteTestServer, stdioTestServer, type TestEngine } from '../helpers';
import { accountTokens } from '../../../src/core/runs/tokenAccount';
import { TokenCounter } from '../../../src/core/runs/tokenCounter';

const secret = 'sk-live-4f9a1c0e77b2d3';

describe('RunRecorder', () => {
  let t: TestEngine;
  let remote: Awaited<ReturnType<typeof startRemoteTestServer>>;
  before(async () => {
    remote = await startRemoteTestServer('--http');
    t = await createTestEngine([
      stdioTestServer('test', [], { API_TOKEN: secret }),
      { name: 'remote', type: 'http', url: remote.url, headers: { Authorization: `Bearer ${secret}`, 'X-Api-Key': secret } },
    ]);
  });
  after(async () => {
    await t.dispose();
    await remote.stop();
  });

  async function recordRun(script: string) {
    const recorder = new RunRecorder({ origin: 'command', label: 'demo.ts', script });
    const run = await t.engine.run(script, { observer: recorder, clock: recorder.clock, timeoutMs: 20_000 });
    return { run, ...recorder.finish(run, modelReport(run)) };
  }

  it('records the script, each call with arguments, result, timing and error, the console, result and report', async () => {
    const script = `
      console.log('start');
      const sum = await mcp.test.add({ a: 2, b: 3 });
      const echoed = await mcp.remote.echo({ text: 'over http' });
      try { await mcp.test.fail({ message: 'disk full' }); } catch (e) { console.warn(e.message); }
      return { sum, echoed };`;
    const { run, record } = await recordRun(script);
    assert.equal(run.ok, true, run.text);
    assert.equal(record.origin, 'command');
    assert.equal(record.label, 'demo.ts');
    assert.equal(record.script, script);
    assert.equal(record.backend, run.stats.backend);
    assert.equal(record.limits.timeoutMs, 20_000);
    assert.ok(record.bindings.some((b) => b.server === 'remote' && 'toolId' in b && b.toolId === 'echo'));
    assert.deepEqual(
      record.calls.map(({ server, tool, args, ok, error, reply }) => ({ server, tool, args, ok, error, reply })),
      [
        { server: 'test', tool: 'add', args: { a: 2, b: 3 }, ok: true, error: undefined, reply: { value: { sum: 5 } } },
        { server: 'remote', tool: 'echo', args: { text: 'over http' }, ok: true, error: undefined, reply: { value: 'over http' } },
        {
          server: 'test',
          tool: 'fail',
          args: { message: 'disk full' },
          ok: false,
          error: 'disk full',
          reply: { error: { name: 'ToolError', message: 'disk full', server: 'test', tool: 'fail' } },
        },
      ],
    );
    for (const call of record.calls) {
      assert.equal(typeof call.ms, 'number');
      assert.ok(call.atMs >= 0);
    }
    assert.ok(record.calls[1].atMs >= record.calls[0].atMs);
    assert.deepEqual(record.logs, [
      { level: 'log', text: 'start' },
      { level: 'warn', text: 'disk full' },
    ]);
    assert.equal(record.resultJson, '{"sum":{"sum":5},"echoed":"over http"}');
    assert.equal(record.report, modelReport(run));
    assert.equal(record.ok, true);
    assert.match(record.id, /^[0-9a-z]{9}-[0-9a-f]{8}$/);
  });

  it('never stores configuration secrets: env, headers', async () => {
    const { record } = await recordRun(`
      const env = await mcp.test.envValue({ name: 'API_TOKEN' });
      return [env, await mcp.remote.echo({ text: 'hi' })];`);
    // The server did get the secret (its length is reported), yet no trace of it is in the record.
    assert.deepEqual(JSON.parse(record.resultJson!)[0], { set: true, length: secret.length });
    const stored = JSON.stringify(record);
    assert.ok(!stored.includes(secret), 'the record holds the secret');
    assert.ok(!stored.includes('Bearer'), 'the record holds a header');
    assert.ok(!stored.includes(projectRoot), 'the record holds a server command or path');
  });

  it('records failed runs with the error and its line', async () => {
    const { record } = await recordRun(`const x = 1;\nthrow new Error('boom at line 2');`);
    assert.equal(record.ok, false);
    assert.deepEqual([record.error?.name, record.error?.message, record.error?.line], ['Error', 'boom at line 2', 2]);
    assert.match(record.report, /^The script failed: Error: boom at line 2 \(line 2/);
  });

  it('records a script that does not compile, with the default limits for its replay', async () => {
    const { record } = await recordRun(`return (;`);
    assert.equal(record.error?.kind, 'syntax');
    assert.deepEqual(record.limits, defaultLimits);
    assert.deepEqual(record.calls, []);
  });

  it('records Date.now, new Date() and Math.random in the order the script drew them', async () => {
    const { run, record } = await recordRun(
      `return [Date.now(), new Date().getTime(), Math.random(), Math.random(), new Date(5).getTime()];`,
    );
    const [now1, now2, random1, random2, fixed] = run.result as number[];
    assert.deepEqual(record.clock, { now: [now1, now2], random: [random1, random2], complete: true });
    assert.equal(fixed, 5);
  });

  it('keeps Date itself working: instanceof, subclasses, Date() as a function, statics', async () => {
    const { run } = await recordRun(`
      class Day extends Date {}
      const d = new Day(2020, 0, 2);
      return [new Date() instanceof Date, d instanceof Date, d.getFullYear(), typeof Date(), Date.UTC(2020, 0, 1), Date.parse('2020-01-01T00:00:00Z'), new Date().constructor === Date, Date.name];`);
    assert.deepEqual(run.result, [true, true, 2020, 'string', 1577836800000, 1577836800000, true, 'Date']);
  });

  it('keeps a capped number of clock values and says when it stopped keeping them', async () => {
    const { run, record } = await recordRun(`for (let i = 0; i < 10005; i++) Math.random(); return 1;`);
    assert.equal(run.ok, true);
    assert.equal(record.clock?.random.length, 10000);
    assert.equal(record.clock?.complete, false);
  });

  it('keeps a reply up to its cap and notes the size of one it did not keep', async () => {
    const script = `return (await mcp.test.records({ count: 200 })).length`;
    const recorder = new RunRecorder({ origin: 'cli', script, replyCapChars: 1_000 });
    const run = await t.engine.run(script, { observer: recorder, clock: recorder.clock });
    const { record } = recorder.finish(run, modelReport(run));
    assert.equal(record.calls[0].reply, undefined);
    assert.ok(record.calls[0].replyChars > 1_000);
    assert.equal(record.resultJson, '200');
  });
});

describe('accountTokens', () => {
  const counter = new TokenCounter(join(projectRoot, 'dist', 'tokenWorker.js'));
  after(() => counter.dispose());

  it('counts each call and result (4 tokens of framing each) against the script and the report, with o200k_base', async () => {
    const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
    const inputs = {
      calls: [
        {
          call: '{"name":"test_records","arguments":{"count":50}}',
          result: JSON.stringify(Array.from({ length: 50 }, (_, id) => ({ id }))),
        },
        { call: '{"name":"test_echo","arguments":{"text":"x"}}', result: 'x' },
      ],
      script: '{"name":"codemode_run","arguments":{"code":"return 1"}}',
      report: 'Result:\n1',
    };
    const tokens = await accountTokens(inputs, counter);
    const traditional = inputs.calls.reduce((sum, { call, result }) => sum + countTokens(call) + countTokens(result) + 8, 0);
    assert.deepEqual(tokens, {
      traditional,
      script: countTokens(inputs.script) + 4,
      received: countTokens(inputs.report) + 4,
      saved: traditional - countTokens(inputs.script) - 4 - countTokens(inputs.report) - 4,
    });
    assert.ok(tokens.saved > 0);
  });

  it('counts a recorded run from what traditional calling would have shown', async () => {
    const t = await createTestEngine([stdioTestServer()]);
    try {
      const script = `const r = await mcp.test.records({ count: 100 }); return r.length;`;
      const recorder = new RunRecorder({ origin: 'cli', script });
      const run = await t.engine.run(script, { observer: recorder, clock: recorder.clock });
      const { tokenInputs } = recorder.finish(run, modelReport(run));
      assert.equal(tokenInputs.calls.length, 1);
      assert.equal(tokenInputs.calls[0].call, '{"name":"test_records","arguments":{"count":100}}');
      assert.deepEqual((JSON.parse(tokenInputs.calls[0].result) as unknown[]).length, 100);
      assert.equal(tokenInputs.script, JSON.stringify({ name: 'codemode_run', arguments: { code: script } }));
      const tokens = await accountTokens(tokenInputs, counter);
      assert.ok(tokens.traditional > 1_000, `traditional ${tokens.traditional}`);
      assert.ok(tokens.saved > 0);
    } finally {
      await t.dispose();
    }
  });
});
