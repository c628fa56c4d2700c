/**
 * Sandboxes (processes or worker threads) kept for the next runs: a wave of runs at once finds its sandboxes ready the
 * next time. At most `maxIdle` are kept; once none has been taken for `idleMs`, all but one are ended.
 */
export class IdlePool<T> {
  private readonly items: T[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly end: (item: T) => void,
    private readonly maxIdle = 4,
    private readonly idleMs = 30_000,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** The one the next run takes (the last kept), without taking it. */
  peek(): T | undefined {
    return this.items[this.items.length - 1];
  }

  take(): T | undefined {
    return this.items.pop();
  }

  /** Keeps `item` for a next run; false when the pool is full, and the caller ends it. */
  keep(item: T): boolean {
    if (this.items.length >= this.maxIdle) {
      return false;
    }
    this.items.push(item);
    this.trimLater();
    return true;
  }

  /** Drops one that ended by itself. */
  forget(item: T): void {
    const index = this.items.indexOf(item);
    if (index >= 0) {
      this.items.splice(index, 1);
    }
  }

  /** Empties the pool (on dispose): the caller ends what it gets. */
  drain(): T[] {
    clearTimeout(this.timer);
    return this.items.splice(0);
  }

  private trimLater(): void {
    clearTimeout(this.timer);
    if (this.items.length > 1) {
      this.timer = setTimeout(() => this.items.splice(0, this.items.length - 1).forEach(this.end), this.idleMs);
      this.timer.unref();
    }
  }
}
