import { bindApi } from '../codegen/identifiers';
import { ToolError, errorMessage } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { ArgumentValidator } from '../mcp/argumentValidator';
import type { McpHub } from '../mcp/hub';
import { displayableOutput, errorText, unwrapToolResult, type DisplayableOutput } from '../mcp/toolResult';
import type { ExecuteResult, Executor, LogEntry, SandboxLimits, ScriptError, ToolCallHandler } from '../sandbox/executor';
import { condense } from './condense';
import { transpile } from './transpile';

export const defaultLimits: SandboxLimits = {
  timeoutMs: 30_000,
  memoryMb: 128,
  maxLogEntries: 1_000,
  maxLogChars: 100_000,
  maxResultChars: 10_000_000,
};

/** Characters of result a model is shown by default (about 5k tokens). */
const defaultResultBudget = 20_000;
/** How long a call may outlive the run's deadline before the MCP client gives up on it. */
const callTimeoutSlackMs = 1_000;
/** A tool result bigger than this is refused rather than copied into the sandbox. */
const maxToolResultChars = 16_000_000;

export interface RunOptions extends Partial<SandboxLimits> {
  signal?: AbortSignal;
  /** Characters of condensed result text. */
  resultBudget?: number;
}

export interface ToolCallRecord {
  server: string;
  tool: string;
  ms: number;
  ok: boolean;
  error?: string;
  /** What the call returned that the user could be shown (images, audio, an MCP Apps UI); the script got it as data. */
  displayable?: DisplayableOutput;
}

export interface RunError {
  kind: ScriptError['kind'];
  name: string;
  message: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface RunResult {
  ok: boolean;
  /** The script's return value (parsed back from JSON). */
  result?: unknown;
  /** What a model is shown: the condensed result, or the error with its position. */
  text: string;
  logs: LogEntry[];
  calls: ToolCallRecord[];
  error?: RunError;
  stats: {
    durationMs: number;
    backend: string;
    droppedLogs: number;
    resultChars: number;
    truncated: boolean;
  };
}

/** One code path for the LM tool, the "Run Code Mode script" command and the CLI: transpile, bind tools, run, condense. */
export class Engine {
  private readonly validator = new ArgumentValidator();
  private readonly logger: Logger;

  constructor(
    private readonly hub: McpHub,
    private readonly executor: Executor,
    logger?: Logger,
  ) {
    this.logger = logger ?? silentLogger;
  }

  async run(source: string, options: RunOptions = {}): Promise<RunResult> {
    const started = performance.now();
    const limits: SandboxLimits = { ...defaultLimits, ...definedOnly(options) };
    const calls: ToolCallRecord[] = [];
    const finish = (execution: ExecuteResult) =>
      this.toRunResult(withUserTimeout(execution, limits.timeoutMs), calls, started, options.resultBudget ?? defaultResultBudget);

    const transpiled = transpile(source);
    if (!transpiled.ok) {
      return finish({ ok: false, error: transpiled.error, logs: [], droppedLogs: 0 });
    }
    this.executor.prepare?.();
    // A server still starting after half the run (but at least a second: stdio servers take a few hundred ms) is
    // left out of this run's API rather than waited for.
    const listing = await this.hub.listTools({ waitMs: Math.round(Math.max(limits.timeoutMs / 2, Math.min(limits.timeoutMs, 1_000))) });
    for (const failure of listing.failures) {
      this.logger.warn(`[${failure.server}] left out of this run's API: ${failure.message}`);
    }
    // In-flight calls end with the run, whatever ends it.
    const calling = new AbortController();
    const stopCalls = () => calling.abort();
    options.signal?.addEventListener('abort', stopCalls, { once: true });
    try {
      const remainingMs = Math.max(1, limits.timeoutMs - (performance.now() - started));
      const execution = await this.executor.execute(
        { code: transpiled.code, bindings: bindApi(listing.servers), limits: { ...limits, timeoutMs: Math.round(remainingMs) } },
        this.toolCallHandler(calls, calling.signal, started + limits.timeoutMs),
        options.signal,
      );
      return finish(execution);
    } finally {
      stopCalls();
      options.signal?.removeEventListener('abort', stopCalls);
    }
  }

