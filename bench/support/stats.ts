/**
 * Small statistics for benchmarks: percentiles of latency samples and ops/s of a hot function.
 */

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (`p` in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50/p95/p99/max of the samples, or undefined when there are none. */
export function distribution(samples: readonly number[]): Distribution | undefined {
  if (samples.length === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}

/**
 * Calls of `run` per second: a warm-up, then `rounds` timed rounds of at least `roundMs` each;
 * the median round is reported so one scheduling hiccup on a shared machine does not decide it.
 * `run` gets a running counter, so it can cycle through prepared inputs.
 */
export function opsPerSecond(run: (i: number) => void, roundMs = 150, rounds = 3): number {
  let i = 0;
  const warmUpEnd = performance.now() + roundMs / 2;
  while (performance.now() < warmUpEnd) for (let k = 0; k < 256; k++) run(i++);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      for (let k = 0; k < 256; k++) run(i + n++);
      t1 = performance.now();
    } while (t1 - t0 < roundMs);
    i += n;
    rates.push(n / ((t1 - t0) / 1000));
  }
  return median(rates);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rounds to `digits` significant-looking decimals for reports (not for further arithmetic). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
