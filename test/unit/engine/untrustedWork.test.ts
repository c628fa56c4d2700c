import { strict as assert } from 'node:assert';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { UntrustedWork } from '../../../src/core/engine/untrustedWork';

/** Each level is `anyOf` of two references to the next: a value failing at the bottom costs 2^levels. */
function exponentialSchema(levels: number): Record<string, unknown> {
  const definitions: Record<string, object> = { [`d${levels}`]: { type: 'string' } };
  for (let i = 0; i < levels; i++) {
    definitions[`d${i}`] = { anyOf: [{ $ref: `#/definitions/d${i + 1}` }, { $ref: `#/definitions/d${i + 1}` }] };
  }
  return { type: 'object', properties: { value: { $ref: '#/definitions/d0' } }, definitions };
}

/** The host's resident memory after a full collection. */
function settledRss(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().rss;
}

describe('untrusted work', () => {
  it("keeps no memory of the workers it stops: five checks stopped over budget leave the host's memory flat", async function () {
    this.timeout(120_000);
    const work = new UntrustedWork();
    const schema = exponentialSchema(40);
    try {
      assert.equal((await work.check({ type: 'string' }, 'warm', 'args', performance.now() + 60_000)).done, true);
      const before = settledRss();
      for (let i = 0; i < 5; i++) {
        const outcome = await work.check(schema, { value: 1 }, 'args', performance.now() + 60_000);
        assert.equal(outcome.done, false);
      }
      const grewMb = (settledRss() - before) / 2 ** 20;
      // Unbounded, each stopped worker left ~35 MB behind (+175 MB here); bounded, the growth is noise.
      assert.ok(grewMb < 60, `the host's memory grew by ${grewMb.toFixed(0)} MB`);
      assert.deepEqual(await work.check({ type: 'string' }, 'after', 'args', performance.now() + 60_000), { done: true, value: undefined });
    } finally {
      await work.dispose();
    }
  });

  it('fails a task that needs more than the heap bound alone; the next task gets a fresh worker', async function () {
    this.timeout(120_000);
    const work = new UntrustedWork(undefined, 100_000);
    try {
      const many = Array.from({ length: 3_000_000 }, (_, i) => ({ i, s: `x${i}` }));
      const outcome = await work.check({ type: 'array', items: { type: 'object' } }, many, 'args', performance.now() + 100_000);
      assert.deepEqual(outcome, {
        done: false,
        reason: 'crash',
        message: "it needed more than the checker's 64 MB of memory",
      });
      assert.deepEqual(await work.check({ type: 'string' }, 'after', 'args', performance.now() + 60_000), { done: true, value: undefined });
    } finally {
      await work.dispose();
    }
  });
});
