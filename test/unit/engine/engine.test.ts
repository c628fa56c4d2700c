import { strict as assert } from 'node:assert';
import { createTestEngine, stdioTestServer, waitFor, type TestEngine } from '../helpers';

describe('Engine.run', () => {
  let t: TestEngine;
  before(async () => {
    t = await createTestEngine([stdioTestServer(), stdioTestServer('other-server')]);
  });
  after(() => t.dispose());

  it('runs TypeScript with top-level await and return', async () => {
    const run = await t.engine.run(`
      interface Sum { sum: number }
      enum Scale { One = 1, Ten = 10 }
      const r: Sum = await mcp.test.add({ a: 2, b: 3 }) as Sum;
      return r.sum * Scale.Ten;
    `);
    assert.equal(run.ok, true, run.text);
    assert.equal(run.result, 50);
    assert.equal(run.text, '50');
    assert.deepEqual(
      run.calls.map(({ server, tool, ok }) => ({ server, tool, ok })),
      [{ server: 'test', tool: 'add', ok: true }],
    );
    assert.equal(typeof run.calls[0].ms, 'number');
  });

  it('binds camelCase names per server and the exact names through mcp.call', async () => {
    const run = await t.engine.run(`
      const a = await mcp.otherServer.multiText();
      const b = await mcp.call('other-server', 'multi_text', {});
      return [a, b, Object.keys(mcp).sort()];
    `);
    assert.deepEqual(run.result, ['first\nsecond', 'first\nsecond', ['call', 'otherServer', 'test']]);
  });

  it('unwraps results: structured content, JSON text, plain text, content arrays', async () => {
    const run = await t.engine.run(`return {
      structured: await mcp.test.add({ a: 1, b: 1 }),
      json: (await mcp.test.records({ count: 2 })).map((r) => r.id),
      text: await mcp.test.echo({ text: 'plain words' }),
      mixed: await mcp.test.image(),
    }`);
    assert.deepEqual(run.result, {
      structured: { sum: 2 },
      json: [0, 1],
      text: 'plain words',
      mixed: [
        { type: 'text', text: 'a picture' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
      ],
    });
  });

  it('turns isError into a catchable ToolError naming server and tool', async () => {
    const run = await t.engine.run(`
      try { await mcp.test.fail({ message: 'disk full' }); }
      catch (e) { return { isError: e instanceof Error, name: e.name, message: e.message, server: e.server, tool: e.tool }; }
    `);
    assert.deepEqual(run.result, { isError: true, name: 'ToolError', message: 'disk full', server: 'test', tool: 'fail' });
    assert.deepEqual(
      run.calls.map((call) => call.ok),
      [false],
    );
  });

  it('validates arguments before sending, naming the field', async () => {
    const run = await t.engine.run(`return await mcp.test.add({ a: 'one', b: 2 })`);
    assert.equal(run.ok, false);
    assert.equal(run.error?.name, 'ToolError');
    assert.equal(run.error?.message, 'Invalid arguments for test.add: args.a must be number, received string');
    assert.equal(run.error?.line, 1);
  });

  it('reports syntax errors with line and column, from the transpiler or from V8', async () => {
    const fromTranspiler = await t.engine.run('const a = 1;\nlet b = ;');
    assert.deepEqual(fromTranspiler.error, { kind: 'syntax', name: 'SyntaxError', message: 'Unexpected token', line: 2, column: 9 });
    assert.equal(fromTranspiler.text, 'SyntaxError: Unexpected token (line 2, column 9)');
    const fromV8 = await t.engine.run('const a = 1;\nconst r = /(/;');
    assert.equal(fromV8.error?.kind, 'syntax');
    assert.equal(fromV8.error?.line, 2);
    assert.match(fromV8.error?.message ?? '', /Invalid regular expression/);
  });

  it('gives a thrown error as text with its line and column in the script', async () => {
    const thrown = await t.engine.run('const x = 1;\n\nthrow new RangeError("too far");');
    assert.equal(thrown.text, 'RangeError: too far (line 3, column 7)');
  });

  it('condenses a long result to the budget, as valid JSON with a marker saying how many rows were cut', async () => {
    const run = await t.engine.run(`return await mcp.test.records({ count: 500 })`, { resultBudget: 1000 });
    assert.equal(run.ok, true);
    assert.equal(run.stats.truncated, true);
    assert.equal((run.result as unknown[]).length, 500);
    assert.equal(run.stats.resultChars, JSON.stringify(run.result).length);
    assert.ok(Buffer.byteLength(run.text) <= 1000, `${Buffer.byteLength(run.text)} bytes`);
    const shown = JSON.parse(run.text) as unknown[];
    assert.deepEqual(shown.slice(0, -1), (run.result as unknown[]).slice(0, shown.length - 1));
    assert.equal(shown.at(-1), `…and ${500 - (shown.length - 1)} more rows`);
  });

  it('sends a cancellation only for calls still running when a run ends', async () => {
    const count = async () => Number((await t.engine.run(`return await mcp.otherServer.cancellations()`)).result);
    const before = await count();
    await t.engine.run(`await Promise.all(Array.from({ length: 50 }, () => mcp.otherServer.echo({ text: 'x' })))`);
    assert.equal(await count(), before);
    await t.engine.run(`void mcp.otherServer.hang(); await mcp.otherServer.echo({ text: 'x' });`);
    await waitFor(async () => (await count()) === before + 1, 2_000, 'one cancellation for the hanging call');
  });

  it('logs each call at debug level, and never the arguments', async () => {
    await t.engine.run(`await mcp.test.echo({ text: 'very-private-argument' })`);
    assert.match(t.logger.text(), /debug call test\.echo ok in [\d.]+ ms/);
    assert.doesNotMatch(t.logger.text(), /very-private-argument/);
  });
});
