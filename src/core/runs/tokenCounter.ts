import { Worker } from 'node:worker_threads';
import type { CountReply, CountRequest } from './tokenWorker';

/** Counts o200k_base tokens in a worker thread (dist/tokenWorker.js), started on first use; it never holds a run. */
export class TokenCounter {
  private worker?: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(counts: number[]): void; reject(error: Error): void }>();

  constructor(private readonly workerScript: string) {}

  count(texts: string[]): Promise<number[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, texts } satisfies CountRequest);
      // Only a pending count keeps the process alive (the CLI exits when it is done).
      worker.ref();
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) {
      return this.worker;
    }
    const worker = new Worker(this.workerScript);
    worker.on('message', ({ id, counts }: CountReply) => {
      this.waiting.get(id)?.resolve(counts);
      this.waiting.delete(id);
      if (this.waiting.size === 0) {
        worker.unref();
      }
    });
    const failAll = (error: Error) => {
      for (const { reject } of this.waiting.values()) {
        reject(error);
      }
      this.waiting.clear();
      if (this.worker === worker) {
        this.worker = undefined;
      }
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the token counter stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
