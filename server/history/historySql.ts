/**
 * SQL both history engines share (SQLite and PostgreSQL read the same text; only placeholders
 * differ: `?n` and `$n` both number from 1), and the row shapes their drivers return.
 */
import type { Alarm } from '../../domain/live';
import type { AlarmHistoryBucket, AlarmHistoryGroup, AlarmHistoryStep, HistoryPoint } from '../../domain/history';
import { ALARM_STEP_MS, type FieldBucket } from './HistoryStore';
import type { RollupStep } from './rollup';

export const ROLLUP_TABLE: Record<RollupStep, string> = { '1m': 'hist_r1m', '1h': 'hist_r1h' };

export interface BucketSqlRow {
  t: number | string;
  count: number | string;
  min: number;
  max: number;
  sum: number;
  last: number;
}

export function toPoint(r: BucketSqlRow): HistoryPoint {
  const count = Number(r.count);
  return { t: Number(r.t), count, min: Number(r.min), max: Number(r.max), mean: Number(r.sum) / count, last: Number(r.last) };
}

export function rawPoint(r: { t: number | string; value: number }): HistoryPoint {
  const v = Number(r.value);
  return { t: Number(r.t), count: 1, min: v, max: v, mean: v, last: v };
}

export const rawSql = (p: (n: number) => string): string =>
  `SELECT r.t, r.value FROM hist_raw r JOIN hist_series s ON s.id = r.series
   WHERE s.terminal_id = ${p(1)} AND s.field = ${p(2)} AND r.t >= ${p(3)} AND r.t <= ${p(4)} ORDER BY r.t LIMIT ${p(5)}`;

export const rollupSql = (step: RollupStep, p: (n: number) => string): string =>
  `SELECT r.t, r.count, r.min, r.max, r.sum, r.last FROM ${ROLLUP_TABLE[step]} r JOIN hist_series s ON s.id = r.series
   WHERE s.terminal_id = ${p(1)} AND s.field = ${p(2)} AND r.t >= ${p(3)} AND r.t <= ${p(4)} ORDER BY r.t`;

/**
 * Each terminal's latest value of a field at or before `at` ($2): the latest raw reading, else the
 * `last` of the latest 1-minute bucket complete by then, else of the latest 1-hour one.
 */
export const lastValuesSql = (p: (n: number) => string): string =>
  `SELECT s.terminal_id AS terminal_id, COALESCE(
     (SELECT r.value FROM hist_raw r WHERE r.series = s.id AND r.t <= ${p(2)} ORDER BY r.t DESC LIMIT 1),
     (SELECT m.last FROM hist_r1m m WHERE m.series = s.id AND m.t <= CAST(${p(2)} AS BIGINT) - 60000 ORDER BY m.t DESC LIMIT 1),
     (SELECT h.last FROM hist_r1h h WHERE h.series = s.id AND h.t <= CAST(${p(2)} AS BIGINT) - 3600000 ORDER BY h.t DESC LIMIT 1)
   ) AS value FROM hist_series s WHERE s.field = ${p(1)} ORDER BY s.terminal_id`;

export const lastPerHourSql = (p: (n: number) => string): string =>
  `SELECT s.terminal_id AS terminal_id, h.t, h.last FROM hist_r1h h JOIN hist_series s ON s.id = h.series
   WHERE s.field = ${p(1)} AND h.t >= ${p(2)} AND h.t < ${p(3)} ORDER BY h.t, s.terminal_id`;

/** Every terminal's rollup buckets of one field starting in [$2, $3), series by series, oldest first (energy, docs/energy.md). */
export const fieldRollupsSql = (step: RollupStep, p: (n: number) => string): string =>
  `SELECT s.terminal_id AS terminal_id, r.t, r.count, r.sum, r.last FROM ${ROLLUP_TABLE[step]} r JOIN hist_series s ON s.id = r.series
   WHERE s.field = ${p(1)} AND r.t >= ${p(2)} AND r.t < ${p(3)} ORDER BY s.id, r.t`;

export interface FieldRollupSqlRow {
  terminal_id: string;
  t: number | string;
  count: number | string;
  sum: number;
  last: number;
}

export const toFieldBucket = (r: FieldRollupSqlRow): FieldBucket => ({ terminalId: r.terminal_id, t: Number(r.t), mean: Number(r.sum) / Number(r.count), last: Number(r.last) });

/**
 * Alarm counts are kept per hour as well as per alarm: `hist_alarm_r1h` has one row per hour,
 * dimension (kind, grid, department, or none) and group with the alarms opened and closed in that
 * hour and the summed time to close of those closed. A month of city-wide counts is then a few
 * thousand rows, not every alarm of the month. Rows are added to in the batch that writes the
 * raise or the close, so they are exact as long as each raise and close is counted once (the
 * stores count a raise only when its row is new and a close only when it closed an open raise).
 */
/** `column` rounded down to a multiple of `ms`: `x - x % ms`, integer in every engine (DuckDB's `/` is a float division). */
const floorTo = (column: string, ms: number): string => `(${column} - ${column} % ${ms})`;

export const ALARM_DIMS = ['kind', 'grid', 'department', 'none'] as const satisfies readonly AlarmHistoryGroup[];
export const HOUR_MS = 3_600_000;

export const ALARM_ROLLUP_SCHEMA = (bigint: string): string =>
  `CREATE TABLE IF NOT EXISTS hist_alarm_r1h (dim TEXT NOT NULL, grp TEXT NOT NULL, t ${bigint} NOT NULL, opened INTEGER NOT NULL,
     closed INTEGER NOT NULL, close_ms ${bigint} NOT NULL, PRIMARY KEY (dim, t, grp))`;

