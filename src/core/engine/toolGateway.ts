import { ToolError, errorMessage } from '../errors';
import type { Logger } from '../logger';
import type { ArgumentValidator } from '../mcp/argumentValidator';
import type { McpHub } from '../mcp/hub';
import { toolErrorText, unwrapToolResult } from '../mcp/toolResult';
import type { ToolCallHandler } from '../sandbox/contract/executor';
import { errorReply, valueReply } from '../sandbox/contract/wire';
import type { CallEnd, RunObserver } from './runObserver';

/** How long a call may outlive the run's deadline before the MCP client gives up on it. */
const callTimeoutSlackMs = 1_000;
/** A tool result bigger than this is refused rather than copied into the sandbox. */
const maxToolResultChars = 16_000_000;

export interface ToolCallRecord {
  server: string;
  tool: string;
  ms: number;
  ok: boolean;
  error?: string;
}

export interface GatewayOptions {
  hub: McpHub;
  validator: ArgumentValidator;
  logger: Logger;
  /** Ends every call in flight when the run ends. */
  signal: AbortSignal;
  /** `performance.now()` at which the run's time is up. */
  deadline: number;
  /** Receives every call, in the order they end. */
  calls: ToolCallRecord[];
  /** Told of each call as it starts and ends (runs/ records them). */
  observer?: RunObserver;
}

/**
 * The one door from a script to the servers: each call is validated against the tool's schema, sent, unwrapped,
 * capped and recorded; every failure comes back to the script as a ToolError reply.
 */
export function toolGateway({ hub, validator, logger, signal, deadline, calls, observer }: GatewayOptions): ToolCallHandler {
  let nextId = 0;
  // An observer's failure is its own: it must not turn into the script's ToolError.
  const tell = (notify: () => void) => {
    try {
      notify();
    } catch (error: unknown) {
      logger.warn(`run observer failed: ${errorMessage(error)}`);
    }
  };
  return async (server, tool, argsJson) => {
    const started = performance.now();
    const id = nextId++;
    if (observer?.callStarted) {
      tell(() => observer.callStarted!({ id, server, tool, argsJson }));
    }
    const record = (ok: boolean, replyJson: string, error?: string, result?: CallEnd['result']) => {
      const ms = Math.round((performance.now() - started) * 100) / 100;
      calls.push({ server, tool, ms, ok, ...(error === undefined ? {} : { error }) });
      logger.debug(`call ${server}.${tool} ${ok ? 'ok' : 'failed'} in ${ms} ms${error ? `: ${error}` : ''}`);
      if (observer?.callEnded) {
        tell(() =>
          observer.callEnded!({ id, server, tool, argsJson, ms, ok, replyJson, ...(error === undefined ? {} : { error }), result }),
        );
      }
      return replyJson;
    };
    try {
      const args = JSON.parse(argsJson) as Record<string, unknown>;
      const info = await hub.findTool(server, tool);
      const problem = validator.check(info.inputSchema, args);
      if (problem) {
        throw new ToolError(`Invalid arguments for ${server}.${tool}: ${problem}`, server, tool);
      }
      const result = await hub.callTool(server, tool, args, {
        signal,
        // The run's own limit stops a hanging call first (with its clearer TimeoutError); this is the backstop.
        timeoutMs: Math.max(1, deadline - performance.now()) + callTimeoutSlackMs,
      });
      if (result.isError) {
        throw new ToolError(toolErrorText(result), server, tool);
      }
      const reply = valueReply(unwrapToolResult(result));
      if (reply.length > maxToolResultChars) {
        throw new ToolError(`The result of ${server}.${tool} is too large (${reply.length} characters)`, server, tool);
      }
      return record(true, reply, undefined, result);
    } catch (error: unknown) {
      const message = errorMessage(error);
      return record(false, errorReply({ name: 'ToolError', message, server, tool }), message);
    }
  };
}
