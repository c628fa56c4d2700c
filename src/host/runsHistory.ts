import * as vscode from 'vscode';
import type { RunResult } from '../core/engine/runResult';
import { errorMessage } from '../core/errors';
import type { RunOrigin, RunRecord, RunSummary } from '../core/runs/runRecord';
import { RunRecorder } from '../core/runs/runRecorder';
import { RunStore } from '../core/runs/runStore';
import { accountTokens } from '../core/runs/tokenAccount';
import { TokenCounter } from '../core/runs/tokenCounter';
import type { ClockPlan } from '../core/sandbox/contract/executor';
import type { RunObserver } from '../core/engine/runObserver';
import { RunProgress } from './runsProgress';
import { RunsStatusBar } from './runsStatusBar';

const totalsKey = 'codeMode.runs.tokensSaved';

interface Totals {
  day: string;
  today: number;
  workspace: number;
}

/** What a caller passes to engine.run to have the run recorded and shown in flight. */
export interface TrackedRun {
  options: { observer: RunObserver; clock: ClockPlan };
  /** Saves the run (its tokens counted off the run's path) and ends its progress. */
  end(run: RunResult, report: string): Promise<RunRecord>;
  /** Ends its progress without a record (the run never finished); harmless after `end`. */
  stop(): void;
}

/**
 * Every run the extension makes, recorded into the workspace's extension storage (never the repository), with its
 * progress while it runs and the tokens saved, per run and in total.
 */
export class RunHistory implements vscode.Disposable {
  readonly store: RunStore;
  readonly status = new RunsStatusBar();
  private readonly counter: TokenCounter;
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changes.event;
  private running = 0;

  constructor(
    folder: string,
    tokenWorker: string,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store = new RunStore(folder);
    this.counter = new TokenCounter(tokenWorker);
    void this.refreshTotals();
  }

  /** Starts tracking a run: pass `options` to engine.run (or replayRun), then `end` with its result. */
  begin(
    what: { origin: RunOrigin; label?: string; script: string; cancel?: () => void; notify?: boolean },
    recorder?: RunRecorder,
  ): TrackedRun {
    const tracked = recorder ?? new RunRecorder({ origin: what.origin, label: what.label, script: what.script });
    const title = `Code Mode: running ${what.label ?? `a ${what.origin} script`}`;
    this.running++;
    const progress = new RunProgress(title, (text) => this.status.running(text), what.cancel, what.notify ?? true);
    const observer: RunObserver = {
      runStarted: (info) => tracked.runStarted(info),
      callStarted: (call) => (tracked.callStarted(call), progress.callStarted(call)),
      callEnded: (call) => (tracked.callEnded(call), progress.callEnded(call)),
    };
    let stopped = false;
    const stop = () => {
      if (!stopped) {
        stopped = true;
        progress.end();
        if (--this.running === 0) {
          this.status.idle();
        }
      }
    };
    return {
      options: { observer, clock: tracked.clock },
      stop,
      end: async (run, report) => {
        stop();
        const { record, tokenInputs } = tracked.finish(run, report);
        if (record.origin !== 'replay') {
          try {
            record.tokens = await accountTokens(tokenInputs, this.counter);
            this.log.info(
              `run ${record.id}: about ${record.tokens.saved} tokens saved (calls one by one: ${record.tokens.traditional}; script ${record.tokens.script}, report ${record.tokens.received})`,
            );
          } catch (error: unknown) {
            this.log.warn(`run ${record.id}: tokens not counted: ${errorMessage(error)}`);
          }
        }
        try {
          await this.store.save(record);
          if (record.tokens) {
            await this.addToTotals(record.tokens.saved);
          }
          this.changes.fire();
        } catch (error: unknown) {
          this.log.warn(`run ${record.id} not saved: ${errorMessage(error)}`);
        }
        return record;
      },
    };
  }

  list(): Promise<RunSummary[]> {
    return this.store.list();
  }

  async clear(): Promise<void> {
    await this.store.clear();
    this.changes.fire();
  }

  totals(): Totals {
    const totals = this.state.get<Totals>(totalsKey) ?? { day: today(), today: 0, workspace: 0 };
    return totals.day === today() ? totals : { day: today(), today: 0, workspace: totals.workspace };
  }

  private async addToTotals(saved: number): Promise<void> {
    const totals = this.totals();
    await this.state.update(totalsKey, { day: totals.day, today: totals.today + saved, workspace: totals.workspace + saved });
    await this.refreshTotals();
  }

  private async refreshTotals(): Promise<void> {
    const totals = this.totals();
    this.status.setTotals({ today: totals.today, workspace: totals.workspace, runs: (await this.store.list()).length });
    if (this.running === 0) {
      this.status.idle();
    }
  }

  dispose(): void {
    this.changes.dispose();
    this.status.dispose();
    void this.counter.dispose();
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
