import { strict as assert } from 'node:assert';
import { createTestEngine, isAlive, stdioTestServer, type TestEngine } from '../helpers';

/** The sandbox for real: isolated-vm in the sandbox host process, one fresh isolate per run. */
describe('sandbox (isolated-vm in the sandbox host)', () => {
  let t: TestEngine;
  before(async () => {
    t = await createTestEngine([stdioTestServer()]);
  });
  after(() => t.dispose());

  it('exposes mcp, console, setTimeout and the language built-ins, and nothing of the host', async () => {
    const run = await t.engine.run(`
      const seen = {};
      for (const name of ['require', 'process', 'fetch', 'module', 'Buffer', 'global', 'WebAssembly', 'XMLHttpRequest', 'importScripts'])
        seen[name] = typeof globalThis[name];
      return { seen, mcp: typeof mcp.call, console: typeof console.log, timer: typeof setTimeout, json: typeof JSON.parse, map: typeof Map };
    `);
    assert.deepEqual(run.result, {
      seen: { require: 'undefined', process: 'undefined', fetch: 'undefined', module: 'undefined', Buffer: 'undefined', global: 'undefined', WebAssembly: 'undefined', XMLHttpRequest: 'undefined', importScripts: 'undefined' },
      mcp: 'function',
      console: 'function',
      timer: 'function',
      json: 'function',
      map: 'function',
    });
  });

  it('has no import()', async () => {
    const run = await t.engine.run(`return await import('node:fs')`);
    assert.equal(run.ok, false);
    assert.doesNotMatch(run.text, /readFileSync/);
  });

  it('captures console output by level, and caps it, counting what was dropped', async () => {
    const run = await t.engine.run(`console.log('a', 1, {b: 2}); console.warn('w'); console.error(new Error('e')); for (let i = 0; i < 50; i++) console.debug(i);`, { maxLogEntries: 10 });
    assert.equal(run.ok, true);
    assert.deepEqual(run.logs.slice(0, 2), [
      { level: 'log', text: 'a 1 {"b":2}' },
      { level: 'warn', text: 'w' },
    ]);
    assert.match(run.logs[2].text, /^Error: e\n\s+at script\.ts:1:/);
    assert.equal(run.logs.length, 10);
    assert.equal(run.stats.droppedLogs, 43);
  });

  it('caps console volume in characters', async () => {
    const run = await t.engine.run(`for (let i = 0; i < 100; i++) console.log('x'.repeat(100));`, { maxLogChars: 250 });
    assert.equal(run.logs.map((entry) => entry.text).join('').replace('… [truncated]', '').length, 250);
    assert.equal(run.stats.droppedLogs, 97);
  });

  it('runs setTimeout callbacks and honours clearTimeout', async () => {
    const run = await t.engine.run(`
      const order = [];
      const cleared = setTimeout(() => order.push('cleared'), 5);
      clearTimeout(cleared);
      await new Promise((resolve) => setTimeout(() => { order.push('late'); resolve(); }, 20));
      setTimeout(() => order.push('never awaited'), 10_000);
      return order;
    `);
    assert.deepEqual(run.result, ['late']);
  });

  it('stops an endless loop at the time limit; the next run works', async () => {
    const run = await t.engine.run('while (true) {}', { timeoutMs: 300 });
    assert.equal(run.ok, false);
    assert.deepEqual([run.error?.kind, run.error?.message], ['timeout', 'The run exceeded its 300 ms time limit and was stopped']);
    assert.equal((await t.engine.run('return 1')).result, 1);
  });

  it('stops a loop that starts after an awaited tool call (host watchdog)', async () => {
    const run = await t.engine.run(`await mcp.test.echo({ text: 'x' }); while (true) {}`, { timeoutMs: 500 });
    assert.equal(run.error?.kind, 'timeout');
    assert.equal(run.calls.length, 1);
    assert.equal((await t.engine.run('return 2')).result, 2);
  });

  it('stops a run that never settles', async () => {
    const run = await t.engine.run(`await new Promise(() => {});`, { timeoutMs: 300 });
    assert.equal(run.error?.kind, 'timeout');
  });

  it('stops a script that allocates without end at the memory limit; the next run works', async () => {
    const run = await t.engine.run(`const keep = []; while (true) keep.push('x'.repeat(1e5) + keep.length);`, { memoryMb: 32 });
    assert.equal(run.ok, false);
    assert.deepEqual([run.error?.kind, run.error?.message], ['memory', 'The script used more than its 32 MB memory limit and was stopped']);
    assert.equal((await t.engine.run('return 3')).result, 3);
  });

  it('keeps nothing between runs', async () => {
    await t.engine.run(`globalThis.leak = 1; Object.prototype.polluted = true; Array.prototype.push = null;`);
    const run = await t.engine.run(`return [typeof leak, 'polluted' in {}, typeof [].push]`);
    assert.deepEqual(run.result, ['undefined', false, 'function']);
  });

  it('runs tool calls made with Promise.all concurrently (100 calls of a 10 ms tool overlap)', async () => {
    const run = await t.engine.run(`
      const spans = await Promise.all(Array.from({ length: 100 }, () => mcp.test.sleep({ ms: 10 })));
      return spans;
    `);
    assert.equal(run.ok, true, run.text);
    const spans = run.result as Array<{ startedAt: number; endedAt: number }>;
    assert.equal(spans.length, 100);
    // Concurrency by overlap: with calls one by one, no call would start before the previous one ended.
    const maxInFlight = Math.max(...spans.map((span) => spans.filter((other) => other.startedAt <= span.startedAt && other.endedAt > span.startedAt).length));
    assert.ok(maxInFlight >= 10, `at most ${maxInFlight} calls overlapped`);
  });

  it('restarts the sandbox host when it dies', async () => {
    await t.engine.run('return 0');
    const child = await (t.executor as unknown as { child: Promise<{ pid: number; kill(signal: string): void }> }).child;
    child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(isAlive(child.pid), false);
    assert.equal((await t.engine.run('return 4')).result, 4);
  });
});