  private toolCallHandler(calls: ToolCallRecord[], signal: AbortSignal, deadline: number): ToolCallHandler {
    return async (server, tool, argsJson) => {
      const started = performance.now();
      const record = (ok: boolean, error?: string, displayable?: DisplayableOutput) => {
        const ms = Math.round((performance.now() - started) * 100) / 100;
        calls.push({ server, tool, ms, ok, ...(error === undefined ? {} : { error }), ...(displayable ? { displayable } : {}) });
        const shown = displayable ? `; returned for display: ${[...(displayable.media ?? []), ...(displayable.appUri ? [displayable.appUri] : [])].join(', ')}` : '';
        this.logger.debug(`call ${server}.${tool} ${ok ? 'ok' : 'failed'} in ${ms} ms${error ? `: ${error}` : ''}${shown}`);
      };
      try {
        const args = JSON.parse(argsJson) as Record<string, unknown>;
        const info = await this.hub.findTool(server, tool);
        const problem = this.validator.check(info.inputSchema, args);
        if (problem) {
          throw new ToolError(`Invalid arguments for ${server}.${tool}: ${problem}`, server, tool);
        }
        const result = await this.hub.callTool(server, tool, args, {
          signal,
          // The run's own limit stops a hanging call first (with its clearer TimeoutError); this is the backstop.
          timeoutMs: Math.max(1, deadline - performance.now()) + callTimeoutSlackMs,
        });
        if (result.isError) {
          throw new ToolError(errorText(result), server, tool);
        }
        const valueJson = JSON.stringify({ value: unwrapToolResult(result) });
        if (valueJson.length > maxToolResultChars) {
          throw new ToolError(`The result of ${server}.${tool} is too large (${valueJson.length} characters)`, server, tool);
        }
        record(true, undefined, displayableOutput(result, info.appUri));
        return valueJson;
      } catch (error: unknown) {
        const message = errorMessage(error);
        record(false, message);
        return JSON.stringify({ error: { name: 'ToolError', message, server, tool } });
      }
    };
  }

  private toRunResult(execution: ExecuteResult, calls: ToolCallRecord[], started: number, budget: number): RunResult {
    const condensed = execution.ok ? condense(execution.resultJson, budget) : undefined;
    const result: RunResult = {
      ok: execution.ok,
      result: execution.ok && execution.resultJson !== undefined ? JSON.parse(execution.resultJson) : undefined,
      text: condensed?.text ?? describeError(execution.error),
      logs: execution.logs,
      calls,
      error: execution.error,
      stats: {
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        backend: this.executor.name,
        droppedLogs: execution.droppedLogs,
        resultChars: condensed?.totalChars ?? 0,
        truncated: condensed?.truncated ?? false,
      },
    };
    this.logger.debug(`run ${result.ok ? 'succeeded' : 'failed'} in ${result.stats.durationMs} ms with ${calls.length} call(s)`);
    return result;
  }
}

function describeError(error: ScriptError | undefined): string {
  if (!error) {
    return 'Error: the run failed for an unknown reason';
  }
  const where = error.line === undefined ? '' : ` (line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`})`;
  return `${error.name}: ${error.message}${where}`;
}

/** The executor only knows the time left when it started; the user knows the limit they set. */
function withUserTimeout(execution: ExecuteResult, timeoutMs: number): ExecuteResult {
  if (execution.error?.kind !== 'timeout') {
    return execution;
  }
  return { ...execution, error: { ...execution.error, message: `The run exceeded its ${timeoutMs} ms time limit and was stopped` } };
}

function definedOnly(options: RunOptions): Partial<SandboxLimits> {
  const limits: Partial<SandboxLimits> = {};
  for (const key of Object.keys(defaultLimits) as Array<keyof SandboxLimits>) {
    if (options[key] !== undefined) {
      limits[key] = options[key];
    }
  }
  return limits;
}
