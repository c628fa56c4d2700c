import { declinedMessage, needsApproval, type Approvals } from '../approval/approvalPolicy';
import { CodeModeError, ToolError, errorMessage } from '../errors';
import { hostLimits } from '../limits';
import type { Logger } from '../logger';
import type { McpHub } from '../mcp/hub';
import type { JsonSchema } from '../mcp/toolInfo';
import { displayableOutput, toolErrorText, unwrapToolResult, type DisplayableOutput } from '../mcp/toolResult';
import { clip, displayName, oneLine } from '../safeText';
import type { ToolCallHandler } from '../sandbox/contract/executor';
import { errorReply, valueReply } from '../sandbox/contract/wire';
import { jsonDepthExceeds } from './jsonDepth';
import type { UntrustedWork } from './untrustedWork';
import type { CallEnd, RunObserver } from './runObserver';

/** How long a call may outlive the run's deadline before the MCP client gives up on it. */
const callTimeoutSlackMs = 1_000;

export interface ToolCallRecord {
  server: string;
  tool: string;
  ms: number;
  ok: boolean;
  error?: string;
  /** What the call returned that the user could be shown (images, audio, an MCP Apps UI); the script got it as data. */
  displayable?: DisplayableOutput;
  /** The call needed the user's approval: given, or refused (then it never reached the server). */
  approval?: 'approved' | 'refused';
}

export interface GatewayOptions {
  hub: McpHub;
  /** Checks arguments and results against the tool's schemas, off the host's event loop. */
  work: UntrustedWork;
  logger: Logger;
  /** Ends every call in flight when the run ends. */
  signal: AbortSignal;
  /** `performance.now()` at which the run's time is up (it moves while a person decides on a call). */
  deadline: () => number;
  /** Stops the engine's clock while a person decides; the executor's is stopped by the `holdClock` it passes. */
  holdClock?: () => () => void;
  /** Who approves the calls that may change things; without it every call goes out (a library caller's choice). */
  approvals?: Approvals;
  /** Receives every call, in the order they end. */
  calls: ToolCallRecord[];
  /** Handed to tool sources as is (RunOptions.invocation). */
  invocation?: unknown;
  /** Told of each call as it starts and ends (runs/ records them). */
  observer?: RunObserver;
}

/**
 * The one door from a script to the servers: each call is validated against the tool's schema, sent, unwrapped,
 * checked against its output schema, capped and recorded; every failure comes back to the script as a ToolError
 * reply. Names and messages are cut to the host's limits before they are kept or repeated.
 */
