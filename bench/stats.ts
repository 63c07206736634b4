/** Timing helpers shared by bench sections: fixed iteration counts, nearest-rank percentiles. */

export interface Summary {
  p50_ms: number;
  p99_ms: number;
}

/** Runs `run` `warmup` times unmeasured, then `iterations` times measured, one at a time. */
export async function measure(
  iterations: number,
  warmup: number,
  run: (i: number) => Promise<void>,
): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await run(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50_ms: round(percentile(sorted, 0.5)), p99_ms: round(percentile(sorted, 0.99)) };
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** One line of the bench table. */
export interface Row {
  section: string;
  name: string;
  n: number;
  /** Milliseconds, or the row's `unit` when it has one (memory rows hold megabytes). */
  p50_ms: number;
  p99_ms: number;
  unit?: 'ms' | 'MB' | '×' | 'KiB' | '%' | 'count' | 'bytes';
  /** The name of the row in the same section this figure is compared against. */
  floor?: string;
  note?: string;
}
