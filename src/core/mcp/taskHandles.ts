import type { CallToolResult, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { randomUUID } from 'node:crypto';

/** The Tasks extension of MCP 2026-07-28 (SEP-2663): a server may answer `tools/call` with a task to poll. */
export const tasksExtension = 'io.modelcontextprotocol/tasks';

/**
 * SDK 2.4.0 lets a client declare the Tasks extension but fails any `tools/call` answered with `resultType: "task"`
 * ("Unsupported result type"), leaving the task running on the server. The connection's transport hands such an
 * answer on as an empty tool result whose `_meta` carries the handle under a key only this connection knows, so
 * `client.callTool` keeps doing the call (its abort, timeout and header mirroring) and the handle is not lost.
 */
export class TaskHandles {
  private readonly key = `codemode.dev/task-handle-${randomUUID()}`;

  /** Rewrites task answers on their way from `transport` to the client; call before `client.connect`. */
  watch(transport: Transport): void {
    let receive: Transport['onmessage'];
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      enumerable: true,
      get: () => receive,
      set: (handler: Transport['onmessage']) => {
        receive = handler && ((message, extra) => handler(this.rewrite(message), extra));
      },
    });
  }

  /** The raw task handle (server data, unchecked) a call's result stands for; undefined for an ordinary result. */
  handleOf(result: CallToolResult): unknown {
    const meta = result._meta as Record<string, unknown> | undefined;
    return meta && Object.hasOwn(meta, this.key) ? meta[this.key] : undefined;
  }

  private rewrite(message: JSONRPCMessage): JSONRPCMessage {
    const result = 'result' in message ? (message.result as Record<string, unknown> | undefined) : undefined;
    if (!result || typeof result !== 'object' || result.resultType !== 'task') {
      return message;
    }
    // Only tools/call may carry a task; on any other method the stand-in fails that method's own result check.
    const standIn = { resultType: 'complete', content: [], structuredContent: {}, _meta: { [this.key]: result } };
    return { ...message, result: standIn } as JSONRPCMessage;
  }
}
