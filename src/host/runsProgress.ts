import * as vscode from 'vscode';
import type { CallEnd, CallStart, RunObserver } from '../core/engine/runObserver';

/** A run longer than this gets a notification (with Cancel); shorter ones only show in the status bar. */
const notifyAfterMs = 1_000;

/**
 * Shows one run while it is in flight: each call as it starts and ends, the time elapsed, and Cancel — in the runs
 * status bar item at once, and in a progress notification when the run lasts.
 */
export class RunProgress implements RunObserver {
  private readonly started = Date.now();
  private readonly inFlight = new Map<number, CallStart>();
  private done = 0;
  private failed = 0;
  private last = '';
  private report?: (message: string) => void;
  private finishNotification?: () => void;
  private readonly ticker: NodeJS.Timeout;
  private readonly notifyTimer?: NodeJS.Timeout;

  constructor(
    private readonly title: string,
    private readonly show: (text: string) => void,
    cancel: (() => void) | undefined,
    notify: boolean,
  ) {
    this.ticker = setInterval(() => this.update(), 250);
    if (notify) {
      this.notifyTimer = setTimeout(() => this.notify(cancel), notifyAfterMs);
    }
    this.update();
  }

  callStarted(call: CallStart): void {
    this.inFlight.set(call.id, call);
    this.last = `${call.server}.${call.tool}…`;
    this.update();
  }

  callEnded(call: CallEnd): void {
    this.inFlight.delete(call.id);
    this.done++;
    this.failed += call.ok ? 0 : 1;
    this.last = `${call.server}.${call.tool} ${call.ok ? 'ok' : 'failed'} in ${Math.round(call.ms)} ms`;
    this.update();
  }

  /** The run is over: the notification closes, the status bar item goes back to its totals. */
  end(): void {
    clearInterval(this.ticker);
    clearTimeout(this.notifyTimer);
    this.finishNotification?.();
  }

  text(): string {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const calls = `${this.done} call${this.done === 1 ? '' : 's'} done${this.failed ? ` (${this.failed} failed)` : ''}, ${this.inFlight.size} running`;
    return `${seconds} s · ${calls}${this.last ? ` · ${this.last}` : ''}`;
  }

  private update(): void {
    const text = this.text();
    this.show(text);
    this.report?.(text);
  }

  private notify(cancel: (() => void) | undefined): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: this.title, cancellable: cancel !== undefined },
      (progress, token) =>
        new Promise<void>((resolve) => {
          this.finishNotification = resolve;
          this.report = (message) => progress.report({ message });
          token.onCancellationRequested(() => cancel?.());
          this.update();
        }),
    );
  }
}
