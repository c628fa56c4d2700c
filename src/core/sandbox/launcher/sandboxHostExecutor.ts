import { fork, type ChildProcess } from 'node:child_process';
import { errorMessage } from '../../errors';
import { silentLogger, type Logger } from '../../logger';
import type { ExecuteRequest, ExecuteResult, Executor, ScriptError, ToolCallHandler } from '../contract/executor';
import { supportedNodes } from '../contract/isolatedVmBuilds';
import type { FromSandbox, ToSandbox } from '../contract/hostMessages';
import { IdlePool } from '../idlePool';
import { errorReply } from '../contract/wire';
import { refusedCall } from '../contract/boundary';
import { failure } from '../contract/outcome';
import { RunClock, once } from '../contract/runClock';

export interface SandboxHostOptions {
  /** A plain Node that isolated-vm has a build for (never Electron): see isolatedVmBuilds.ts. */
  nodePath: string;
  /** The bundled sandbox host entry (dist/sandboxHost.js). */
  hostScript: string;
  logger?: Logger;
  /** Heap of the sandbox host process itself; isolates have their own limits. */
  hostHeapMb?: number;
}

/** Slack over a run's own timeout before its process is presumed stuck and killed. */
const killGraceMs = 2_000;
const startTimeoutMs = 15_000;

/**
 * Runs scripts in isolated-vm inside sandbox host processes, one run per process at a time: a run that crashes its
 * process, or is killed for overrunning, cannot fail another run. Runs one after another reuse one process (kept
 * idle between runs, started early by `prepare`); runs at the same time get a process each, kept idle for the next
 * such wave (see IdlePool). Killing the process is the last resort
 * of every limit.
 */
export class SandboxHostExecutor implements Executor {
  readonly name = 'isolated-vm';
  /** Idle sandbox hosts (about 55 MB each), ready for the next runs. */
  private readonly idle = new IdlePool<Promise<ChildProcess>>((idle) => void idle.then((child) => child.kill()).catch(() => undefined));
  private readonly busy = new Set<ChildProcess>();
  private readonly startOf = new WeakMap<ChildProcess, Promise<ChildProcess>>();
  private runIds = 1;
  private readonly logger: Logger;

  constructor(private readonly options: SandboxHostOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async execute(request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult> {
    let child: ChildProcess;
    const idle = this.idle.take();
    try {
      child = (await idle?.catch(() => undefined)) ?? (await this.start());
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) {
        child = await this.start();
      }
    } catch (error: unknown) {
      return failure({ kind: 'sandbox', name: 'SandboxError', message: errorMessage(error) });
    }
    this.busy.add(child);
    const result = await this.runOn(child, request, onToolCall, signal);
    this.busy.delete(child);
    if (!child.connected || !this.idle.keep(this.startOf.get(child)!)) {
      child.kill();
    }
    return result;
  }

  prepare(): void {
    if (this.idle.size === 0 && this.busy.size === 0) {
      const starting = this.start();
      this.idle.keep(starting);
      starting.catch(() => this.idle.forget(starting));
    }
  }

  async dispose(): Promise<void> {
    const children = [...this.busy, ...(await Promise.all(this.idle.drain().map((idle) => idle.catch(() => undefined))))];
    await Promise.all(
      children.map(async (child) => {
        if (child && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill();
          await exited;
        }
      }),
    );
  }

  /** The processes running a script now (tests look at them). */
  get running(): ReadonlySet<ChildProcess> {
    return this.busy;
  }

  /** The idle process the next run takes, if any (tests and the bench look at it). */
  get child(): Promise<ChildProcess> | undefined {
    return this.idle.peek();
  }

  /** One run on a process of its own. */
  private runOn(child: ChildProcess, request: ExecuteRequest, onToolCall: ToolCallHandler, signal?: AbortSignal): Promise<ExecuteResult> {
    const runId = this.runIds++;
    return new Promise<ExecuteResult>((resolve) => {
      let killedStuck = false;
      const finish = (result: ExecuteResult) => {
        watchdog.end();
        signal?.removeEventListener('abort', onAbort);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(result);
      };
      const watchdog = new RunClock(request.limits.timeoutMs + killGraceMs).start(() => {
        this.logger.warn(`sandbox host did not stop run ${runId} in time; killing it`);
        killedStuck = true;
        child.kill('SIGKILL');
      });
      // Both clocks stop while a person decides on a call: this one and the sandbox host's.
      const holdClock = () => {
        watchdog.hold();
        this.send(child, { type: 'hold', runId });
        return once(() => {
          watchdog.release();
          this.send(child, { type: 'release', runId });
        });
      };
      const onAbort = () => this.send(child, { type: 'cancel', runId });
      const onMessage = (message: FromSandbox) => {
        if (message.type === 'done' && message.runId === runId) {
          finish(message.result);
        } else if (message.type === 'call' && message.runId === runId) {
          // Checked again here: the sandbox host is a process apart, and a broken one must not reach the servers.
          const refused = refusedCall(message.server, message.tool, message.argsJson, request.limits);
          void Promise.resolve()
            .then(() =>
              refused
                ? errorReply({ name: 'TypeError', message: refused })
                : onToolCall(message.server, message.tool, message.argsJson, holdClock),
            )
            .catch((error: unknown) => errorReply({ name: 'Error', message: errorMessage(error) }))
            .then((resultJson) => this.send(child, { type: 'callResult', runId, callId: message.callId, resultJson }));
        }
      };
      const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
        this.logger.warn(`sandbox host exited (code ${code}, signal ${exitSignal}) during run ${runId}`);
        const error: ScriptError = killedStuck
          ? { kind: 'timeout', name: 'TimeoutError', message: 'The script did not stop at its time limit and the sandbox was restarted' }
          : { kind: 'sandbox', name: 'SandboxError', message: `The sandbox host exited unexpectedly (code ${code}, signal ${exitSignal})` };
        finish(failure(error));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.send(child, { type: 'run', runId, request });
      if (signal?.aborted) {
        onAbort();
      }
    });
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
    const started = new Promise<ChildProcess>((resolve, reject) => {
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
    this.startOf.set(child, started);
    // An idle process that dies is dropped from the pool.
    child.once('exit', () => this.idle.forget(started));
    return started;
  }

  private send(child: ChildProcess, message: ToSandbox): void {
    if (child.connected) {
      child.send(message);
    }
  }
}
