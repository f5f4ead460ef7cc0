/**
 * Is a quantity flat over a long run? Pure: samples of (simulated day, value) in, the growth per
 * simulated day after a warm-up and a verdict out. Used by `npm run bench -- soak` and by the
 * long-run test, so both judge "bounded" the same way.
 *
 * Growth is the least-squares slope over the samples after `warmupDays` (the first simulated day:
 * queues fill, the first cases pass through every stage). A quantity is bounded when that slope,
 * carried over the rest of the run, adds less than `tolerance` of its level — or less than an
 * absolute `floor` for quantities that hover near zero.
 */

export interface Sample {
  simDay: number;
  value: number;
}

export interface Growth {
  /** Mean after warm-up. */
  level: number;
  /** Largest value after warm-up. */
  max: number;
  /** Least-squares slope after warm-up, per simulated day. */
  perDay: number;
  /** Samples after warm-up. */
  n: number;
  bounded: boolean;
}

export function growth(samples: readonly Sample[], opts: { warmupDays?: number; tolerance?: number; floor?: number } = {}): Growth {
  const warmup = opts.warmupDays ?? 1;
  const tolerance = opts.tolerance ?? 0.25;
  const floor = opts.floor ?? 0;
  const after = samples.filter((s) => s.simDay >= warmup);
  const n = after.length;
  if (n < 2) return { level: after[0]?.value ?? 0, max: after[0]?.value ?? 0, perDay: 0, n, bounded: true };
  const mx = after.reduce((a, s) => a + s.simDay, 0) / n;
  const my = after.reduce((a, s) => a + s.value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of after) {
    sxy += (s.simDay - mx) * (s.value - my);
    sxx += (s.simDay - mx) ** 2;
  }
  const perDay = sxx > 0 ? sxy / sxx : 0;
  const span = after[n - 1]!.simDay - after[0]!.simDay;
  const added = perDay * span;
  return { level: my, max: Math.max(...after.map((s) => s.value)), perDay, n, bounded: added <= Math.max(tolerance * my, floor) };
}

/** One simulated day of a quantity: its low, high and mean over the day's samples. */
export interface DayRange {
  /** Day index: 0 is the first simulated day. */
  day: number;
  min: number;
  max: number;
  mean: number;
  n: number;
}

/**
 * Per simulated day: a quantity with a daily rhythm (cases pile up through the night, drain by
 * day) is judged on its daily lows and highs, not on samples at different times of day.
 */
export function dailyRanges(samples: readonly Sample[]): DayRange[] {
  const days = new Map<number, number[]>();
  for (const s of samples) {
    const day = Math.floor(s.simDay);
    const list = days.get(day);
    if (list) list.push(s.value);
    else days.set(day, [s.value]);
  }
  return [...days]
    .sort((a, b) => a[0] - b[0])
    .map(([day, values]) => ({ day, min: Math.min(...values), max: Math.max(...values), mean: values.reduce((a, v) => a + v, 0) / values.length, n: values.length }));
}
