import { strict as assert } from 'node:assert';
import { defaultLimits } from '../../../src/core/defaults';
import { LogSink, maxNameChars, readOutcome, refusedCall } from '../../../src/core/sandbox/contract/boundary';
import { WakeUp } from '../../../src/core/sandbox/contract/wakeUp';

/** The host's side of the sandbox boundary: each cap holds whatever the sandbox hands over, prelude or not. */
describe('the sandbox boundary, host side', () => {
  const limits = { ...defaultLimits, maxLogEntries: 3, maxLogChars: 10, maxResultChars: 100 };

  it('keeps console entries within the entry and character caps, and only strings of known levels', () => {
    const sink = new LogSink(limits);
    sink.add('log', 'abcd');
    sink.add('warn', { text: 'not a string' });
    sink.add('shout', 'unknown level');
    sink.add('info', 'x'.repeat(20 * 2 ** 20));
    sink.add('log', 'one more');
    assert.deepEqual(sink.logs, [
      { level: 'log', text: 'abcd' },
      { level: 'info', text: 'xxxxxx… [truncated]' },
    ]);
    assert.equal(sink.dropped, 3);
  });

  it('refuses tool calls whose names or arguments are not strings, or too long', () => {
    assert.equal(refusedCall('test', 'echo', '{}', limits), undefined);
    assert.match(refusedCall({ name: 'test' }, 'echo', '{}', limits)!, /as strings/);
    assert.match(refusedCall('test', 42, '{}', limits)!, /as strings/);
    assert.match(refusedCall('test', 'echo', { text: 1 }, limits)!, /as strings/);
    assert.match(refusedCall('test', 'x'.repeat(maxNameChars + 1), '{}', limits)!, /longer than 1000 characters/);
    assert.match(refusedCall('test', 'echo', `"${'x'.repeat(200)}"`, limits)!, /arguments are too large: 202 characters/);
  });

  it('accepts a genuine outcome and refuses forged ones', () => {
    assert.deepEqual(readOutcome('{"ok":true,"droppedLogs":2}', '[1]', limits), { ok: true, json: '[1]', droppedLogs: 2 });
    assert.deepEqual(readOutcome('{"ok":false,"error":{"name":"E","message":"m"},"droppedLogs":0}', undefined, limits), {
      ok: false,
      result: undefined,
      error: { name: 'E', message: 'm', stack: undefined },
      droppedLogs: 0,
    });
    for (const [outcome, result] of [
      [{ ok: true }, undefined],
      ['{"ok":"yes","droppedLogs":0}', undefined],
      ['{"ok":true,"droppedLogs":-1}', undefined],
      ['{"ok":false,"error":{"name":42,"message":"m"},"droppedLogs":0}', undefined],
      ['{"ok":true,"droppedLogs":0}', 'not json'],
      ['{"ok":true,"droppedLogs":0}', 42],
      ['x'.repeat(101), undefined],
    ] as const) {
      const read = readOutcome(outcome, result, limits);
      assert.equal(read.ok, false);
      assert.equal(read.error?.name, 'SandboxError', JSON.stringify(outcome));
    }
  });

  it('fails a result over the cap, whatever the sandbox claims', () => {
    const read = readOutcome('{"ok":true,"droppedLogs":0}', JSON.stringify('x'.repeat(200)), limits);
    assert.deepEqual(read.error, {
      name: 'RangeError',
      message: 'The result is too large: 202 characters of JSON (limit 100); return a summary instead',
    });
    assert.equal(read.result, true);
  });

  it('keeps one wake-up per run: a new request settles the one before, and none is due at or after the deadline', async () => {
    const deadline = Date.now() + 60_000;
    const wakeUp = new WakeUp(() => deadline);
    const replaced = wakeUp.request(30_000);
    const due = wakeUp.request(0);
    assert.deepEqual(await Promise.all([replaced, due]), [false, true]);
    const beyond = wakeUp.request(120_000);
    wakeUp.end();
    assert.equal(await beyond, false);
  });
});
