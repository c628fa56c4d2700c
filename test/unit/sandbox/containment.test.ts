import { strict as assert } from 'node:assert';
import { createTestEngine, projectRoot, stdioTestServer, type TestEngine } from '../helpers';

/** What the sandbox refuses to do: each test fails if a guarantee of README "Security model and limits" breaks. */
describe('sandbox containment', () => {
  let t: TestEngine;
  const secret = 'sk-live-0123456789abcdef';
  before(async () => {
    t = await createTestEngine([stdioTestServer('test', [], { API_KEY: secret })], { maxConcurrentCalls: 4 });
  });
  after(() => t.dispose());

  /** Runs a script that must succeed, returning its result. */
  async function result(code: string): Promise<unknown> {
    const run = await t.engine.run(code);
    assert.equal(run.ok, true, run.text);
    return run.result;
  }

  describe('no ambient authority', () => {
    it('the Function constructors reached from any object build functions of the isolate only', async () => {
      assert.deepEqual(
        await result(`
          const probe = 'return [typeof process, typeof require, typeof globalThis.process, typeof fetch]';
          return [
            globalThis.constructor.constructor(probe)(),
            (mcp.call as any).constructor(probe)(),
            (mcp.test.echo as any).__proto__.constructor(probe)(),
            (console.log as any).constructor.constructor(probe)(),
            Object.getPrototypeOf(mcp).constructor.constructor(probe)(),
            await (async function () {}).constructor(probe)(),
            (function* () {}).constructor('yield typeof process')().next().value,
            (async function* () {}).constructor('yield typeof process')().next().then((r: any) => r.value) instanceof Promise,
          ];
        `),
        [
          ['undefined', 'undefined', 'undefined', 'undefined'],
          ['undefined', 'undefined', 'undefined', 'undefined'],
          ['undefined', 'undefined', 'undefined', 'undefined'],
          ['undefined', 'undefined', 'undefined', 'undefined'],
          ['undefined', 'undefined', 'undefined', 'undefined'],
          ['undefined', 'undefined', 'undefined', 'undefined'],
          'undefined',
          true,
        ],
      );
    });

    it('has no require, process, fetch, import() or WebAssembly', async () => {
      const run = await t.engine.run(`return await import('node:child_process')`);
      assert.equal(run.ok, false);
      assert.deepEqual(
        await result(`return [typeof require, typeof process, typeof fetch, typeof WebAssembly, typeof Buffer, typeof queueMicrotask]`),
        ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined'],
      );
    });

    it('stack inspection (Error.prepareStackTrace call sites) shows only script and sandbox frames, with no functions or receivers', async () => {
      const sites = (await result(`
        const seen: string[] = [];
        (Error as any).prepareStackTrace = (_e: unknown, callSites: any[]) => {
          for (const site of callSites) seen.push([site.getFileName(), typeof site.getFunction(), typeof site.getThis(), site.getEvalOrigin()].join('|'));
          return '';
        };
        try { await mcp.call('test', 'echo', { get text() { throw new Error('from a getter'); } }); } catch (e: any) { void e.stack; }
        try { await (mcp.test.echo as any)({ text: 1n }); } catch (e: any) { void e.stack; }
        return seen;
      `)) as string[];
      assert.ok(sites.length > 4);
      for (const site of sites) {
        const [file, fn, receiver] = site.split('|');
        assert.ok(file === 'script.ts' || file === 'codemode:sandbox', site);
        if (file === 'codemode:sandbox') {
          assert.deepEqual([fn, receiver], ['undefined', 'undefined'], site);
        }
      }
    });

    it('prototype pollution of the option names isolated-vm reads cannot turn results into host references', async () => {
      const value = await result(`
        for (const key of ['reference', 'externalCopy', 'copy', 'promise']) {
          Object.defineProperty(Object.prototype, key, { get() { return key !== 'copy'; }, configurable: true });
        }
        const echoed = await mcp.test.echo({ text: 'plain' });
        await new Promise((resolve) => setTimeout(resolve, 1));
        for (const key of ['reference', 'externalCopy', 'copy', 'promise']) delete (Object.prototype as any)[key];
        return [typeof echoed, echoed];
      `);
      assert.deepEqual(value, ['string', 'plain']);
    });
  });

  describe('runs are isolated from each other', () => {
    it('two runs at once cannot see each other', async () => {
      const script = (value: string) =>
        `(globalThis as any).shared = '${value}'; await mcp.test.sleep({ ms: 100 }); return (globalThis as any).shared;`;
      const [a, b] = await Promise.all([t.engine.run(script('a')), t.engine.run(script('b'))]);
      assert.deepEqual([a.result, b.result], ['a', 'b']);
    });
  });

  it('errors and stack traces returned to the model reveal no host path or host source', async () => {
    const runs = await Promise.all([
      t.engine.run(`function inner() { throw new TypeError('deep'); }\ninner();`),
      t.engine.run(`await mcp.test.echo({ text: 1n as any });`),
      t.engine.run(`null.x`),
      t.engine.run(`return await mcp.call('nope', 'x')`),
      t.engine.run(`Promise.reject(new Error('floating')); await new Promise((r) => setTimeout(r, 5));`),
    ]);
    for (const run of runs) {
      assert.equal(run.ok, false);
      const shown = JSON.stringify({ text: run.text, error: run.error });
      assert.doesNotMatch(shown, new RegExp(projectRoot.replace(/[/\\]/g, '.')));
      assert.doesNotMatch(shown, /node_modules|isolateRunner|sandboxHost|\/dist\/|\.js:\d+/);
    }
    assert.equal(runs[0].error?.stack, 'at inner (script.ts:1:26)\nat script.ts:2:1');
    assert.equal(runs[4].error?.message, 'Unhandled promise rejection: floating');
  });

  it('secrets given to a server never reach the isolate, the result, the logs or error text', async () => {
    const run = await t.engine.run(`
      const names = Object.getOwnPropertyNames(globalThis);
      console.log(JSON.stringify(mcp), names.join(','));
      const env = await mcp.test.envValue({ name: 'API_KEY' });
      throw new Error(JSON.stringify({ env, names }));
    `);
    assert.match(run.text, /"set":true,"length":24/);
    const everything = JSON.stringify(run) + t.logger.text();
    assert.ok(!everything.includes(secret), 'the secret leaked');
  });

  describe('limits hold with the host alive, and the next run works', () => {
    const cases: Array<[string, string, RegExp, number?]> = [
      [
        'an endless loop after an awaited call',
        `await mcp.test.echo({ text: 'x' }); for (;;) {}`,
        /^TimeoutError: The run exceeded its 1000 ms time limit/,
      ],
      [
        'an endless promise chain',
        `const loop = (): Promise<void> => Promise.resolve().then(loop); await loop();`,
        /^(TimeoutError|MemoryLimitError): /,
      ],
      [
        'deep recursion',
        `const f = (n: number): number => f(n + 1) + 1; return f(0);`,
        /^RangeError: Maximum call stack size exceeded \(line 1/,
      ],
      [
        'a heap bomb',
        `const a: string[] = []; for (;;) a.push('x'.repeat(1e6) + a.length);`,
        /^MemoryLimitError: The script used more than its 64 MB memory limit/,
        10_000,
      ],
      [
        'an ArrayBuffer bomb',
        `const a: ArrayBuffer[] = []; for (;;) a.push(new ArrayBuffer(16 * 1024 * 1024));`,
        /^RangeError: Array buffer allocation failed/,
      ],
      ['one huge ArrayBuffer', `return new ArrayBuffer(2 ** 32).byteLength`, /^RangeError: Array buffer allocation failed/],
      ['Atomics.wait', `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`, /^TimeoutError: /],
      ['a promise that never settles', `await new Promise(() => {});`, /^TimeoutError: /],
      // Serialising 50 MB takes most of a second on a 2-core machine: the case is about size, not time.
      [
        'a 50 MB result',
        `const s = 'x'.repeat(50 * 1024 * 1024); return s;`,
        /^(RangeError: The result is too large|MemoryLimitError)/,
        5_000,
      ],
      ['a circular result', `const a: any = []; a.push(a); return a;`, /^TypeError: The result cannot be turned into JSON/],
      ['throw 42', `throw 42`, /^Error: The script threw a value that is not an Error: 42$/],
    ];
    for (const [name, code, expected, timeoutMs = 1000] of cases) {
      it(name, async () => {
        const run = await t.engine.run(code, { timeoutMs, memoryMb: 64 });
        assert.equal(run.ok, false);
        assert.match(run.text, expected);
        assert.equal((await t.engine.run('return 1 + 1')).result, 2);
      });
    }

    it('a million console lines are counted, not kept', async () => {
      const run = await t.engine.run(`for (let i = 0; i < 1e6; i++) console.log('line', i); return 'done';`);
      assert.deepEqual([run.ok, run.logs.length, run.stats.droppedLogs], [true, 1000, 999_000]);
    });

    it('10,000 concurrent tool calls all succeed, at most maxConcurrentCalls in flight per server', async () => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.name);
      process.on('warning', onWarning);
      const many = await t.engine.run(
        `return (await Promise.all(Array.from({ length: 10_000 }, (_, i) => mcp.test.echo({ text: String(i) })))).length`,
      );
      process.off('warning', onWarning);
      assert.deepEqual([many.ok, many.result, many.calls.length], [true, 10_000, 10_000]);
      assert.deepEqual(warnings, []);
      const spans = (await result(`return await Promise.all(Array.from({ length: 40 }, () => mcp.test.sleep({ ms: 20 })))`)) as Array<{
        startedAt: number;
        endedAt: number;
      }>;
      const inFlight = Math.max(
        ...spans.map((span) => spans.filter((other) => other.startedAt <= span.startedAt && other.endedAt > span.startedAt).length),
      );
      assert.ok(inFlight <= 4 && inFlight >= 2, `${inFlight} calls were in flight at once`);
    });
  });
});
