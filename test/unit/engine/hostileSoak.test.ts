import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createTestEngine, hostileServer, isAlive, stdioTestServer, type TestEngine } from '../helpers';

/** One in ten runs attacks the host; each is [script, what its result or error must say]. */
const attacks: Array<[string, RegExp]> = [
  [`return await mcp.hostile.catastrophic({ text: 'a'.repeat(40) + 'b' }).catch((e) => e.message)`, /must match pattern/],
  [`return await mcp.hostile.catastrophicOutput({}).catch((e) => e.message)`, /does not match the tool's output schema/],
  [`throw new Error('m'.repeat(1_000_000))`, /^Error: m+…\[\d+ more characters\]/],
  [
    `const name = 'n'.repeat(65_536); return (await Promise.all(Array.from({ length: 16 }, () => mcp.call('hostile', name, {}).catch((e) => e.message.length)))).length`,
    /^16$/,
  ],
  [`await mcp.call('hostile', 'x\\n[error] forged', {}).catch(() => 0); console.log('a\\u001b[2J\\rb'); return 'done'`, /^"done"$/],
  [
    `let d: unknown = 0; for (let i = 0; i < 150; i++) d = { d }; return await mcp.soak.echo({ text: 'x', d } as any).catch((e) => e.message)`,
    /nest deeper/,
  ],
  [`for (let i = 0; i < 100_000; i++) console.log('flood', i); return 'flooded'`, /^"flooded"$/],
  [`while (true) {}`, /time limit/],
  [`return await mcp.hostile.hugeError({}).catch((e) => e.message.length)`, /^\d{4,5}$/],
  [`const x: = ;`, /SyntaxError/],
];
/** Stopped by the worker's 2 s budget each time, so they come five times each per 1,000 runs, not fifty. */
const slowAttacks: Array<[string, RegExp]> = [
  [`const v = ${'<T>('.repeat(30)}x${')'.repeat(30)};`, /could not be transpiled in time/],
  [`return await mcp.hostile.exponential({ value: 1 }).catch((e) => e.message)`, /could not be checked against the tool's schema/],
];

describe('hostile soak', () => {
  let t: TestEngine;
  after(() => t?.dispose());

  it("1,000 runs with hostile scripts and servers mixed in keep the host's and the sandbox host's memory flat and the host responsive", async function () {
    this.timeout(600_000);
    t = await createTestEngine([hostileServer('hostile', ['--without', 'unresolvable_output']), stdioTestServer('soak')]);
    const normal = `const r = await mcp.soak.add({ a: 1, b: 2 }); console.log(r.sum); return (await mcp.soak.records({ count: 20 })).length + r.sum;`;
    const sandboxPid = async () => (await (t.executor as unknown as { child: Promise<{ pid: number }> }).child).pid;
    const measure = async () => {
      global.gc?.();
      return { host: process.memoryUsage().rss, sandbox: await rssOf(await sandboxPid()) };
    };
    const runOne = async (i: number) => {
      const slow = i % 100 === 55 ? slowAttacks[((i - 55) / 100) % 2] : undefined;
      const [script, expected] = slow ?? (i % 10 === 0 ? attacks[(i / 10) % attacks.length] : [normal, /^23$/]);
      const run = await t.engine.run(script, script === 'while (true) {}' ? { timeoutMs: 300 } : {});
      const said = run.ok ? JSON.stringify(run.result) : run.text;
      assert.match(said, expected, `run ${i}: ${said.slice(0, 300)}`);
    };
    for (let i = 0; i < 100; i++) {
      await runOne(i + 1); // warm-up, with the attacks: JIT, caches, the spare isolate, the worker
    }
    const before = await measure();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      await runOne(i);
    }
    const seconds = (performance.now() - started) / 1000;
    delay.disable();
    const after = await measure();
    const stall = { max: delay.max / 1e6, p99: delay.percentile(99) / 1e6 };
    const growthMb = { host: (after.host - before.host) / 2 ** 20, sandbox: (after.sandbox - before.sandbox) / 2 ** 20 };
    console.log(
      `      hostile soak: 1,000 runs (110 hostile) in ${seconds.toFixed(1)} s; longest event-loop stall ${stall.max.toFixed(1)} ms ` +
        `(p99 ${stall.p99.toFixed(1)} ms); host RSS ${mb(before.host)} → ${mb(after.host)} MB, sandbox host RSS ${mb(before.sandbox)} → ${mb(after.sandbox)} MB`,
    );
    // Generous bounds (a loaded machine pauses for GC); a frozen host stalls for seconds or for ever.
    assert.ok(stall.max < 1_000, `the event loop stalled ${stall.max} ms`);
    // Host RSS as the user sees it (no forced GC under mocha). Grew 219 -> 563 MB (+344; +210 on a second run) while
    // each schema/transpile worker stopped over budget kept ~35 MB and every 2 MB stdio reply was copied 30 times;
    // ~+30 MB since (untrustedWork.ts's heap bound, mcp/lineBuffer.ts).
    assert.ok(growthMb.host < 100 && growthMb.sandbox < 60, `memory grew by ${JSON.stringify(growthMb)} MB`);
    assert.ok(isAlive(await sandboxPid()));
  });
});

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
