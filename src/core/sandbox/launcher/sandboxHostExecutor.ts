import { fork, type ChildProcess } from 'node:child_process';
import { errorMessage } from '../../errors';
import { silentLogger, type Logger } from '../../logger';
import type { ExecuteRequest, ExecuteResult, Executor, ScriptError, ToolCallHandler } from '../contract/executor';
import { supportedNodes } from '../contract/isolatedVmBuilds';
import type { FromSandbox, ToSandbox } from '../contract/hostMessages';
import { errorReply } from '../contract/wire';

export interface SandboxHostOptions {
  /** A plain Node that isolated-vm has a build for (never Electron): see isolatedVmBuilds.ts. */
  nodePath: string;
  /** The bundled sandbox host entry (dist/sandboxHost.js). */
  hostScript: string;
  logger?: Logger;
  /** Heap of the sandbox host process itself; isolates have their own limits. */
  hostHeapMb?: number;
}

interface ActiveRun {
  onToolCall: ToolCallHandler;
  finish(result: ExecuteResult): void;
}

/** Slack over a run's own timeout before the whole process is presumed stuck and killed. */
const killGraceMs = 2_000;
const startTimeoutMs = 15_000;

/**
 * Runs scripts in isolated-vm inside a child process: started on first use, reused, restarted when it dies.
 * Killing the child is the last resort of every limit.
 */
export class SandboxHostExecutor implements Executor {
  readonly name = 'isolated-vm';
  private child?: Promise<ChildProcess>;
  private live?: ChildProcess;
  /** The child the watchdog killed: its runs end as timeouts, not crashes. */
  private killedStuck?: ChildProcess;
  private readonly runs = new Map<number, ActiveRun>();
  private nextRunId = 1;
  private readonly logger: Logger;

  constructor(private readonly options: SandboxHostOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async execute(request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult> {
    let child: ChildProcess;
    try {
      child = await this.ensureChild();
    } catch (error: unknown) {
      return failure({ kind: 'sandbox', name: 'SandboxError', message: errorMessage(error) });
    }
    const runId = this.nextRunId++;
    return new Promise<ExecuteResult>((resolve) => {
      const watchdog = setTimeout(() => {
        this.logger.warn(`sandbox host did not stop run ${runId} in time; killing it`);
        this.killedStuck = child;
        child.kill('SIGKILL');
      }, request.limits.timeoutMs + killGraceMs);
      const onAbort = () => this.send(child, { type: 'cancel', runId });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.runs.set(runId, {
        onToolCall,
        finish: (result) => {
          clearTimeout(watchdog);
          signal?.removeEventListener('abort', onAbort);
          this.runs.delete(runId);
          resolve(result);
        },
      });
      this.send(child, { type: 'run', runId, request });
      if (signal?.aborted) {
        onAbort();
      }
    });
  }

  prepare(): void {
    this.ensureChild().catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const child = await this.child?.catch(() => undefined);
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  }

  private ensureChild(): Promise<ChildProcess> {
    this.child ??= this.start().catch((error: unknown) => {
      this.child = undefined;
      throw error;
    });
    return this.child;
  }

  private start(): Promise<ChildProcess> {
    const { nodePath, hostScript, hostHeapMb = 512 } = this.options;
    const child = fork(hostScript, [], {
      execPath: nodePath,
      execArgv: ['--no-node-snapshot', `--max-old-space-size=${hostHeapMb}`],
      // The sandbox host needs nothing from the host's environment, and secrets live there.
      env: {},
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    child.stderr?.on('data', (chunk: Buffer) => this.logger.trace(`[sandbox host] ${chunk.toString('utf8').trimEnd()}`));
    child.on('message', (message: FromSandbox) => this.onMessage(child, message));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The sandbox host (${nodePath}) did not start within ${startTimeoutMs / 1000} s`));
      }, startTimeoutMs);
      child.once('message', (message: FromSandbox) => {
        clearTimeout(timer);
        if (message.type === 'ready') {
          this.logger.info(
            `sandbox host started: isolated-vm ${message.isolatedVmVersion} on Node ${message.nodeVersion} (pid ${child.pid})`,
          );
          this.live = child;
          resolve(child);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Cannot start the sandbox host with ${nodePath}: ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `The sandbox host (${nodePath}) exited at start with code ${code}; is it a plain ${supportedNodes}, where isolated-vm's prebuilds load?`,
          ),
        );
      });
    });
  }

  private onMessage(child: ChildProcess, message: FromSandbox): void {
    if (message.type === 'done') {
      this.runs.get(message.runId)?.finish(message.result);
    } else if (message.type === 'call') {
      const run = this.runs.get(message.runId);
      if (!run) {
        return;
      }
      void run
        .onToolCall(message.server, message.tool, message.argsJson)
        .catch((error: unknown) => errorReply({ name: 'Error', message: errorMessage(error) }))
        .then((resultJson) => this.send(child, { type: 'callResult', runId: message.runId, callId: message.callId, resultJson }));
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.live === child) {
      this.live = undefined;
      this.child = undefined;
    }
    if (this.runs.size > 0) {
      this.logger.warn(`sandbox host exited (code ${code}, signal ${signal}) with ${this.runs.size} run(s) active`);
    }
    const error: ScriptError =
      this.killedStuck === child
        ? { kind: 'timeout', name: 'TimeoutError', message: 'The script did not stop at its time limit and the sandbox was restarted' }
        : { kind: 'sandbox', name: 'SandboxError', message: `The sandbox host exited unexpectedly (code ${code}, signal ${signal})` };
    for (const run of [...this.runs.values()]) {
      run.finish(failure(error));
    }
  }

  private send(child: ChildProcess, message: ToSandbox): void {
    if (child.connected) {
      child.send(message);
    }
  }
}

function failure(error: ScriptError): ExecuteResult {
  return { ok: false, error, logs: [], droppedLogs: 0 };
}
