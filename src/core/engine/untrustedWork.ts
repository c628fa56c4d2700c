import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { hostLimits } from '../limits';
import type { JsonSchema } from '../mcp/toolInfo';
import type { TranspileResult } from './transpile';
import type { WorkReply, WorkTask } from './untrustedWorkMessages';

/** A worker idle this long is ended; the next task starts another (about 100 ms). */
const idleMs = 60_000;
/** A worker that has not loaded after this long is given up on (its task fails). */
const startMs = 30_000;
/**
 * The worker's heap. Unbounded, a stopped check or transpile leaves its pages with the process (measured: ~35 MB
 * of RSS kept per worker stopped over budget, growing with every hostile run); bounded, RSS stays flat, and a task
 * that needs more fails as the worker's crash. Honest work needs a few MB.
 */
const workerLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

/** The task's value, or why there is none: it ran out of its budget, the run's time ran out, or the worker failed. */
export type Outcome<T> = { done: true; value: T } | { done: false; reason: 'budget' | 'deadline' | 'crash'; message: string };

interface Pending {
  task: WorkTask;
  deadline: number;
  settle(outcome: Outcome<unknown>): void;
}

/**
 * Runs the host's work on untrusted input — transpiling a script, checking a value against a server's JSON Schema —
 * in a worker thread, one task at a time, each within a budget (and the run's deadline). A task over budget is
 * stopped by terminating the thread (a regex or an `anyOf` tree can take exponential time, and sucrase can backtrack
 * exponentially on ambiguous arrow functions): the extension host's event loop is never the one that spins.
 */
export class UntrustedWork {
  private worker?: Worker;
  private ready = false;
  private readonly queue: Pending[] = [];
  private current?: Pending;
  private timer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;
  private nextId = 1;
  private readonly schemaIds = new WeakMap<JsonSchema, number>();
  private nextSchemaId = 1;

  constructor(
    private readonly script = defaultWorkerScript(),
    private readonly budgetMs: number = hostLimits.untrustedWorkMs,
  ) {}

  /** Starts the thread ahead of the first task: it loads in about 0.1 s, seconds on a loaded machine. */
  prepare(): void {
    if (!this.current && this.queue.length === 0) {
      this.ensureWorker();
      this.idle();
    }
  }

  transpile(source: string, deadline: number): Promise<Outcome<TranspileResult>> {
    return this.submit({ id: this.nextId++, kind: 'transpile', source }, deadline);
  }

  /** `undefined` when `value` fits `schema`, else the problems, naming fields from `root`. */
  check(schema: JsonSchema, value: unknown, root: 'args' | 'result', deadline: number): Promise<Outcome<string | undefined>> {
    let schemaId = this.schemaIds.get(schema);
    if (schemaId === undefined) {
      schemaId = this.nextSchemaId++;
      this.schemaIds.set(schema, schemaId);
    }
    return this.submit({ id: this.nextId++, kind: 'check', schemaId, schema, value, root }, deadline);
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private submit<T>(task: WorkTask, deadline: number): Promise<Outcome<T>> {
    return new Promise((resolve) => {
      this.queue.push({ task, deadline, settle: resolve as (outcome: Outcome<unknown>) => void });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current) {
      return;
    }
    const next = this.queue.shift();
    if (!next) {
      this.idle();
      return;
    }
    clearTimeout(this.idleTimer);
    this.current = next;
    const worker = this.ensureWorker();
    worker.ref();
    if (this.ready) {
      this.dispatch(worker, next);
    } else {
      this.timer = setTimeout(() => this.stop(worker, 'crash', `the worker did not start within ${startMs} ms`), startMs);
    }
  }

  /** Sends the current task, with its clock: the budget, or what is left of the run if that is less. */
  private dispatch(worker: Worker, task: Pending): void {
    clearTimeout(this.timer);
    const left = task.deadline - performance.now();
    if (left <= 0) {
      this.finish({ done: false, reason: 'deadline', message: 'no time was left' });
      return;
    }
    const budget = Math.min(this.budgetMs, left);
    const reason = budget === left ? 'deadline' : 'budget';
    this.timer = setTimeout(() => this.stop(worker, reason, `it took longer than ${Math.round(budget)} ms`), budget);
    worker.postMessage(task.task);
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      const worker = new Worker(this.script, { stdout: true, stderr: true, resourceLimits: workerLimits });
      worker.on('message', (reply: WorkReply) => this.onReply(worker, reply));
      worker.on('error', (error) => this.stop(worker, 'crash', failureText(error)));
      worker.on('exit', () => this.stop(worker, 'crash', 'the worker stopped'));
      this.worker = worker;
      this.ready = false;
    }
    return this.worker;
  }

  private onReply(worker: Worker, reply: WorkReply): void {
    const current = this.current;
    if (reply === 'ready') {
      this.ready = worker === this.worker;
      if (this.ready && current) {
        this.dispatch(worker, current);
      }
      return;
    }
    if (worker !== this.worker || !current || current.task.id !== reply.id) {
      return;
    }
    this.finish(reply.ok ? { done: true, value: reply.value } : { done: false, reason: 'crash', message: reply.message });
  }

  /** Ends the task in flight on `worker` (if that worker is still ours) and the worker with it. */
  private stop(worker: Worker, reason: 'budget' | 'deadline' | 'crash', message: string): void {
    if (worker !== this.worker) {
      return;
    }
    this.worker = undefined;
    void worker.terminate();
    if (this.current) {
      this.finish({ done: false, reason, message });
    }
  }

  private finish(outcome: Outcome<unknown>): void {
    clearTimeout(this.timer);
    const current = this.current;
    this.current = undefined;
    current?.settle(outcome);
    this.pump();
  }

  private idle(): void {
    this.worker?.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.dispose(), idleMs);
    this.idleTimer.unref();
  }
}

/** Beside the bundle (dist/untrustedWork.js); from the sources (the unit tests, under tsx) the build's, as for the sandbox host. */
function defaultWorkerScript(): string {
  return __filename.endsWith('.ts') ? join(__dirname, '..', '..', '..', 'dist', 'untrustedWork.js') : join(__dirname, 'untrustedWork.js');
}

/** Why the worker failed, in the words of its limits: running out of its heap is the usual way. */
function failureText(error: Error): string {
  return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
    ? `it needed more than the checker's ${workerLimits.maxOldGenerationSizeMb} MB of memory`
    : `the worker failed: ${error.message}`;
}
