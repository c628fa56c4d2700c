/** Median, min and max of repeated timings, in milliseconds. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: readonly number[]): Timing {
  if (samples.length === 0) {
    return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Wall-clock milliseconds of one call. */
export async function timeOnce(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

/**
 * Runs contenders in turn (A, B, C, A, B, C, …) so that drift on a shared machine hits each alike, after `warmup`
 * untimed rounds. A contender that throws is recorded as failed and left out of later rounds.
 */
export async function interleave(
  contenders: Record<string, () => Promise<unknown>>,
  runs: number,
  warmup = 1,
): Promise<Record<string, { timing: Timing; error?: string }>> {
  const samples = new Map<string, number[]>(Object.keys(contenders).map((name) => [name, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round < warmup + runs; round++) {
    for (const [name, task] of Object.entries(contenders)) {
      if (errors.has(name)) {
        continue;
      }
      try {
        const ms = await timeOnce(task);
        if (round >= warmup) {
          samples.get(name)!.push(ms);
        }
      } catch (error: unknown) {
        errors.set(name, error instanceof Error ? error.message : String(error));
      }
    }
  }
  return Object.fromEntries(
    [...samples].map(([name, values]) => [name, { timing: summarize(values), ...(errors.has(name) ? { error: errors.get(name) } : {}) }]),
  );
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '—';
  }
  if (ms < 1) {
    return ms.toFixed(3);
  }
  return ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

export function formatTiming(timing: Timing): string {
  return timing.runs === 0 ? '—' : `${formatMs(timing.median)} (${formatMs(timing.min)}–${formatMs(timing.max)})`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return '—';
  }
  return ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(2)}×`;
}
