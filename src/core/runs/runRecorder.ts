import { randomBytes } from 'node:crypto';
import type { ApiBinding } from '../codegen/identifiers';
import { defaultLimits } from '../defaults';
import type { RunResult } from '../engine/runResult';
import type { CallEnd, CallStart, RunObserver } from '../engine/runObserver';
import type { ClockPlan, SandboxLimits } from '../sandbox/contract/executor';
import type { ToolReply } from '../sandbox/contract/wire';
import { runRecordVersion, type RecordedCall, type RunOrigin, type RunRecord } from './runRecord';
import type { TokenInputs } from './tokenAccount';
import { codeModeCallText, traditionalCallText, traditionalResultText } from './traditionalCalls';

/** A reply bigger than this is not kept (the record says how big it was); its call cannot be replayed. */
export const defaultReplyCapChars = 256_000;
/** Replies are kept until they add up to this many characters; later ones are not. */
export const defaultRepliesCapChars = 8_000_000;
/** The result's JSON is kept up to this many characters. */
export const defaultResultCapChars = 256_000;

export interface RecorderOptions {
  origin: RunOrigin;
  label?: string;
  script: string;
  replyCapChars?: number;
  repliesCapChars?: number;
  resultCapChars?: number;
}

interface CallInFlight {
  start: CallStart;
  atMs: number;
  end?: CallEnd;
}

/**
 * Records one run: pass it as the run's `observer` and `clock`, then `finish` with the result. During the run it only
 * keeps references (the hot path stays as it was); the record is built in `finish`.
 */
export class RunRecorder implements RunObserver {
  /** Pass as RunOptions.clock: the script's clock values come back with the result. */
  readonly clock: ClockPlan;
  private readonly started = performance.now();
  private readonly startedAt = new Date();
  private readonly calls: CallInFlight[] = [];
  private setup?: { backend: string; limits: SandboxLimits; bindings: readonly ApiBinding[] };

  constructor(
    private readonly options: RecorderOptions,
    clock: ClockPlan = {},
  ) {
    this.clock = clock;
  }

  runStarted(info: { backend: string; limits: SandboxLimits; bindings: readonly ApiBinding[] }): void {
    this.setup = info;
  }

  callStarted(start: CallStart): void {
    this.calls[start.id] = { start, atMs: round(performance.now() - this.started) };
  }

  callEnded(end: CallEnd): void {
    const call = this.calls[end.id];
    if (call) {
      call.end = end;
    }
  }

  /** The record of the finished run, and the texts its token account is counted from (see accountTokens). */
  finish(run: RunResult, report: string): { record: RunRecord; tokenInputs: TokenInputs } {
    const {
      replyCapChars = defaultReplyCapChars,
      repliesCapChars = defaultRepliesCapChars,
      resultCapChars = defaultResultCapChars,
    } = this.options;
    let room = repliesCapChars;
    const keepReply = (chars: number) => chars <= replyCapChars && chars <= room && ((room -= chars), true);
    const resultJson = run.result === undefined ? undefined : JSON.stringify(run.result);
    const record: RunRecord = {
      version: runRecordVersion,
      id: newRunId(this.startedAt),
      origin: this.options.origin,
      ...(this.options.label === undefined ? {} : { label: this.options.label }),
      startedAt: this.startedAt.toISOString(),
      script: this.options.script,
      // After the run: a lazily started executor knows its backend only then.
      backend: run.stats.backend,
      // A script that did not compile never reached the sandbox: its replay gets the default limits.
      limits: this.setup?.limits ?? defaultLimits,
      bindings: [...(this.setup?.bindings ?? [])],
      calls: this.calls.filter(Boolean).map((call) => recordedCall(call, keepReply)),
      logs: run.logs,
      droppedLogs: run.stats.droppedLogs,
      ok: run.ok,
      ...(resultJson === undefined ? {} : { resultJson: resultJson.slice(0, resultCapChars) }),
      ...(resultJson !== undefined && resultJson.length > resultCapChars ? { resultTruncated: true } : {}),
      ...(run.error ? { error: run.error } : {}),
      report,
      durationMs: run.stats.durationMs,
      ...(run.clock ? { clock: run.clock } : {}),
    };
    const tokenInputs: TokenInputs = {
      calls: this.calls
        .filter((call) => call?.end)
        .map(({ start, end }) => ({
          call: traditionalCallText(start.server, start.tool, start.argsJson),
          result: traditionalResultText(end!.result, end!.error),
        })),
      script: codeModeCallText(this.options.script),
      report,
    };
    return { record, tokenInputs };
  }
}

function recordedCall({ start, atMs, end }: CallInFlight, keepReply: (chars: number) => boolean): RecordedCall {
  const args = parseOr(start.argsJson, start.argsJson);
  if (!end) {
    return {
      server: start.server,
      tool: start.tool,
      args,
      atMs,
      ms: 0,
      ok: false,
      error: 'still running when the run ended',
      replyChars: 0,
    };
  }
  const kept = keepReply(end.replyJson.length);
  return {
    server: start.server,
    tool: start.tool,
    args,
    atMs,
    ms: end.ms,
    ok: end.ok,
    ...(end.error === undefined ? {} : { error: end.error }),
    ...(kept ? { reply: JSON.parse(end.replyJson) as ToolReply } : {}),
    replyChars: end.replyJson.length,
    ...(end.approval ? { approval: end.approval } : {}),
  };
}

function parseOr(json: string, fallback: unknown): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return fallback;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function newRunId(at: Date): string {
  return `${at.getTime().toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
}