export function toolGateway({
  hub,
  work,
  logger,
  signal,
  deadline,
  holdClock,
  approvals,
  calls,
  observer,
  invocation,
}: GatewayOptions): ToolCallHandler {
  const { maxNameChars, maxErrorChars, maxArgumentDepth, maxToolResultChars } = hostLimits;
  // One question at a time: the calls of a Promise.all are asked about in turn, not in a pile of dialogs.
  let asking: Promise<unknown> = Promise.resolve();
  const check = async (schema: JsonSchema, value: unknown, root: 'args' | 'result', what: string) => {
    const outcome = await work.check(schema, value, root, deadline());
    if (!outcome.done) {
      // A schema too costly to check (exponential patterns or anyOf trees) is the server's problem; the call fails.
      throw new CodeModeError(`${what} could not be checked against the tool's schema (${outcome.message})`);
    }
    return outcome.value;
  };
  let nextId = 0;
  // An observer's failure is its own: it must not turn into the script's ToolError.
  const tell = (notify: () => void) => {
    try {
      notify();
    } catch (error: unknown) {
      logger.warn(`run observer failed: ${errorMessage(error)}`);
    }
  };
  return async (server, tool, argsJson, holdExecutorClock) => {
    const started = performance.now();
    const id = nextId++;
    const name = `${displayName(server, maxNameChars)}.${displayName(tool, maxNameChars)}`;
    let approval: ToolCallRecord['approval'];
    if (observer?.callStarted) {
      tell(() => observer.callStarted!({ id, server, tool, argsJson }));
    }
    const record = (ok: boolean, replyJson: string, error?: string, result?: CallEnd['result'], displayable?: DisplayableOutput) => {
      const ms = Math.round((performance.now() - started) * 100) / 100;
      calls.push({
        server: clip(server, maxNameChars),
        tool: clip(tool, maxNameChars),
        ms,
        ok,
        ...(error === undefined ? {} : { error }),
        ...(displayable ? { displayable } : {}),
        ...(approval ? { approval } : {}),
      });
      const shown = displayable
        ? `; returned for display: ${[...(displayable.media ?? []), ...(displayable.appUri ? [displayable.appUri] : [])].join(', ')}`
        : '';
      logger.debug(`call ${name} ${ok ? 'ok' : 'failed'} in ${ms} ms${error ? `: ${error}` : ''}${shown}`);
      if (observer?.callEnded) {
        tell(() =>
          observer.callEnded!({
            id,
            server,
            tool,
            argsJson,
            ms,
            ok,
            replyJson,
            ...(error === undefined ? {} : { error }),
            result,
            ...(approval ? { approval } : {}),
          }),
        );
      }
      return replyJson;
    };
    try {
      if (server.length > maxNameChars || tool.length > maxNameChars) {
        throw new ToolError(`Unknown tool ${name}: no server or tool name is longer than ${maxNameChars} characters`, server, tool);
      }
      if (jsonDepthExceeds(argsJson, maxArgumentDepth)) {
        throw new ToolError(`The arguments for ${name} nest deeper than ${maxArgumentDepth} levels`, server, tool);
      }
      const args = JSON.parse(argsJson) as Record<string, unknown>;
      const info = await hub.findTool(server, tool);
      const problem = await check(info.inputSchema, args, 'args', `The arguments for ${name}`);
      if (problem) {
        throw new ToolError(`Invalid arguments for ${name}: ${problem}`, server, tool);
      }
      if (approvals && needsApproval(approvals.policy, server, tool, info.annotations)) {
        const ask = () => approvals.approveCall({ server, tool, args, annotations: info.annotations });
        const answer = asking.then(() => (signal.aborted ? declinedMessage : whileHeld([holdClock, holdExecutorClock], ask)));
        asking = answer.catch(() => undefined);
        const given = await answer.catch((error: unknown) => `not approved: ${errorMessage(error)}`);
        approval = given === true ? 'approved' : 'refused';
        if (given !== true) {
          throw new ToolError(`${name} was not called: ${given}`, server, tool);
        }
        logger.info(`call ${name} approved`);
      }
      const result = await hub.callTool(server, tool, args, {
        signal,
        // The run's own limit stops a hanging call first (with its clearer TimeoutError); this is the backstop.
        timeoutMs: Math.max(1, deadline() - performance.now()) + callTimeoutSlackMs,
        invocation,
        // A long-running tool (an MCP task) says how it is getting on; server text, made inert.
        onStatus: (status) => logger.info(`call ${name}: ${oneLine(status)}`),
      });
      if (result.isError) {
        throw new ToolError(toolErrorText(result), server, tool);
      }
      if (info.outputSchema && result.structuredContent !== undefined) {
        const mismatch = await check(info.outputSchema, result.structuredContent, 'result', `The result of ${name}`);
        if (mismatch) {
          throw new ToolError(`The result of ${name} does not match the tool's output schema: ${mismatch}`, server, tool);
        }
      }
      const reply = valueReply(unwrapToolResult(result));
      if (reply.length > maxToolResultChars) {
        throw new ToolError(`The result of ${name} is too large (${reply.length} characters)`, server, tool);
      }
      return record(true, reply, undefined, result, displayableOutput(result, info.appUri));
    } catch (error: unknown) {
      const message = clip(errorMessage(error), maxErrorChars);
      const reply = errorReply({ name: 'ToolError', message, server: clip(server, maxNameChars), tool: clip(tool, maxNameChars) });
      return record(false, reply, message);
    }
  };
}

/** Runs `ask` with every given clock stopped, started again however it ends. */
async function whileHeld<T>(clocks: ReadonlyArray<(() => () => void) | undefined>, ask: () => Promise<T>): Promise<T> {
  const releases = clocks.map((hold) => hold?.());
  try {
    return await ask();
  } finally {
    releases.forEach((release) => release?.());
  }
}
