import type { Approvals } from '../approval/approvalPolicy';
import { blockedRun } from '../check/blockedRun';
import { ScriptChecker } from '../check/scriptChecker';
import { bindApi } from '../codegen/identifiers';
import { defaultLimits, defaultResultBudget } from '../defaults';
import { silentLogger, type Logger } from '../logger';
import type { McpHub, ToolListing } from '../mcp/hub';
import type { ClockPlan, ExecuteResult, Executor, SandboxLimits } from '../sandbox/contract/executor';
import { cancelledError, failure, timeoutError } from '../sandbox/contract/outcome';
import type { RunObserver } from './runObserver';
import { toRunResult, type RunResult } from './runResult';
import { toolGateway, type ToolCallRecord } from './toolGateway';
import { transpileWithin } from './boundedTranspile';
import { UntrustedWork } from './untrustedWork';

export type { RunResult } from './runResult';
export type { ToolCallRecord } from './toolGateway';

export interface RunOptions extends Partial<SandboxLimits> {
  signal?: AbortSignal;
  /** UTF-8 bytes of condensed result text (`text`; a model's report is sized by modelReport). */
  resultBudget?: number;
  /** Type-check the script against the API first and run nothing when it would certainly fail (src/core/check). */
  check?: boolean;
  /** Who approves the calls that may change things (see approval/approvalPolicy); every caller in the product gives one. */
  approvals?: Approvals;
  /** Handed as is to tool sources that call back into their host (VS Code: the chat request's toolInvocationToken). */
  invocation?: unknown;
  /** Told of the run's start and each call (runs/ records runs with it). */
  observer?: RunObserver;
  /** Record (or replay) the script's Date.now, `new Date()` and Math.random. */
  clock?: ClockPlan;
}

/** One code path for the LM tool, the "Run Code Mode script" command and the CLI: transpile, bind tools, run, condense. */
export class Engine {
  private readonly checker = new ScriptChecker();
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
    const finish = (execution: ExecuteResult, unavailable: ToolListing['failures'] = []) => {
      const context = {
        calls,
        started,
        backend: this.executor.name,
        timeoutMs: limits.timeoutMs,
        resultBudget: options.resultBudget ?? defaultResultBudget,
      };
      const result: RunResult = { ...toRunResult(execution, context), unavailable };
      this.logger.debug(`run ${result.ok ? 'succeeded' : 'failed'} in ${result.stats.durationMs} ms with ${calls.length} call(s)`);
      return result;
    };

    // The sandbox starts while the worker transpiles.
    this.executor.prepare?.();
    const transpiled = await transpileWithin(this.work, source, started + limits.timeoutMs);
    if (!transpiled.ok) {
      return finish({ ok: false, error: transpiled.error, logs: [], droppedLogs: 0 });
    }
    // An abort can come before anything below listens for it: each step checks, so a cancelled run makes no call.
    if (options.signal?.aborted) {
      return finish(failure(cancelledError()));
    }
    this.executor.prepare?.();
    // A server still starting after half the run is left out of this run's API rather than waited for: the script
    // keeps the other half, and its calls to that server fail with the reason (see bindApi).
    const listing = await untilAborted(this.hub.listTools({ waitMs: Math.round(limits.timeoutMs / 2) }), options.signal);
    if (!listing) {
      return finish(failure(cancelledError()));
    }
    for (const unavailable of listing.failures) {
      this.logger.warn(`[${unavailable.server}] left out of this run's API: ${unavailable.message}`);
    }
    const check = options.check ? this.checker.check(source, listing.servers, this.logger, listing.failures) : undefined;
    if (check && !check.ok) {
      return blockedRun(check, this.executor.name, started);
    }
    // In-flight calls end with the run, whatever ends it.
    const calling = new AbortController();
    const stopCalls = () => calling.abort();
    options.signal?.addEventListener('abort', stopCalls, { once: true });
    try {
      // The time limit is the script's: the check (up to a second or so when cold) does not use it up.
      const deadline = started + (check?.durationMs ?? 0) + limits.timeoutMs;
      const remainingMs = deadline - performance.now();
      // Time a person takes to approve a call is not the script's.
      let heldMs = 0;
      const holdClock = () => {
        const heldAt = performance.now();
        return () => (heldMs += performance.now() - heldAt);
      };
      if (remainingMs < 1) {
        return finish(failure(timeoutError(limits.timeoutMs)), listing.failures);
      }
      const bindings = bindApi(listing.servers, listing.failures);
      options.observer?.runStarted?.({ backend: this.executor.name, limits, bindings });
      const onToolCall = toolGateway({
        hub: this.hub,
        work: this.work,
        logger: this.logger,
        signal: calling.signal,
        deadline: () => deadline + heldMs,
        holdClock,
        approvals: options.approvals,
        calls,
        invocation: options.invocation,
        observer: options.observer,
      });
      const execution = await this.executor.execute(
        { code: transpiled.code, bindings, limits: { ...limits, timeoutMs: Math.round(remainingMs) }, clock: options.clock },
        onToolCall,
        options.signal,
      );
      return finish(execution, listing.failures);
    } finally {
      stopCalls();
      options.signal?.removeEventListener('abort', stopCalls);
    }
  }

  /** Does the slow part of the first check now (TypeScript loads, lib parsed), e.g. while servers start. */
  warmCheck(): void {
    this.checker.warm(this.logger);
  }
}

/** Resolves to undefined as soon as `signal` aborts, whether or not it already has. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) {
    return work;
  }
  if (signal.aborted) {
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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
