import { strict as assert } from 'node:assert';
import type { Engine } from '../../../src/core/engine/engine';
import { waitFor, type RecordingLogger } from '../helpers';

export interface ContractEngine {
  engine: Engine;
  /** The engine's log, with the fixture server's stderr lines (how a test sees a call under way). */
  logger: RecordingLogger;
  dispose(): Promise<void>;
}

/**
 * What every sandbox backend must do alike, run against each (isolated-vm in the sandbox host; QuickJS in process):
 * the engine as the product builds it, over the fixture server as `test`.
 */
export function describeSandboxContract(backend: 'isolated-vm' | 'quickjs', create: () => Promise<ContractEngine>): void {
  describe(`the sandbox contract, on ${backend}`, () => {
    let t: ContractEngine;
    before(async () => {
      t = await create();
    });
    after(() => t.dispose());

    describe('results and console', () => {
      it('returns the JSON of the result, and no JSON for undefined', async () => {
        const run = await t.engine.run(`return { n: 1, list: [1, 'two', null], nested: { ok: true } }`);
        assert.equal(run.ok, true, run.text);
        assert.deepEqual(run.result, { n: 1, list: [1, 'two', null], nested: { ok: true } });
        assert.equal(run.stats.backend, backend);
        const none = await t.engine.run(`const x = 1;`);
        assert.deepEqual([none.ok, none.result, none.logs], [true, undefined, []]);
      });
      it('runs TypeScript', async () => {
        const run = await t.engine.run(`
          interface Point { x: number; y: number }
          const points: Point[] = [{ x: 1, y: 2 }, { x: 3, y: 4 }];
          enum Axis { X, Y }
          return points.map((p): number => (Axis.Y === 1 ? p.y : p.x) as number);
        `);
        assert.deepEqual(run.result, [2, 4]);
      });
      it('fails a result that cannot be turned into JSON, or is too large', async () => {
        const circular = await t.engine.run(`const a: any = {}; a.self = a; return a`);
        assert.equal(circular.error?.kind, 'result');
        assert.match(circular.error!.message, /^The result cannot be turned into JSON: /);
        const large = await t.engine.run(`return 'x'.repeat(2000)`, { maxResultChars: 1000 });
        assert.deepEqual(
          [large.error?.kind, large.error?.message],
          ['result', 'The result is too large: 2002 characters of JSON (limit 1000); return a summary instead'],
        );
      });
      it('captures console output by level, and caps it', async () => {
        const run = await t.engine.run(
          `console.log('a', 1, {b: 2}, undefined, () => 1); console.warn('w'); console.error(new Error('e')); console.info(1n); for (let i = 0; i < 50; i++) console.debug(i);`,
          { maxLogEntries: 10 },
        );
        assert.equal(run.ok, true, run.text);
        assert.deepEqual(run.logs.slice(0, 2), [
          { level: 'log', text: 'a 1 {"b":2} undefined [Function anonymous]' },
          { level: 'warn', text: 'w' },
        ]);
        assert.match(run.logs[2].text, /^Error: e\n\s+at script\.ts:1:/);
        assert.deepEqual(run.logs[3], { level: 'info', text: '1' });
        assert.equal(run.logs.length, 10);
        assert.equal(run.stats.droppedLogs, 44);
      });
      it('caps console volume in characters', async () => {
        const run = await t.engine.run(`for (let i = 0; i < 100; i++) console.log('x'.repeat(100));`, { maxLogChars: 250 });
        assert.equal(
          run.logs
            .map((entry) => entry.text)
            .join('')
            .replace('… [truncated]', '').length,
          250,
        );
        assert.equal(run.stats.droppedLogs, 97);
      });
      it('runs setTimeout callbacks, honours clearTimeout and logs errors thrown in them', async () => {
        const run = await t.engine.run(`
          const order: string[] = [];
          const cleared = setTimeout(() => order.push('cleared'), 5);
          clearTimeout(cleared);
          setTimeout(() => { throw new Error('in a timer'); }, 1);
          await new Promise<void>((resolve) => setTimeout((tag: string) => { order.push(tag); resolve(); }, 20, 'late'));
          setTimeout(() => order.push('never awaited'), 10_000);
          return order;
        `);
        assert.deepEqual(run.result, ['late']);
        assert.equal(run.logs.length, 1);
        assert.match(run.logs[0].text, /^Uncaught error in a setTimeout callback: Error: in a timer\n\s+at script\.ts:5:/);
      });
    });

    describe('globals', () => {
      it('exposes mcp, console, setTimeout and the language built-ins, and nothing of the host', async () => {
        const run = await t.engine.run(`
          const seen: Record<string, string> = {};
          for (const name of ['require', 'process', 'fetch', 'module', 'Buffer', 'global', 'WebAssembly', 'std', 'os', 'print', 'XMLHttpRequest', 'importScripts'])
            seen[name] = typeof (globalThis as any)[name];
          return { seen, mcp: typeof mcp.call, console: typeof console.log, timer: typeof setTimeout, json: typeof JSON.parse, map: typeof Map };
        `);
        assert.deepEqual(run.result, {
          seen: Object.fromEntries(
            [
              'require',
              'process',
              'fetch',
              'module',
              'Buffer',
              'global',
              'WebAssembly',
              'std',
              'os',
              'print',
              'XMLHttpRequest',
              'importScripts',
            ].map((name) => [name, 'undefined']),
          ),
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

      it('delivers the outcome when the script replaced Promise.prototype.then', async () => {
        const run = await t.engine.run(
          `Promise.prototype.then = function (this: any) { return this; }; Function.prototype.call = () => 0; return 1`,
          { timeoutMs: 2_000 },
        );
        assert.equal(run.result, 1);
      });

      it('keeps nothing between runs', async () => {
        await t.engine.run(
          `(globalThis as any).leak = 1; (Object.prototype as any).polluted = true; (Array.prototype as any).push = null; (JSON as any).parse = () => 'hijacked';`,
        );
        const run = await t.engine.run(`return [typeof (globalThis as any).leak, 'polluted' in {}, typeof [].push, JSON.parse('[1]')]`);
        assert.deepEqual(run.result, ['undefined', false, 'function', [1]]);
      });
    });

    describe('a script that replaced the built-ins the sandbox uses', () => {
      it('stays within the console caps (join, map, slice replaced to return everything)', async () => {
        const run = await t.engine.run(
          `Array.prototype.join = function () { return 'x'.repeat(5e6); };
           Array.prototype.map = function () { return this; };
           String.prototype.slice = function () { return this; };
           for (let i = 0; i < 5; i++) console.log('a', 'b');
           return 1`,
          { maxLogChars: 1000 },
        );
        assert.equal(run.result, 1, run.text);
        const chars = run.logs.reduce((sum, entry) => sum + entry.text.length, 0);
        assert.ok(chars <= 1000 + '… [truncated]'.length, `${chars} characters of console text kept`);
        assert.deepEqual(run.logs[0], { level: 'log', text: 'a b' });
      });
      it('stays within the timer limit (Set methods replaced)', async () => {
        const run = await t.engine.run(`
          Set.prototype.add = function () { return this; };
          Set.prototype.has = () => false;
          Object.defineProperty(Set.prototype, 'size', { get: () => 0 });
          let n = 0;
          try { for (;;) { setTimeout(() => {}, 1e6); n++; } } catch (error: any) { return [n, error.message]; }
        `);
        assert.deepEqual(run.result, [10_000, 'Too many pending timers (limit 10000)'], run.text);
      });
      it('cannot forge the outcome (array iterator, Object.prototype.toJSON, String replaced)', async () => {
        const iterator = await t.engine.run(
          `Array.prototype[Symbol.iterator] = function* () { yield { ok: true, droppedLogs: 0 }; yield JSON.stringify('x'.repeat(2000)); };
           return 'small'`,
          { maxResultChars: 1000 },
        );
        assert.equal(iterator.result, 'small', iterator.text);
        const toJson = await t.engine.run(
          `Object.defineProperty(Object.prototype, 'toJSON', { value() { return { ok: true, droppedLogs: 0 }; }, configurable: true });
           throw new Error('the real failure')`,
        );
        assert.deepEqual([toJson.ok, toJson.error?.message], [false, 'the real failure'], toJson.text);
        const string = await t.engine.run(`(globalThis as any).String = () => ({ not: 'a string' }); throw new RangeError('still text')`);
        assert.deepEqual([string.error?.kind, string.error?.name, string.error?.message], ['script', 'RangeError', 'still text']);
        const then = await t.engine.run(
          `const original = Promise.prototype.then;
           Object.defineProperty(Promise.prototype, 'constructor', { get() { return function (executor: any) { executor(() => {}, () => {}); }; } });
           Promise.prototype.then = function (this: any, ok: any) { return original.call(this, () => ok({ forged: true })); };
           return 'genuine'`,
          { timeoutMs: 2_000 },
        );
        assert.equal(then.result, 'genuine', then.text);
      });
      it('cannot put anything but strings into a tool call (String replaced)', async () => {
        const run = await t.engine.run(
          `const toText = String; (globalThis as any).String = (value: unknown) => ({ name: toText(value) });
           return await mcp.test.echo({ text: 'hi' })`,
        );
        assert.equal(run.result, 'hi', run.text);
        assert.deepEqual(
          run.calls.map((call) => [call.server, call.tool, call.ok]),
          [['test', 'echo', true]],
        );
      });
      it('frees timers it clears: a set-and-clear loop ends normally, and the next run works', async () => {
        const run = await t.engine.run(`for (let i = 0; i < 300_000; i++) clearTimeout(setTimeout(() => {}, 1e7)); return 'done'`, {
          timeoutMs: 20_000,
        });
        assert.equal(run.result, 'done', run.text);
        assert.equal((await t.engine.run('return 5')).result, 5);
      });
    });

    describe('strings cross the boundary exactly', () => {
      const awkward = ['nul\0inside', '\ud800lone', '\ufeffbom first', 'tab\tand\nnewline', 'é ü 中 😀'];
      it('in console text, results and error messages', async () => {
        const run = await t.engine.run(
          `const awkward = ${JSON.stringify(awkward)};
           for (const text of awkward) console.log(text);
           return awkward`,
        );
        assert.deepEqual(
          run.logs.map((entry) => entry.text),
          awkward,
        );
        assert.deepEqual(run.result, awkward);
        const thrown = await t.engine.run(`throw new Error(${JSON.stringify(awkward.join('|'))})`);
        assert.equal(thrown.error?.message, awkward.join('|'));
      });
      it('in tool names: a name calls exactly that tool or is refused', async () => {
        const run = await t.engine.run(`
          const seen = [];
          for (const [server, tool] of [['test\\0x', 'echo'], ['test', 'echo\\0x'], ['\\ufefftest', 'echo'], ['test', 'echo\\ud800']]) {
            try { seen.push(['called', await mcp.call(server, tool, { text: 'hi' })]); } catch (error: any) { seen.push([error.name, error.server, error.tool]); }
          }
          return seen;
        `);
        assert.deepEqual(run.result, [
          ['ToolError', 'test\0x', 'echo'],
          ['ToolError', 'test', 'echo\0x'],
          ['ToolError', '\ufefftest', 'echo'],
          ['ToolError', 'test', 'echo\ud800'],
        ]);
        assert.deepEqual(
          run.calls.map((call) => [call.server, call.tool, call.ok]),
          [
            ['test\0x', 'echo', false],
            ['test', 'echo\0x', false],
            ['\ufefftest', 'echo', false],
            ['test', 'echo\ud800', false],
          ],
        );
      });
    });

    describe('tools', () => {
      it('calls tools through mcp.<server>.<tool> and mcp.call', async () => {
        const run = await t.engine.run(`
          const echoed = await mcp.test.echo({ text: 'hi' });
          const sum = await mcp.call('test', 'add', { a: 2, b: 3 });
          const texts = await mcp.test.multiText();
          return { echoed, sum, texts };
        `);
        assert.equal(run.ok, true, run.text);
        assert.deepEqual(run.result, { echoed: 'hi', sum: { sum: 5 }, texts: 'first\nsecond' });
        assert.deepEqual(
          run.calls.map((call) => [call.server, call.tool, call.ok]),
          [
            ['test', 'echo', true],
            ['test', 'add', true],
            ['test', 'multi_text', true],
          ],
        );
      });
      it('rejects failed calls with a ToolError that names the server and tool', async () => {
        const run = await t.engine.run(`
          const seen = [];
          for (const call of [() => mcp.test.fail({ message: 'nope' }), () => mcp.call('test', 'missing', {}), () => mcp.test.echo({ text: 42 } as any)]) {
            try { await call(); } catch (error: any) { seen.push([error instanceof Error, error.name, error.server, error.tool, error.message]); }
          }
          return seen;
        `);
        const seen = run.result as Array<[boolean, string, string, string, string]>;
        assert.deepEqual(
          seen.map(([isError, name, server, tool]) => [isError, name, server, tool]),
          [
            [true, 'ToolError', 'test', 'fail'],
            [true, 'ToolError', 'test', 'missing'],
            [true, 'ToolError', 'test', 'echo'],
          ],
        );
        assert.equal(seen[0][4], 'nope');
        assert.match(seen[2][4], /text/);
      });
      it('fails the run with the ToolError when the script does not catch it', async () => {
        const run = await t.engine.run(`\nawait mcp.test.fail({ message: 'broken' });`);
        assert.deepEqual([run.error?.kind, run.error?.name, run.error?.message], ['script', 'ToolError', 'broken']);
      });
      it('rejects arguments that are not an object before calling', async () => {
        const run = await t.engine.run(`try { await mcp.test.echo('x' as any) } catch (error: any) { return [error.name, error.message] }`);
        assert.deepEqual(run.result, ['TypeError', 'Arguments for test.echo must be an object']);
        assert.equal(run.calls.length, 0);
      });
      it('runs tool calls made with Promise.all concurrently (100 calls of a 10 ms tool overlap)', async () => {
        const run = await t.engine.run(`return await Promise.all(Array.from({ length: 100 }, () => mcp.test.sleep({ ms: 10 })));`);
        assert.equal(run.ok, true, run.text);
        const spans = run.result as Array<{ startedAt: number; endedAt: number }>;
        assert.equal(spans.length, 100);
        // Concurrency by overlap: with calls one by one, no call would start before the previous one ended.
        const maxInFlight = Math.max(
          ...spans.map((span) => spans.filter((other) => other.startedAt <= span.startedAt && other.endedAt > span.startedAt).length),
        );
        assert.ok(maxInFlight >= 10, `at most ${maxInFlight} calls overlapped`);
      });
    });

    describe('errors', () => {
      it('reports a thrown error with its name, message, and line and column in the script', async () => {
        const run = await t.engine.run(`const a = 1;\nfunction fail() {\n  throw new RangeError('bad ' + a);\n}\nfail();`);
        assert.equal(run.error?.kind, 'script');
        assert.deepEqual([run.error?.name, run.error?.message, run.error?.line], ['RangeError', 'bad 1', 3]);
        assert.ok((run.error?.column ?? 0) > 0);
        assert.match(run.error!.stack!, /^at fail \(script\.ts:3:\d+\)\nat script\.ts:5:\d+$/);
      });
      it('reports columns on the first line in the script, not in the wrapper around it', async () => {
        const run = await t.engine.run(`null!.x`);
        assert.deepEqual([run.error?.name, run.error?.line], ['TypeError', 1]);
        // Within `null!.x` (V8 and QuickJS point at different characters of it), not past it in the wrapper.
        assert.ok(run.error!.column! >= 1 && run.error!.column! <= 7, `column ${run.error?.column}`);
      });
      it('describes a thrown value that is not an Error', async () => {
        const run = await t.engine.run(`throw 42`);
        assert.deepEqual(run.error, {
          kind: 'script',
          name: 'Error',
          message: 'The script threw a value that is not an Error: 42',
          stack: undefined,
        });
      });
      it('stops endless recursion as a script error', async () => {
        const run = await t.engine.run(`function down(n: number): number { return down(n + 1) + 1 }\nreturn down(0)`);
        assert.deepEqual([run.error?.kind, run.error?.name], ['script', 'RangeError']);
        assert.equal((await t.engine.run('return 6')).result, 6);
      });
    });

    describe('limits', () => {
      it('stops an endless loop at the time limit; the next run works', async () => {
        const run = await t.engine.run('while (true) {}', { timeoutMs: 300 });
        assert.deepEqual([run.ok, run.error?.kind, run.error?.name], [false, 'timeout', 'TimeoutError']);
        assert.equal(run.error?.message, 'The run exceeded its 300 ms time limit and was stopped');
        assert.equal((await t.engine.run('return 1')).result, 1);
      });
      it('stops a loop that starts after an awaited tool call', async () => {
        const run = await t.engine.run(`await mcp.test.echo({ text: 'x' }); while (true) {}`, { timeoutMs: 500 });
        assert.equal(run.error?.kind, 'timeout');
        assert.equal(run.calls.length, 1);
        assert.equal((await t.engine.run('return 2')).result, 2);
      });
      it('stops a loop in a timer callback', async () => {
        const run = await t.engine.run(`setTimeout(() => { while (true) {} }, 1); await new Promise(() => {});`, { timeoutMs: 300 });
        assert.equal(run.error?.kind, 'timeout');
      });
      it('stops a run that never settles', async () => {
        const run = await t.engine.run(`await new Promise(() => {});`, { timeoutMs: 300 });
        assert.equal(run.error?.kind, 'timeout');
      });
      it('stops a script that allocates without end at the memory limit; the next run works', async () => {
        const run = await t.engine.run(`const keep = []; while (true) keep.push('x'.repeat(1e5) + keep.length);`, { memoryMb: 32 });
        assert.deepEqual(
          [run.ok, run.error?.kind, run.error?.message],
          [false, 'memory', 'The script used more than its 32 MB memory limit and was stopped'],
        );
        assert.equal((await t.engine.run('return 3')).result, 3);
      });

      it('is authoritative at the deadline: a timer due after it never lets the script finish', async () => {
        for (let i = 0; i < 5; i++) {
          const run = await t.engine.run(`await new Promise((resolve) => setTimeout(resolve, 250)); return 'finished'`, { timeoutMs: 200 });
          assert.equal(run.error?.kind, 'timeout', run.text);
        }
      });
      it('counts no memory a buffer could gain by growing in place (resizable and growable buffers)', async () => {
        const run = await t.engine.run(
          `const grown = [];
           for (let i = 0; i < 8; i++) {
             const buffer = new ArrayBuffer(1, { maxByteLength: 2 ** 30 }) as any;
             try { buffer.resize(2 ** 30); } catch {}
             try { grown.push(buffer.transfer ? buffer.transfer(2 ** 30) : buffer); } catch { grown.push(buffer); }
             const shared = new SharedArrayBuffer(1, { maxByteLength: 2 ** 30 } as any) as any;
             try { shared.grow(2 ** 30); } catch {}
             grown.push(shared);
           }
           return grown.reduce((sum, buffer) => sum + buffer.byteLength, 0)`,
          { memoryMb: 64 },
        );
        if (run.ok) {
          assert.ok((run.result as number) < 64 * 2 ** 20, `${run.result} bytes held under a 64 MB limit`);
        } else {
          assert.equal(run.error?.kind, 'memory', run.text);
        }
      });

      it('cancels a run waiting on a tool call; the next run works', async () => {
        const controller = new AbortController();
        const started = Date.now();
        const running = t.engine.run(`await mcp.test.stderr({ line: 'about to sleep' }); await mcp.test.sleep({ ms: 10_000 })`, {
          signal: controller.signal,
        });
        // The script is past its first call (the server said so on stderr): it is calling the one that sleeps.
        await waitFor(() => t.logger.text().includes('[test] about to sleep'), 10_000, 'the first call');
        controller.abort();
        const run = await running;
        assert.deepEqual([run.error?.kind, run.error?.message], ['cancelled', 'The run was cancelled']);
        assert.ok(Date.now() - started < 5_000);
        assert.equal((await t.engine.run('return 5')).result, 5);
      });
    });
  });
}
