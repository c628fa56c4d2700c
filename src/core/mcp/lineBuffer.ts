import { deserializeMessage, type JSONRPCMessage } from '@modelcontextprotocol/client';

/** The SDK's own bound on one stdio message (a bigger one fails the transport, as it does in the SDK). */
export const maxStdioMessageBytes = 10 * 1024 * 1024;

/**
 * Splits a stdio server's output into JSON-RPC messages, copying each byte once. The SDK's buffer concatenates
 * everything received so far on every chunk: a 2 MB reply arriving in 64 KB pipe reads is copied ~30 times (measured
 * 32 MB of garbage and ~0.25 s of the host's CPU per reply), 10 MB ~160 times. Same contract as the SDK's: lines that
 * are not JSON are skipped, a message over the bound throws.
 */
export class LineBuffer {
  /** The line still arriving, in the pieces it came in. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Whole lines received, not yet read, each buffer ending with a line break. */
  private complete: Buffer[] = [];
  private offset = 0;

  constructor(private readonly maxBytes = maxStdioMessageBytes) {}

  append(chunk: Buffer): void {
    const lastBreak = chunk.lastIndexOf(0x0a);
    if (this.partialBytes + (lastBreak === -1 ? chunk.length : lastBreak + 1) > this.maxBytes) {
      this.clear();
      throw new Error(`ReadBuffer exceeded maximum size of ${this.maxBytes} bytes`);
    }
    if (lastBreak === -1) {
      this.partial.push(chunk);
      this.partialBytes += chunk.length;
      return;
    }
    this.complete.push(
      this.partial.length === 0 ? chunk.subarray(0, lastBreak + 1) : Buffer.concat([...this.partial, chunk.subarray(0, lastBreak + 1)]),
    );
    const rest = chunk.subarray(lastBreak + 1);
    this.partial = rest.length > 0 ? [rest] : [];
    this.partialBytes = rest.length;
  }

  readMessage(): JSONRPCMessage | null {
    while (this.complete.length > 0) {
      const lines = this.complete[0];
      const end = lines.indexOf(0x0a, this.offset);
      const line = lines.toString('utf8', this.offset, end).replace(/\r$/, '');
      this.offset = end + 1;
      if (this.offset >= lines.length) {
        this.complete.shift();
        this.offset = 0;
      }
      try {
        return deserializeMessage(line);
      } catch (error: unknown) {
        if (!(error instanceof SyntaxError)) {
          throw error;
        }
      }
    }
    return null;
  }

  clear(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.complete = [];
    this.offset = 0;
  }
}
