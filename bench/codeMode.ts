import { join } from 'node:path';
import { Engine, type RunResult } from '../src/core/engine/engine';
import { modelReport } from '../src/core/engine/modelReport';
import { RunRecorder } from '../src/core/runs/runRecorder';
import { accountTokens } from '../src/core/runs/tokenAccount';
import { TokenCounter } from '../src/core/runs/tokenCounter';
import { McpHub } from '../src/core/mcp/hub';
import { SandboxHostExecutor } from '../src/core/sandbox/launcher/sandboxHostExecutor';
import { projectRoot, sandboxHostScript, type BenchServer } from './setup';

/** Code Mode as the extension and the CLI run it: an McpHub of stdio clients, the sandbox host, one Engine. */
export class CodeMode {
  private readonly counter = new TokenCounter(join(projectRoot, 'dist', 'tokenWorker.js'));
  private readonly accounting = new Set<Promise<unknown>>();

  private constructor(
    readonly engine: Engine,
    readonly hub: McpHub,
    readonly executor: SandboxHostExecutor,
  ) {}

  /** Connects nothing yet: servers start on first use, the sandbox host on the first run (as in the product). */
  static async create(servers: readonly BenchServer[], options: { maxConcurrentCalls?: number } = {}): Promise<CodeMode> {
    const hub = new McpHub({
      variables: { env: {}, input: async () => undefined, workspaceFolder: projectRoot },
      ...options,
    });
    await hub.reconcile(servers.map((server) => ({ ...server, type: 'stdio' as const })));
    const executor = new SandboxHostExecutor({ nodePath: process.execPath, hostScript: sandboxHostScript });
    return new CodeMode(new Engine(hub, executor), hub, executor);
  }

  /** Runs a script; a failed run is an error here, since every workload is expected to succeed. */
  async run(script: string): Promise<RunResult> {
    const run = await this.engine.run(script);
    if (!run.ok) {
      throw new Error(`Code Mode run failed: ${run.text}`);
    }
    return run;
  }

  /**
   * A run as the extension makes it: recorded, its record built once the run is back, its tokens counted in the
   * worker after the result is returned (as the runs view does), competing with the next runs for the CPU.
   */
  async runRecorded(script: string): Promise<RunResult> {
    const recorder = new RunRecorder({ origin: 'chat', script });
    const run = await this.engine.run(script, { observer: recorder, clock: recorder.clock });
    if (!run.ok) {
      throw new Error(`Code Mode run failed: ${run.text}`);
    }
    const { tokenInputs } = recorder.finish(run, modelReport(run));
    const counting = accountTokens(tokenInputs, this.counter).finally(() => this.accounting.delete(counting));
    this.accounting.add(counting);
    return run;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.accounting);
    await Promise.all([this.executor.dispose(), this.hub.closeAll(), this.counter.dispose()]);
  }
}
