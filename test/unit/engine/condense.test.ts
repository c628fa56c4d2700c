import { strict as assert } from 'node:assert';
import { condense } from '../../../src/core/engine/condense';

describe('condense', () => {
  it('keeps a short result whole, unquoting a top-level string', () => {
    assert.deepEqual(condense('{"a":1}', 100), { text: '{"a":1}', totalChars: 7, truncated: false });
    assert.deepEqual(condense('"line one\\nline two"', 100), { text: 'line one\nline two', totalChars: 17, truncated: false });
  });

  it('says so when the script returned nothing', () => {
    assert.equal(condense(undefined, 100).text, 'undefined (the script returned no value)');
  });

  it('cuts to the budget and says how much was cut', () => {
    assert.deepEqual(condense(JSON.stringify('x'.repeat(50)), 20), {
      text: `${'x'.repeat(20)}\n…[truncated: 30 of 50 characters cut; return a smaller summary to see everything]`,
      totalChars: 50,
      truncated: true,
    });
  });
});
