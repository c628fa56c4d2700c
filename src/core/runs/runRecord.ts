import type { ApiBinding } from '../codegen/identifiers';
import type { ClockRecording, LogEntry, SandboxLimits, ScriptError } from '../sandbox/contract/executor';
import type { ToolReply } from '../sandbox/contract/wire';

/** Where a run came from. */
export type RunOrigin = 'chat' | 'command' | 'cli' | 'replay';

export const runRecordVersion = 1;

/** One tool call of a recorded run, in the order the script made them. */
export interface RecordedCall {
  server: string;
  tool: string;
  args: unknown;
  /** Milliseconds from the start of the run to the call's start. */
  atMs: number;
  ms: number;
  ok: boolean;
  error?: string;
  /** What the script received; absent when it was too large to keep (`replyChars` says how large). */
  reply?: ToolReply;
  replyChars: number;
  /** The user's decision on a call that needed approval (a replay does not ask again: it replays the reply). */
  approval?: 'approved' | 'refused';
}

/** Tokens a model read for the run, and what it would have read making the same calls itself (see tokenAccount). */
export interface RunTokens {
  /** The calls made one by one: each call written and its result read. */
  traditional: number;
  /** The script written. */
  script: number;
  /** The report read. */
  received: number;
  /** traditional − script − received; negative when Code Mode cost more. */
  saved: number;
}

/**
 * Everything about one run that can be looked at or replayed later. It holds what the script sent and received, never
 * the server configuration (commands, env, headers, inputs): those stay in the hub.
 */
export interface RunRecord {
  version: typeof runRecordVersion;
  /** Sortable by time: the start time in ms, base 36, then a random part. */
  id: string;
  origin: RunOrigin;
  /** A file name for command runs, the recording's id for replays. */
  label?: string;
  startedAt: string;
  script: string;
  backend: string;
  limits: SandboxLimits;
  /** The API the script saw: `mcp.<serverId>.<toolId>` for each tool. */
  bindings: ApiBinding[];
  calls: RecordedCall[];
  logs: LogEntry[];
  droppedLogs: number;
  ok: boolean;
  /** The result's JSON, cut to `resultCapChars`. */
  resultJson?: string;
  resultTruncated?: boolean;
  error?: ScriptError;
  /** The text the model (or the user) received. */
  report: string;
  durationMs: number;
  clock?: ClockRecording;
  tokens?: RunTokens;
}

/** What the runs view lists, without the payload. */
export interface RunSummary {
  id: string;
  origin: RunOrigin;
  label?: string;
  startedAt: string;
  ok: boolean;
  errorName?: string;
  durationMs: number;
  calls: number;
  tokens?: RunTokens;
  /** Size of the stored file. */
  bytes: number;
}

export function summarize(record: RunRecord, bytes: number): RunSummary {
  return {
    id: record.id,
    origin: record.origin,
    ...(record.label === undefined ? {} : { label: record.label }),
    startedAt: record.startedAt,
    ok: record.ok,
    ...(record.error ? { errorName: record.error.name } : {}),
    durationMs: record.durationMs,
    calls: record.calls.length,
    ...(record.tokens ? { tokens: record.tokens } : {}),
    bytes,
  };
}
