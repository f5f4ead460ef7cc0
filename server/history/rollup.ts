/**
 * The arithmetic of device history, pure: bucket alignment in UTC, the rollup accumulators that
 * build the 1-minute and 1-hour series incrementally as readings arrive, how `step=auto` is
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

/**
 * The open buckets of every series since the last flush. `add` is O(1) per reading and step;
 * `drain` hands the partial buckets over (to be merged into the stored ones) and starts afresh.
 * Buckets are found by terminal, then field, then start, with no key built per reading: at the
 * ingest's top rates the strings that a joined key costs showed in the server's profile (the fold
 * is mergeBucket's for one reading, written out so no bucket is made per reading). Between
 * two flushes a series has one open bucket per step, two when the flush straddles a boundary.
 */
export class RollupAccumulator {
  /** Kept across drains (a city's series are a bounded set); only the bucket lists are renewed. */
  private readonly open = new Map<string, Map<string, Record<RollupStep, RollupRow[]>>>();
  private rows = 0;

  add(terminalId: string, field: string, t: number, value: number): void {
    let fields = this.open.get(terminalId);
    if (!fields) this.open.set(terminalId, (fields = new Map()));
    let series = fields.get(field);
    if (!series) fields.set(field, (series = { '1m': [], '1h': [] }));
    for (const step of ROLLUP_STEPS) {
      const start = bucketStart(t, STEP_MS[step]);
      const buckets = series[step];
      const b = buckets.find((r) => r.t === start);
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
        buckets.push({ terminalId, field, t: start, ...bucketOf(t, value) });
        this.rows += 1;
      }
    }
  }

  get size(): number {
    return this.rows;
  }

  drain(): Record<RollupStep, RollupRow[]> {
    const out: Record<RollupStep, RollupRow[]> = { '1m': [], '1h': [] };
    for (const fields of this.open.values()) {
      for (const series of fields.values()) {
        for (const step of ROLLUP_STEPS) {
          if (series[step].length === 0) continue;
          out[step].push(...series[step]);
          series[step] = [];
        }
      }
    }
    this.rows = 0;
    return out;
  }
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
