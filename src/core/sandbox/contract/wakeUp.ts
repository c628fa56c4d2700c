/**
 * The one timer a run keeps on the host side: the prelude keeps the script's timers itself and asks for a wake-up at
 * the earliest. A new request replaces the pending one (which settles at once), so a script's timers, set and
 * cleared in any number, hold one host timer at most. A wake-up due at or after the deadline never comes: the
 * deadline ends the run first, whichever timer Node would run first.
 */
export class WakeUp {
  private pending?: { timer?: NodeJS.Timeout; resolve(due: boolean): void };

  constructor(private readonly deadline: () => number) {}

  request(ms: unknown): Promise<boolean> {
    this.settle(false);
    const delay = typeof ms === 'number' && ms > 0 ? Math.min(ms, 2 ** 31 - 1) : 0;
    return new Promise((resolve) => {
      const pending: NonNullable<typeof this.pending> = { resolve };
      if (Date.now() + delay < this.deadline()) {
        pending.timer = setTimeout(() => this.settle(true), delay);
      }
      this.pending = pending;
    });
  }

  /** Frees the timer when the run ends. */
  end(): void {
    this.settle(false);
  }

  private settle(due: boolean): void {
    const pending = this.pending;
    this.pending = undefined;
    clearTimeout(pending?.timer);
    pending?.resolve(due);
  }
}
