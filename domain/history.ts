/**
 * The city's memory: what the history API answers (issue 16). Both the server (server/history/,
 * server/routes/history/) and the client (client/src/features/history/) use these shapes.
 *
 * Times are ms since the epoch. A bucket's `t` is its start, aligned in UTC; a raw point's `t` is
 * the reading's own (device) timestamp.
 */
import type { Alarm } from './live';
import type { LiveStatus } from './terminals';

/** `raw` keeps each reading; `1m`/`1h` are rollups; `auto` picks the finest step within the point limit. */
export const HISTORY_STEPS = ['raw', '1m', '1h', 'auto'] as const;
export type HistoryStep = (typeof HISTORY_STEPS)[number];

/** Most points one history answer may hold: a range too fine for its step is refused (400 naming `step`). */
export const MAX_HISTORY_POINTS = 10_000;

/**
 * Pseudo-fields beside a terminal's telemetry fields. `status`: each status change, the value being
 * the status's index in LIVE_STATUSES. `events`: each event the terminal sent, value 1 (a rollup's
 * count is the number of events in the bucket).
 */
export const STATUS_FIELD = 'status';
export const EVENTS_FIELD = 'events';

/** One point of a series: for `raw`, count 1 and min = max = mean = last = the reading. */
export interface HistoryPoint {
  t: number;
  count: number;
  min: number;
  max: number;
  mean: number;
  last: number;
}

/** `GET /api/terminals/{id}/history?field&from&to&step[&format=csv]`. */
export interface TerminalHistory {
  terminalId: string;
  field: string;
  /** The step actually used (`auto` resolved). */
  step: Exclude<HistoryStep, 'auto'>;
  from: number;
  to: number;
  points: HistoryPoint[];
}

export const ALARM_HISTORY_STEPS = ['1h', '1d'] as const;
export type AlarmHistoryStep = (typeof ALARM_HISTORY_STEPS)[number];
export const ALARM_HISTORY_GROUPS = ['kind', 'grid', 'department', 'none'] as const;
export type AlarmHistoryGroup = (typeof ALARM_HISTORY_GROUPS)[number];

/** One bucket of one group in `GET /api/history/alarms`. */
export interface AlarmHistoryBucket {
  t: number;
  /** The group's key (an alarm kind, a grid code, a department code); `all` for `groupBy=none`. */
  group: string;
  opened: number;
  closed: number;
  /** Mean time to close (ms) of the alarms closed in this bucket; null when none closed. */
  meanTimeToCloseMs: number | null;
}

/** `GET /api/history/alarms?from&to&step=1h|1d&groupBy=kind|grid|department|none`. */
export interface AlarmHistory {
  from: number;
  to: number;
  step: AlarmHistoryStep;
  groupBy: AlarmHistoryGroup;
  buckets: AlarmHistoryBucket[];
}

/**
 * `GET /api/history/snapshot?at=<ms>`: the twin as it was at `at` — the same shapes as the live
 * stream's snapshot, so replay draws with the live layers.
 */
export interface HistorySnapshot {
  at: number;
  poles: Array<[string, LiveStatus]>;
  terminals: Array<[string, LiveStatus]>;
  alarms: Alarm[];
}

/** One bucket of `GET /api/history/devices?from&to&step=1h|1d`: the fleet's health over time. */
export interface DeviceHealthBucket {
  t: number;
  /** Terminals known at the bucket's end, and of them online (not offline), in fault. */
  terminals: number;
  online: number;
  fault: number;
  /** online ÷ terminals, 0–1. */
  onlineRate: number;
}

export interface DeviceHealthHistory {
  from: number;
  to: number;
  step: AlarmHistoryStep;
  buckets: DeviceHealthBucket[];
}

/** One bucket of `GET /api/kpis/series?from&to&step=1d&by=department|grid`. */
export interface KpiSeriesBucket {
  t: number;
  /** Department code or grid code. */
  group: string;
  /** Cases created (intake), handled (reached feedback), closed, and closed on time in the bucket. */
  created: number;
  handled: number;
  closed: number;
  onTime: number;
  /** onTime ÷ closed, 0–1; null when none closed. */
  onTimeRate: number | null;
}

export interface KpiSeries {
  from: number;
  to: number;
  step: '1d';
  by: 'department' | 'grid';
  buckets: KpiSeriesBucket[];
}
