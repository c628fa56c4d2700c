import type ivm from 'isolated-vm';
import { isolatedVm } from './isolatedVm';

export interface FreshIsolate {
  isolate: ivm.Isolate;
  context: ivm.Context;
}

/**
 * Keeps one new isolate and context ready, made while the sandbox host is idle, so a run does not wait for them
 * (about 1.5 ms). Each is used by exactly one run; one made for another memory limit is thrown away.
 */
export class SpareIsolate {
  private spare?: Promise<FreshIsolate & { memoryMb: number }>;

  async take(memoryMb: number): Promise<FreshIsolate> {
    // Claimed before the first await: two runs starting together must never share one.
    const pending = this.spare;
    this.spare = undefined;
    const ready = await pending?.catch(() => undefined);
    if (ready && ready.memoryMb === memoryMb && !ready.isolate.isDisposed) {
      return ready;
    }
    ready?.isolate.dispose();
    return create(memoryMb);
  }

  /** Prepares the next one after the current run has answered. */
  prepare(memoryMb: number): void {
    if (!this.spare) {
      this.spare = new Promise((resolve) => setImmediate(resolve)).then(async () => ({ ...(await create(memoryMb)), memoryMb }));
    }
  }
}

async function create(memoryMb: number): Promise<FreshIsolate> {
  const isolate = new isolatedVm.Isolate({ memoryLimit: memoryMb });
  return { isolate, context: await isolate.createContext() };
}
