import { isCallToolResult, type CallToolResult, type Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { CodeModeError, errorMessage } from '../errors';
import { clip } from '../safeText';

/** Bounds on how a task is polled: a server's `pollIntervalMs` is a hint inside them, never a way to stall or spin. */
export const taskPolling = {
  minPollMs: 100,
  maxPollMs: 2_000,
  defaultPollMs: 500,
  /** Status messages reported per call; a server that changes its message endlessly is not echoed endlessly. */
  maxStatusReports: 50,
  maxStatusChars: 300,
  /** How long a `tasks/cancel` sent after the call ended may take. */
  cancelTimeoutMs: 5_000,
} as const;

const terminalStatuses = new Set(['completed', 'failed', 'cancelled']);

/** A task as `tasks/get` (and the handle `tools/call` answers with) carries it: server data, checked. */
const taskSchema = z.looseObject({
  taskId: z.string().min(1).max(1_000),
  status: z.enum(['working', 'input_required', 'completed', 'failed', 'cancelled']),
  statusMessage: z.string().optional(),
  pollIntervalMs: z.number().optional(),
  /** Its name in 2025-11-25. */
  pollInterval: z.number().optional(),
  result: z.unknown().optional(),
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
  inputRequests: z.record(z.string(), z.unknown()).optional(),
});
type Task = z.infer<typeof taskSchema>;

export interface TaskWait {
  /** Aborted when the call's run ends. */
  signal: AbortSignal;
  /** The rest of the call's time. */
  timeoutMs: number;
  /** Told each new status the task reports (status and message, cut to a bounded length). */
  onStatus?(status: string): void;
  /** Where a cancellation that could not be delivered is noted. */
  onCancelFailed?(message: string): void;
}

/**
 * Waits for a task a `tools/call` was answered with (Tasks extension, SEP-2663) and returns the tool result it ends
 * with. `tasks/get` is polled at the server's `pollIntervalMs` within `taskPolling`'s bounds; the wait ends with the
 * call's signal or time, and a task left unfinished (abort, timeout, a bad answer, a request for input) is sent
 * `tasks/cancel` without waiting for it.
 */
export async function awaitTask(client: Client, handle: unknown, wait: TaskWait): Promise<CallToolResult> {
  const first = taskSchema.safeParse(handle);
  if (!first.success) {
    const taskId = (handle as { taskId?: unknown } | null)?.taskId;
    if (typeof taskId === 'string' && taskId.length <= 1_000) {
      cancelTask(client, taskId, wait);
    }
    throw new CodeModeError('the server answered with a task handle that is not valid');
  }
  let task = first.data;
  const { taskId } = task;
  const limit = AbortSignal.any([wait.signal, AbortSignal.timeout(Math.max(1, Math.ceil(wait.timeoutMs)))]);
  const deadline = performance.now() + wait.timeoutMs;
  const report = statusReporter(wait.onStatus);
  // 2025-11-25 tasks (the experimental feature the Tasks extension replaced) hand their result over through tasks/result.
  const legacy = client.getProtocolEra() === 'legacy';
  try {
    for (;;) {
      report(task);
      if (task.status === 'completed' && legacy) {
        return await legacyResult(client, taskId, limit, deadline);
      }
      // What an input_required task asks for comes with tasks/get (2026-07-28), not always with the handle.
      if (terminalStatuses.has(task.status) || (task.status === 'input_required' && (legacy || task.inputRequests))) {
        return finalResult(task);
      }
      await pause(pollDelay(task.pollIntervalMs ?? task.pollInterval), limit);
      task = await client.request({ method: 'tasks/get', params: { taskId } }, taskSchema, {
        signal: limit,
        timeout: Math.max(1, deadline - performance.now()),
      });
      if (task.taskId !== taskId) {
        throw new CodeModeError('the server answered tasks/get about another task');
      }
    }
  } catch (error: unknown) {
    if (!terminalStatuses.has(task.status)) {
      cancelTask(client, taskId, wait);
    }
    if (limit.aborted && !wait.signal.aborted) {
      throw new CodeModeError('the call timed out');
    }
    throw error;
  }
}

async function legacyResult(client: Client, taskId: string, signal: AbortSignal, deadline: number): Promise<CallToolResult> {
  const result: unknown = await client.request({ method: 'tasks/result', params: { taskId } }, z.looseObject({}), {
    signal,
    timeout: Math.max(1, deadline - performance.now()),
  });
  if (!isCallToolResult(result)) {
    throw new CodeModeError('the task completed without a valid tool result');
  }
  return result;
}

function finalResult(task: Task): CallToolResult {
  switch (task.status) {
    case 'completed':
      if (!isCallToolResult(task.result)) {
        throw new CodeModeError('the task completed without a valid tool result');
      }
      return task.result;
    case 'failed':
      throw new CodeModeError(`the task failed: ${task.error?.message ?? task.statusMessage ?? 'no reason given'}`);
    case 'cancelled':
      throw new CodeModeError(`the server cancelled the task${task.statusMessage ? `: ${task.statusMessage}` : ''}`);
    default: {
      // Answering a task's input requests (tasks/update) is not supported: nobody can answer inside a script.
      const asked = Object.keys(task.inputRequests ?? {}).slice(0, 5);
      throw new CodeModeError(
        `the task asked for input${asked.length ? ` (${asked.join(', ')})` : ''}, which Code Mode does not give to tasks; it was cancelled`,
      );
    }
  }
}

function statusReporter(onStatus: TaskWait['onStatus']): (task: Task) => void {
  let last: string | undefined;
  let reports = 0;
  return (task) => {
    const status = `task ${task.status}${task.statusMessage ? `: ${clip(task.statusMessage, taskPolling.maxStatusChars)}` : ''}`;
    if (!onStatus || status === last || reports > taskPolling.maxStatusReports) {
      return;
    }
    last = status;
    reports++;
    onStatus(reports > taskPolling.maxStatusReports ? 'task status changes: further changes are not reported' : status);
  };
}

function pollDelay(pollIntervalMs: number | undefined): number {
  const hinted = pollIntervalMs !== undefined && Number.isFinite(pollIntervalMs) ? pollIntervalMs : taskPolling.defaultPollMs;
  return Math.min(taskPolling.maxPollMs, Math.max(taskPolling.minPollMs, hinted));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new CodeModeError('the call was cancelled'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CodeModeError('the call was cancelled'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Cancellation is cooperative (the server may finish anyway); the call does not wait for the answer. */
function cancelTask(client: Client, taskId: string, wait: TaskWait): void {
  client
    .request({ method: 'tasks/cancel', params: { taskId } }, z.looseObject({}), { timeout: taskPolling.cancelTimeoutMs })
    .catch((error: unknown) => wait.onCancelFailed?.(`could not cancel task ${clip(taskId, 100)}: ${errorMessage(error)}`));
}
