import { strict as assert } from 'node:assert';
import { LineBuffer } from '../../../src/core/mcp/lineBuffer';
import { McpHub } from '../../../src/core/mcp/hub';
import { hostileServer, noInputs, projectRoot } from '../helpers';

const message = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, result: { text: `reply ${id}` } });

function readAll(buffer: LineBuffer): unknown[] {
  const read: unknown[] = [];
  for (let next = buffer.readMessage(); next !== null; next = buffer.readMessage()) {
    read.push(next);
  }
  return read;
}

describe('stdio line buffer', () => {
  it('reads messages split across chunks and several in one chunk, CRLF or LF, skipping lines that are not JSON', () => {
    const buffer = new LineBuffer();
    const text = `${message(1)}\nnot json\r\n${message(2)}\r\n${message(3)}\n${message(4)}`;
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += 7) {
      buffer.append(bytes.subarray(at, at + 7));
    }
    assert.deepEqual(
      readAll(buffer).map((read) => (read as { id: number }).id),
      [1, 2, 3],
    );
    buffer.append(Buffer.from('\n'));
    assert.deepEqual(readAll(buffer), [JSON.parse(message(4))]);
  });

  it('refuses a message over its bound, whether or not its line has ended, and starts afresh', () => {
    const buffer = new LineBuffer(100);
    buffer.append(Buffer.from('x'.repeat(60)));
    assert.throws(() => buffer.append(Buffer.from('y'.repeat(60))), /exceeded maximum size of 100 bytes/);
    assert.throws(() => buffer.append(Buffer.from(`${'z'.repeat(120)}\n`)), /exceeded maximum size/);
    buffer.append(Buffer.from(`${message(5)}\n`));
    assert.deepEqual(readAll(buffer), [JSON.parse(message(5))]);
  });

  it("copies a server's 2 MB reply about once, not once per chunk it arrives in (the SDK's buffer copied 30x)", async function () {
    this.timeout(60_000);
    const hub = new McpHub({ variables: { ...noInputs, workspaceFolder: projectRoot } });
    await hub.reconcile([hostileServer('hostile', ['--only', 'huge_error'])]);
    const concat = Buffer.concat;
    let copied = 0;
    try {
      await hub.listTools();
      Buffer.concat = (list: readonly Uint8Array[], length?: number) => {
        const joined = concat(list, length);
        copied += joined.length;
        return joined;
      };
      const result = await hub.callTool('hostile', 'huge_error', {});
      assert.equal(result.isError, true);
    } finally {
      Buffer.concat = concat;
      await hub.closeAll();
    }
    assert.ok(copied < 3 * 2_000_000, `${copied} bytes copied to read a 2 MB reply`);
  });
});
