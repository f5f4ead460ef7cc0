/**
 * SQL both history engines share (SQLite and PostgreSQL read the same text; only placeholders
 * differ: `?n` and `$n` both number from 1), and the row shapes their drivers return.
 */
import type { Alarm } from '../../domain/live';
import type { AlarmHistoryBucket, AlarmHistoryGroup, AlarmHistoryStep, HistoryPoint } from '../../domain/history';
import { ALARM_GROUP_COLUMN, ALARM_STEP_MS, type FieldBucket } from './HistoryStore';
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

/** Opened and closed per bucket and group; `(none)` for alarms without the group's key. */
export function alarmCountsSql(step: AlarmHistoryStep, groupBy: AlarmHistoryGroup, p: (n: number) => string): string {
  const s = ALARM_STEP_MS[step];
  const g = `COALESCE(${ALARM_GROUP_COLUMN[groupBy]}, '(none)')`;
  return `SELECT t, grp, SUM(opened) AS opened, SUM(closed) AS closed, SUM(close_ms) AS close_ms FROM (
      SELECT (raised_at / ${s}) * ${s} AS t, ${g} AS grp, COUNT(*) AS opened, 0 AS closed, 0 AS close_ms
        FROM hist_alarms WHERE raised_at >= ${p(1)} AND raised_at < ${p(2)} GROUP BY 1, 2
      UNION ALL
      SELECT (cleared_at / ${s}) * ${s} AS t, ${g} AS grp, 0 AS opened, COUNT(*) AS closed, SUM(cleared_at - raised_at) AS close_ms
        FROM hist_alarms WHERE cleared_at >= ${p(1)} AND cleared_at < ${p(2)} GROUP BY 1, 2
    ) x GROUP BY t, grp ORDER BY t, grp`;
}

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
   AND raised_at = (SELECT MAX(raised_at) FROM hist_alarms WHERE id = ${p(1)} AND raised_at <= ${p(2)})`;
