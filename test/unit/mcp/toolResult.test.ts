import { strict as assert } from 'node:assert';
import { toolErrorText, unwrapToolResult } from '../../../src/core/mcp/toolResult';

describe('unwrapToolResult', () => {
  it('prefers structuredContent', () => {
    assert.deepEqual(unwrapToolResult({ content: [{ type: 'text', text: '3' }], structuredContent: { sum: 3 } }), { sum: 3 });
  });

  it('parses text that is JSON, joining items with newlines', () => {
    assert.deepEqual(unwrapToolResult({ content: [{ type: 'text', text: '{"a":[1,2]}' }] }), { a: [1, 2] });
    assert.deepEqual(
      unwrapToolResult({
        content: [
          { type: 'text', text: '[1,' },
          { type: 'text', text: '2]' },
        ],
      }),
      [1, 2],
    );
    assert.equal(unwrapToolResult({ content: [{ type: 'text', text: ' 42 ' }] }), 42);
  });

  it('returns plain text as is, and "" for empty content', () => {
    assert.equal(
      unwrapToolResult({
        content: [
          { type: 'text', text: 'first' },
          { type: 'text', text: 'second' },
        ],
      }),
      'first\nsecond',
    );
    assert.equal(unwrapToolResult({ content: [{ type: 'text', text: '{not json' }] }), '{not json');
    assert.equal(unwrapToolResult({ content: [] }), '');
  });

  it('returns the content array when an item is not text', () => {
    const content = [
      { type: 'text' as const, text: 'a picture' },
      { type: 'image' as const, data: 'AA==', mimeType: 'image/png' },
    ];
    assert.deepEqual(unwrapToolResult({ content }), content);
  });

  it('gives the error text of an isError result', () => {
    assert.equal(toolErrorText({ content: [{ type: 'text', text: 'no such file' }], isError: true }), 'no such file');
    assert.equal(toolErrorText({ content: [], isError: true }), 'the tool reported an error without a message');
  });
});
