import { strict as assert } from 'node:assert';
import { condense } from '../../../src/core/engine/condense';
import { byteLength, cutToBytes } from '../../../src/core/engine/utf8';

describe('condense', () => {
  it('keeps a short result whole, unquoting a top-level string', () => {
    assert.deepEqual(condense({ a: 1 }, 100), { text: '{"a":1}', totalChars: 7, truncated: false });
    assert.deepEqual(condense('line one\nline two', 100), { text: 'line one\nline two', totalChars: 17, truncated: false });
  });

  it('says so when the script returned nothing', () => {
    assert.equal(condense(undefined, 100).text, 'undefined (the script returned no value)');
  });

  it('cuts a long text to the budget and says how much was cut', () => {
    const { text, totalChars, truncated } = condense('x'.repeat(500), 120);
    assert.deepEqual([totalChars, truncated], [500, true]);
    assert.ok(byteLength(text) <= 120, text);
    const kept = text.split('\n')[0];
    assert.match(kept, /^x+$/);
    assert.ok(text.endsWith(`\n…[${500 - kept.length} more characters not shown; return a smaller summary to see them]`), text);
  });

  it('cuts an array of rows to valid JSON that counts the rows left out', () => {
    const rows = Array.from({ length: 2_000 }, (_, id) => ({ id, name: `row ${id}`, done: id % 2 === 0 }));
    const { text, truncated } = condense(rows, 2_000);
    assert.equal(truncated, true);
    assert.ok(byteLength(text) <= 2_000);
    const parsed = JSON.parse(text) as unknown[];
    const marker = parsed.at(-1) as string;
    const shown = parsed.slice(0, -1);
    assert.ok(shown.length >= 20, `${shown.length} rows`);
    assert.deepEqual(shown, rows.slice(0, shown.length));
    assert.equal(marker, `…and ${(2_000 - shown.length).toLocaleString('en-US')} more rows`);
  });

  it('cuts nested arrays and objects with many keys, each saying what it left out', () => {
    const value = { total: 3, items: Array.from({ length: 300 }, (_, i) => ({ i, tags: Array.from({ length: 50 }, (_, t) => `t${t}`) })) };
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`key${i}`, i]));
    const nested = JSON.parse(condense(value, 1_500).text) as { total: number; items: Array<{ tags: string[] } | string> };
    assert.equal(nested.total, 3);
    assert.match(String(nested.items.at(-1)), /^…and \d+ more rows$/);
    assert.match(String((nested.items[0] as { tags: string[] }).tags.at(-1)), /^…and \d+ more rows$/);
    const keys = JSON.parse(condense(wide, 600).text) as Record<string, unknown>;
    assert.match(String(keys['…']), /^and \d+ more keys$/);
    assert.equal(Object.keys(keys).length - 1 + Number(/\d+/.exec(String(keys['…']))?.[0]), 500);
  });

  it('shortens long strings inside rows rather than showing only a few rows', () => {
    const rows = Array.from({ length: 100 }, (_, id) => ({ id, body: 'lorem ipsum '.repeat(400) }));
    const parsed = JSON.parse(condense(rows, 8_000).text) as Array<{ id: number; body: string } | string>;
    assert.ok(parsed.length > 20, `${parsed.length} rows`);
    assert.match((parsed[0] as { body: string }).body, /…\[\+[\d,]+ chars\]$/);
  });

  it('never cuts inside a surrogate pair or a multi-byte character', () => {
    const emoji = '😀'.repeat(1_000);
    for (const budget of [101, 102, 103, 997]) {
      const { text } = condense(emoji, budget);
      assert.ok(byteLength(text) <= budget);
      assert.doesNotMatch(text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      const rows = JSON.parse(condense([{ s: emoji }, { s: 'é'.repeat(3_000) }], budget + 200).text) as Array<{ s: string }>;
      assert.doesNotMatch(rows[0].s, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    assert.equal(cutToBytes('a😀', 4), 'a');
    assert.equal(cutToBytes('aé', 2), 'a');
    assert.equal(cutToBytes('aé', 3), 'aé');
  });
});