/** The columns of an alarm a group reads, as `hist_alarms` has them. */
export interface AlarmKeys {
  kind: string;
  grid: string | null;
  department: string | null;
}

const groupOf = (dim: AlarmHistoryGroup, a: AlarmKeys): string => (dim === 'none' ? 'all' : (a[dim] ?? '(none)'));

/** One hour's change for every dimension: (dim, grp, t, opened, closed, close_ms). */
export type AlarmRollupRow = [dim: string, grp: string, t: number, opened: number, closed: number, closeMs: number];

export function alarmOpenedRows(a: AlarmKeys, raisedAt: number): AlarmRollupRow[] {
  const t = Math.floor(raisedAt / HOUR_MS) * HOUR_MS;
  return ALARM_DIMS.map((dim) => [dim, groupOf(dim, a), t, 1, 0, 0]);
}

export function alarmClosedRows(a: AlarmKeys, raisedAt: number, clearedAt: number): AlarmRollupRow[] {
  const t = Math.floor(clearedAt / HOUR_MS) * HOUR_MS;
  return ALARM_DIMS.map((dim) => [dim, groupOf(dim, a), t, 0, 1, clearedAt - raisedAt]);
}

/**
 * A batch's hourly changes summed per row and sorted by key: one upsert per row, taken in the
 * same order by every instance, so two instances' batches cannot deadlock on the shared rows.
 */
export function mergeAlarmRollupRows(rows: readonly AlarmRollupRow[]): AlarmRollupRow[] {
  const merged = new Map<string, AlarmRollupRow>();
  for (const row of rows) {
    const key = `${row[0]}\n${row[2]}\n${row[1]}`;
    const m = merged.get(key);
    if (m) {
      m[3] += row[3];
      m[4] += row[4];
      m[5] += row[5];
    } else merged.set(key, [...row]);
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

export const upsertAlarmRollupSql = (p: (n: number) => string): string =>
  `INSERT INTO hist_alarm_r1h AS r (dim, grp, t, opened, closed, close_ms) VALUES (${[1, 2, 3, 4, 5, 6].map(p).join(', ')})
   ON CONFLICT (dim, t, grp) DO UPDATE SET opened = r.opened + excluded.opened, closed = r.closed + excluded.closed,
   close_ms = r.close_ms + excluded.close_ms`;

/** Fills `hist_alarm_r1h` from `hist_alarms` (a store made before the table existed). */
export function alarmRollupBackfillSql(): string {
  const parts = ALARM_DIMS.flatMap((dim) => {
    const g = dim === 'none' ? "'all'" : `COALESCE(${dim}, '(none)')`;
    return [
      `SELECT '${dim}' AS dim, ${g} AS grp, ${floorTo('raised_at', HOUR_MS)} AS t, 1 AS opened, 0 AS closed, 0 AS close_ms FROM hist_alarms`,
      `SELECT '${dim}', ${g}, ${floorTo('cleared_at', HOUR_MS)}, 0, 1, cleared_at - raised_at FROM hist_alarms WHERE cleared_at IS NOT NULL`,
    ];
  });
  return `INSERT INTO hist_alarm_r1h (dim, grp, t, opened, closed, close_ms)
    SELECT dim, grp, t, SUM(opened), SUM(closed), SUM(close_ms) FROM (${parts.join('\n UNION ALL ')}) x GROUP BY dim, grp, t`;
}

/**
 * Opened and closed per bucket and group, from the hourly rows: $1 the dimension, hours whose
 * start is in [$2, $3). The stores pass `from` rounded down to its hour, so buckets are whole.
 */
export function alarmCountsSql(step: AlarmHistoryStep, p: (n: number) => string): string {
  const s = ALARM_STEP_MS[step];
  return `SELECT ${floorTo('t', s)} AS t, grp, SUM(opened) AS opened, SUM(closed) AS closed, SUM(close_ms) AS close_ms
    FROM hist_alarm_r1h WHERE dim = ${p(1)} AND t >= ${p(2)} AND t < ${p(3)} GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** The hour `from` falls in: alarm counts start at a whole hour. */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

export interface AlarmCountSqlRow {
  t: number | string;
  grp: string;
  opened: number | string;
  closed: number | string;
  close_ms: number | string | null;
}

export function toAlarmBucket(r: AlarmCountSqlRow): AlarmHistoryBucket {
  const closed = Number(r.closed);
  return { t: Number(r.t), group: r.grp, opened: Number(r.opened), closed, meanTimeToCloseMs: closed === 0 ? null : Number(r.close_ms) / closed };
}

export const openAlarmsAtSql = (p: (n: number) => string): string =>
  `SELECT body FROM hist_alarms WHERE raised_at <= ${p(1)} AND (cleared_at IS NULL OR cleared_at > ${p(1)}) ORDER BY raised_at, id`;

export const parseAlarm = (r: { body: string }): Alarm => JSON.parse(r.body) as Alarm;

/** Closes the latest raise of an alarm (an older one left open by a crashed instance stays as it is). */
export const closeAlarmSql = (p: (n: number) => string): string =>
  `UPDATE hist_alarms SET cleared_at = ${p(2)} WHERE id = ${p(1)} AND cleared_at IS NULL
   AND raised_at = (SELECT MAX(raised_at) FROM hist_alarms WHERE id = ${p(1)} AND raised_at <= ${p(2)})
   RETURNING raised_at, kind, grid, department`;

/** What closing an alarm returns: the raise it closed, for the hourly counts. */
export interface ClosedAlarmRow extends AlarmKeys {
  raised_at: number | string;
}
