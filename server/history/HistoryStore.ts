/**
 * Where device history is kept: one interface, two engines — SQLite in its own file beside the
 * case database (SqliteHistoryStore.ts, the embedded default) and PostgreSQL with daily
 * partitions (PostgresHistoryStore.ts, the same DATABASE_URL as the cases). The recorder
 * (HistoryRecorder.ts) hands each store one batch a second; the service (HistoryService.ts)
 * checks a query and asks the store. Stores speak terminal ids and field names; how they key a
 * series inside is their own business.
 *
 * Tables, in both engines:
 *   series   (id, terminal_id, field)                         one row per terminal and field
 *   raw      (series, t, value)                               each reading; key (series, t)
 *   r1m, r1h (series, t, count, min, max, sum, last, last_t)  rollups; key (series, t)
 *   alarms   (id, raised_at, cleared_at, kind, grid, department, body)
 *   alarm_r1h (dim, grp, t, opened, closed, close_ms)            alarm counts per hour and group
 * A reading is identified by its series and device time: a second reading with the same time
 * replaces the first (a resend), so writing a batch twice changes nothing in `raw`.
 */
import type { Alarm } from '../../domain/live';
import type { AlarmHistoryBucket, AlarmHistoryGroup, AlarmHistoryStep, HistoryPoint } from '../../domain/history';
import type { Retention, RollupRow, RollupStep } from './rollup';

export type { RollupRow } from './rollup';

export interface Reading {
  terminalId: string;
  field: string;
  t: number;
  value: number;
}

/** An alarm as history keeps it: the alarm, and the department it falls to (for `groupBy=department`). */
export interface AlarmOpened {
  alarm: Alarm;
  department?: string;
  /** Set when it was cleared before the batch was written. */
  clearedAt?: number;
}

export interface AlarmClosed {
  id: string;
  at: number;
}

/** What one flush writes, in one transaction: the opened alarms before the closes of earlier ones. */
export interface HistoryBatch {
  /** Readings; the store folds them into its 1m/1h rollups itself (`batchRollups`, rollup.ts). */
  readings: Reading[];
  /**
   * Partial buckets merged in as they are, besides the readings' own: history a store has no raw
   * readings for (the benchmark seeds a city's past so). The recorder sends none.
   */
  rollups: Record<RollupStep, RollupRow[]>;
  alarmsOpened: AlarmOpened[];
  alarmsClosed: AlarmClosed[];
}

export function emptyBatch(): HistoryBatch {
  return { readings: [], rollups: { '1m': [], '1h': [] }, alarmsOpened: [], alarmsClosed: [] };
}

/** A terminal's last value of one field at an instant (the status series for snapshots). */
export type LastValue = [terminalId: string, value: number];

/** One status rollup bucket: the terminal's status index at the bucket's end is `last`. */
export interface StatusBucket {
  terminalId: string;
  t: number;
  last: number;
}

/** One rollup bucket of one terminal's series, as energy integration reads it. */
export interface FieldBucket {
  terminalId: string;
  t: number;
  mean: number;
  last: number;
}

export interface HistoryStore {
  readonly kind: 'sqlite' | 'postgres';
  write(batch: HistoryBatch): Promise<void>;
  /** Raw readings of one series in [from, to], oldest first, at most `limit`. */
  raw(terminalId: string, field: string, from: number, to: number, limit: number): Promise<HistoryPoint[]>;
  /** Rollup buckets of one series whose start is in [from, to], oldest first. */
  rollup(step: RollupStep, terminalId: string, field: string, from: number, to: number): Promise<HistoryPoint[]>;
  /** Per terminal with a `field` series, its latest value at or before `at` (raw, else the rollups' complete buckets). */
  lastValues(field: string, at: number): Promise<LastValue[]>;
  /** 1-hour buckets of every terminal's `field` series starting in [from, to). */
  lastPerHour(field: string, from: number, to: number): Promise<StatusBucket[]>;
  /** Every terminal's rollup buckets of `field` starting in [from, to): grouped by terminal, each oldest first. */
  fieldRollups(step: RollupStep, field: string, from: number, to: number): Promise<FieldBucket[]>;
  /** Alarms opened and closed per bucket and group, in the hours from `from`'s hour to before `to`. */
  alarmCounts(step: AlarmHistoryStep, groupBy: AlarmHistoryGroup, from: number, to: number): Promise<AlarmHistoryBucket[]>;
  /** Alarms raised at or before `at` and not cleared by then. */
  openAlarmsAt(at: number): Promise<Alarm[]>;
  /** Deletes what is older than its retention (and, on PostgreSQL, prepares the next days' partitions). */
  prune(now: number, retention: Retention): Promise<void>;
  /** Bytes the store occupies on disk (for the benchmark). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export const ALARM_STEP_MS: Record<AlarmHistoryStep, number> = { '1h': 3_600_000, '1d': 86_400_000 };

