import { bindApi } from '../codegen/identifiers';
import { defaultLimits, defaultResultBudget } from '../defaults';
import { silentLogger, type Logger } from '../logger';
import type { McpHub } from '../mcp/hub';
import type { ExecuteResult, Executor, SandboxLimits } from '../sandbox/contract/executor';
import { toRunResult, type RunResult } from './runResult';
import { toolGateway, type ToolCallRecord } from './toolGateway';
import { transpileWithin } from './boundedTranspile';
import { UntrustedWork } from './untrustedWork';

export type { RunResult } from './runResult';
export type { ToolCallRecord } from './toolGateway';

export interface RunOptions extends Partial<SandboxLimits> {
  signal?: AbortSignal;
  /** Characters of condensed result text. */
  resultBudget?: number;
}

/** One code path for the LM tool, the "Run Code Mode script" command and the CLI: transpile, bind tools, run, condense. */
export class Engine {
  /** Transpiling and schema checks, in a worker thread that is stopped when they take too long. */
  private readonly work = new UntrustedWork();
  private readonly logger: Logger;

  constructor(
    private readonly hub: McpHub,
    private readonly executor: Executor,
    logger?: Logger,
  ) {
    this.logger = logger ?? silentLogger;
    // Loading while servers connect keeps it off the first run's clock; unused, it ends after a minute.
    this.work.prepare();
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

    // The sandbox starts while the worker transpiles.
    this.executor.prepare?.();
    const transpiled = await transpileWithin(this.work, source, started + limits.timeoutMs);
    if (!transpiled.ok) {
      return finish({ ok: false, error: transpiled.error, logs: [], droppedLogs: 0 });
    }
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
      const onToolCall = toolGateway({
        hub: this.hub,
        work: this.work,
        logger: this.logger,
        signal: calling.signal,
        deadline: started + limits.timeoutMs,
        calls,
      });
      const execution = await this.executor.execute(
        { code: transpiled.code, bindings: bindApi(listing.servers), limits: { ...limits, timeoutMs: Math.round(remainingMs) } },
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
