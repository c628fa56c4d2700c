import type { CallToolResult, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { randomUUID } from 'node:crypto';

/** The Tasks extension of MCP 2026-07-28 (SEP-2663): a server may answer `tools/call` with a task to poll. */
export const tasksExtension = 'io.modelcontextprotocol/tasks';

/**
 * SDK 2.4.0 lets a client declare the Tasks extension but fails any `tools/call` answered with `resultType: "task"`
 * ("Unsupported result type"), leaving the task running on the server; a 2025-11-25 `{ task }` answer fails its result
 * check too. The connection's transport hands such an answer on as an empty tool result whose `_meta` carries the
 * handle under a key only this connection knows, so `client.callTool` keeps doing the call (its abort, timeout and
 * header mirroring) and the handle is not lost.
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
    if (!result || typeof result !== 'object') {
      return message;
    }
    // 2026-07-28: the task's fields, flat, with `resultType: "task"`; 2025-11-25: `{ task }` where content would be.
    const handle = result.resultType === 'task' ? result : result.content === undefined && isObject(result.task) ? result.task : undefined;
    if (handle === undefined) {
      return message;
    }
    // Only tools/call may carry a task; on any other method the stand-in fails that method's own result check.
    const standIn = { resultType: 'complete', content: [], structuredContent: {}, _meta: { [this.key]: handle } };
    return { ...message, result: standIn } as JSONRPCMessage;
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
