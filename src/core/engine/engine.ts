import { bindApi } from '../codegen/identifiers';
import { defaultLimits, defaultResultBudget } from '../defaults';
import { silentLogger, type Logger } from '../logger';
import { ArgumentValidator } from '../mcp/argumentValidator';
import type { McpHub } from '../mcp/hub';
import type { ClockPlan, ExecuteResult, Executor, SandboxLimits } from '../sandbox/contract/executor';
import type { RunObserver } from './runObserver';
import { toRunResult, type RunResult } from './runResult';
import { toolGateway, type ToolCallRecord } from './toolGateway';
import { transpile } from './transpile';

export type { RunResult } from './runResult';
export type { ToolCallRecord } from './toolGateway';

export interface RunOptions extends Partial<SandboxLimits> {
  signal?: AbortSignal;
  /** Characters of condensed result text. */
  resultBudget?: number;
  /** Told of the run's start and each call (runs/ records runs with it). */
  observer?: RunObserver;
  /** Record (or replay) the script's Date.now, `new Date()` and Math.random. */
  clock?: ClockPlan;
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
    const finish = (execution: ExecuteResult) => {
      const context = {
        calls,
        started,
        backend: this.executor.name,
        timeoutMs: limits.timeoutMs,
        resultBudget: options.resultBudget ?? defaultResultBudget,
      };
      const result = toRunResult(execution, context);
      this.logger.debug(`run ${result.ok ? 'succeeded' : 'failed'} in ${result.stats.durationMs} ms with ${calls.length} call(s)`);
      return result;
    };

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
      const bindings = bindApi(listing.servers);
      options.observer?.runStarted?.({ backend: this.executor.name, limits, bindings });
      const onToolCall = toolGateway({
        hub: this.hub,
        validator: this.validator,
        logger: this.logger,
        signal: calling.signal,
        deadline: started + limits.timeoutMs,
        calls,
        observer: options.observer,
      });
      const execution = await this.executor.execute(
        { code: transpiled.code, bindings, limits: { ...limits, timeoutMs: Math.round(remainingMs) }, clock: options.clock },
        onToolCall,
        options.signal,
      );
      return finish(execution);
    } finally {
      stopCalls();
      options.signal?.removeEventListener('abort', stopCalls);
    }
  }
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
