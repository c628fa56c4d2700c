/**
 * A run's time limit, which stops while a person decides on one of its calls (`hold` … `release`, nested holds
 * count once): the limit is the script's time, not the time someone takes to answer a dialog.
 *
 * The clock that waits is the wall clock; a script may still compute while held (other branches of a Promise.all).
 * With `busyMs` (the isolate's CPU time) that time keeps counting while held; without it the wall-clock checks of
 * running code (QuickJS's interrupt handler) use `deadline`, which moves only when a hold ends, so they stop such code
 * at the old deadline.
 */
export class RunClock {
  private readonly started = Date.now();
  private pausedMs = 0;
  private holds = 0;
  private heldAt = 0;
  private busyAtHold = 0;
  private timer?: NodeJS.Timeout;
  private onDue?: () => void;

  constructor(
    private readonly limitMs: number,
    private readonly busyMs?: () => number,
  ) {}

  /** Starts the countdown: `onDue` runs once, when the limit is used up. */
  start(onDue: () => void): this {
    this.onDue = onDue;
    this.arm(this.deadline - Date.now());
    return this;
  }

  /** When the time is up if nothing is held from now on (a hold in progress does not move it yet). */
  get deadline(): number {
    return this.started + this.limitMs + this.pausedMs;
  }

  get held(): boolean {
    return this.holds > 0;
  }

  /** Stops counting wall-clock time until every hold is released. */
  hold(): void {
    if (this.holds++ > 0) {
      return;
    }
    this.heldAt = Date.now();
    this.busyAtHold = this.busyMs?.() ?? 0;
    this.arm(this.busyMs ? this.deadline - this.heldAt : Infinity);
  }

  release(): void {
    if (this.holds === 0 || --this.holds > 0) {
      return;
    }
    this.pausedMs += Date.now() - this.heldAt - this.busyWhileHeld();
    this.arm(this.deadline - Date.now());
  }

  end(): void {
    clearTimeout(this.timer);
    this.onDue = undefined;
  }

  private busyWhileHeld(): number {
    return this.busyMs ? this.busyMs() - this.busyAtHold : 0;
  }

  /** Fires at `ms`; while held, only once the computing done since the hold has used up what was left. */
  private arm(ms: number): void {
    clearTimeout(this.timer);
    if (!this.onDue || ms === Infinity) {
      return;
    }
    this.timer = setTimeout(
      () => {
        const left = this.held ? this.deadline - this.heldAt - this.busyWhileHeld() : this.deadline - Date.now();
        if (left > 0) {
          this.arm(left);
        } else {
          const due = this.onDue;
          this.end();
          due?.();
        }
      },
      Math.max(0, Math.min(ms, 2 ** 31 - 1)),
    );
  }
}

/** `action` the first time only: a release called twice must not release another hold. */
export function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      action();
    }
  };
}
