/**
 * The arithmetic of device history, pure: bucket alignment in UTC, the rollup accumulator that
 * folds each batch's readings into 1-minute and 1-hour buckets, how `step=auto` is
 * resolved and when a range is too fine for its step.
 *
 * A rollup bucket holds count, min, max, sum and the latest reading (by device time, `lastT`);
 * its mean is sum ÷ count. Two partial buckets of the same series and start merge exactly
 * (`mergeBucket`), which is what lets each batch upsert its partial buckets into the store and
 * lets several instances write the same series.
 */
import { MAX_HISTORY_POINTS, type HistoryPoint, type HistoryStep } from '../../domain/history';
import { DomainError } from '../../domain/DomainError';

export type RollupStep = '1m' | '1h';
export const ROLLUP_STEPS: readonly RollupStep[] = ['1m', '1h'];
export const STEP_MS: Record<RollupStep, number> = { '1m': 60_000, '1h': 3_600_000 };
export const DAY_MS = 86_400_000;

/** The start of the bucket of width `widthMs` holding `t` (UTC, since the epoch is midnight UTC). */
export function bucketStart(t: number, widthMs: number): number {
  return Math.floor(t / widthMs) * widthMs;
}

/** One rollup bucket of one series. */
export interface Bucket {
  count: number;
  min: number;
  max: number;
  sum: number;
  last: number;
  /** Device time of `last`: the latest reading wins, whatever order they arrive in. */
  lastT: number;
}

export function bucketOf(t: number, value: number): Bucket {
  return { count: 1, min: value, max: value, sum: value, last: value, lastT: t };
}

/** Folds `b` into `a` (in place); the result is the bucket of both sets of readings. */
export function mergeBucket(a: Bucket, b: Bucket): Bucket {
  a.count += b.count;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  a.sum += b.sum;
  if (b.lastT >= a.lastT) {
    a.last = b.last;
    a.lastT = b.lastT;
  }
  return a;
}

export function bucketPoint(t: number, b: Bucket): HistoryPoint {
  return { t, count: b.count, min: b.min, max: b.max, mean: b.sum / b.count, last: b.last };
}

/** A partial (or whole) bucket of one series: terminal, field and the bucket's start. */
export interface RollupRow extends Bucket {
  terminalId: string;
  field: string;
  t: number;
}

/** A bucket and its start. */
export interface StartedBucket extends Bucket {
  t: number;
}

/**
 * The 1-minute and 1-hour buckets of one batch, per series; `S` is whatever names a series to
 * the store folding it (its series id, the SQLite writer thread's key). Stores fold each batch's
 * readings themselves (`add`, O(1) per reading and step: a series has one open bucket per step,
 * two when the batch straddles a boundary) and merge in partial buckets given as they are
 * (`merge`); `drain` hands over the result, to be merged into the stored buckets.
 */
export class SeriesRollups<S> {
  private open = new Map<S, Record<RollupStep, StartedBucket[]>>();

  private bucketsOf(series: S, step: RollupStep): StartedBucket[] {
    let steps = this.open.get(series);
    if (!steps) this.open.set(series, (steps = { '1m': [], '1h': [] }));
    return steps[step];
  }

  add(series: S, t: number, value: number): void {
    for (const step of ROLLUP_STEPS) {
      const start = bucketStart(t, STEP_MS[step]);
      const buckets = this.bucketsOf(series, step);
      const b = buckets.find((r) => r.t === start);
      // mergeBucket's fold of one reading, written out so no bucket is made per reading.
      if (b) {
        b.count += 1;
        if (value < b.min) b.min = value;
        if (value > b.max) b.max = value;
        b.sum += value;
        if (t >= b.lastT) {
          b.last = value;
          b.lastT = t;
        }
      } else {
        buckets.push({ t: start, ...bucketOf(t, value) });
      }
    }
  }

  merge(series: S, step: RollupStep, bucket: Readonly<StartedBucket>): void {
    const buckets = this.bucketsOf(series, step);
    const b = buckets.find((r) => r.t === bucket.t);
    if (b) mergeBucket(b, bucket);
    else buckets.push({ t: bucket.t, count: bucket.count, min: bucket.min, max: bucket.max, sum: bucket.sum, last: bucket.last, lastT: bucket.lastT });
  }

  drain(): Record<RollupStep, Array<[S, StartedBucket]>> {
    const out: Record<RollupStep, Array<[S, StartedBucket]>> = { '1m': [], '1h': [] };
    for (const [series, steps] of this.open) {
      for (const step of ROLLUP_STEPS) for (const b of steps[step]) out[step].push([series, b]);
    }
    this.open = new Map();
    return out;
  }
}

/**
 * A batch's buckets: its readings folded, then its given partial buckets merged in, per series as
 * `seriesOf` names it (one row per series and start, as an upsert of many rows needs).
 */
export function batchRollups<S>(
  readings: ReadonlyArray<{ terminalId: string; field: string; t: number; value: number }>,
  given: Record<RollupStep, readonly RollupRow[]>,
  seriesOf: (terminalId: string, field: string) => S,
): Record<RollupStep, Array<[S, StartedBucket]>> {
  const acc = new SeriesRollups<S>();
  for (const r of readings) acc.add(seriesOf(r.terminalId, r.field), r.t, r.value);
  for (const step of ROLLUP_STEPS) for (const row of given[step]) acc.merge(seriesOf(row.terminalId, row.field), step, row);
  return acc.drain();
}

/** How far back each kind of data is kept (ms). */
export interface Retention {
  rawMs: number;
  '1mMs': number;
  '1hMs': number;
}

export const DEFAULT_RETENTION: Retention = { rawMs: 7 * DAY_MS, '1mMs': 90 * DAY_MS, '1hMs': 5 * 365 * DAY_MS };

/** The oldest time a step still has, at `now`. */
export function oldestKept(step: Exclude<HistoryStep, 'auto'>, retention: Retention, now: number): number {
  const ms = step === 'raw' ? retention.rawMs : step === '1m' ? retention['1mMs'] : retention['1hMs'];
  return now - ms;
}

/**
 * The step a query uses: `auto` is the finest whose buckets over [from, to] stay within the point
 * limit and whose data still covers `from` (raw only for ranges of at most a day, where raw
 * readings of a 5-s device stay under the limit). An explicit rollup step whose buckets would
 * exceed the limit is refused, naming `step`.
 */
export function resolveStep(step: HistoryStep, from: number, to: number, retention: Retention, now: number): Exclude<HistoryStep, 'auto'> {
  if (step === 'auto') {
    const span = to - from;
    if (span <= 6 * 3_600_000 && from >= oldestKept('raw', retention, now)) return 'raw';
    if (span / STEP_MS['1m'] <= MAX_HISTORY_POINTS && from >= oldestKept('1m', retention, now)) return '1m';
    return '1h';
  }
  if (step !== 'raw' && Math.floor(to / STEP_MS[step]) - Math.floor(from / STEP_MS[step]) + 1 > MAX_HISTORY_POINTS) {
    throw new DomainError('invalid', `step ${step} gives more than ${MAX_HISTORY_POINTS} points between from and to: use a coarser step or a shorter range`, ['step']);
  }
  return step;
}
