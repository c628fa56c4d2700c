import { errorMessage } from '../errors';
import type { ExecuteRequest, ExecuteResult, Executor, ToolCallHandler } from './contract/executor';

/** Creates the real executor on first use (finding a Node takes a process spawn), and again after `reset()`. */
export class LazyExecutor implements Executor {
  private current?: Promise<Executor>;
  private resolvedName?: string;

  constructor(private readonly create: () => Promise<Executor>) {}

  get name(): string {
    return this.resolvedName ?? 'not started';
  }

  prepare(): void {
    (this.current ??= this.create()).then(
      (executor) => executor.prepare?.(),
      () => undefined,
    );
  }

  async execute(request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult> {
    const pending = (this.current ??= this.create());
    let executor: Executor;
    try {
      executor = await pending;
    } catch (error: unknown) {
      if (this.current === pending) {
        this.current = undefined;
      }
      return { ok: false, error: { kind: 'sandbox', name: 'SandboxError', message: errorMessage(error) }, logs: [], droppedLogs: 0 };
    }
    this.resolvedName = executor.name;
    return executor.execute(request, onToolCall, signal);
  }

  /** Disposes the current executor; the next run creates a new one (after a settings change). */
  async reset(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.resolvedName = undefined;
    await (await current?.catch(() => undefined))?.dispose();
  }

  dispose(): Promise<void> {
    return this.reset();
  }
}
