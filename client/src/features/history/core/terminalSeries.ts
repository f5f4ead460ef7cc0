/**
 * What a terminal's charts draw, from the history API's answers: the fields to chart, the line
 * (mean per point with its min–max), the alarm limits as threshold lines, and the spans the
 * terminal spent in warning, fault or offline, from its status history, to mark on the time axis.
 */
import type { HistoryPoint } from '../../../../../domain/history';
import { LIVE_STATUSES, READING_LIMITS, TELEMETRY_FIELDS, type LiveStatus, type TerminalType } from '../../../../../domain/terminals';

export interface ChartField {
  field: string;
  kind: 'number' | 'boolean';
  unit: string;
}

/** Every telemetry field of the type, in the domain's order (booleans charted as 0/1). */
export function chartFields(type: TerminalType): ChartField[] {
  return Object.entries(TELEMETRY_FIELDS[type]).map(([field, f]) => ({ field, kind: f.kind, unit: f.unit ?? '' }));
}

/** The alarm limits of a field: a reading above (or, for booleans, equal to 1) raises an alarm. */
export function thresholds(type: TerminalType, field: string): number[] {
  return READING_LIMITS[type]
    .filter((limit) => limit.field === field)
    .map((limit) => (limit.above !== undefined ? limit.above : limit.equals ? 1 : 0));
}

/** [t, mean] pairs for the line; [t, min, max] for the band a rollup spans. */
export function lineData(points: readonly HistoryPoint[]): Array<[number, number]> {
  return points.map((p) => [p.t, p.mean]);
}

export function rangeData(points: readonly HistoryPoint[]): Array<[number, number, number]> {
  return points.map((p) => [p.t, p.min, p.max]);
}

/** A time span the terminal spent in one status that deserves attention. */
export interface StatusSpan {
  status: LiveStatus;
  from: number;
  to: number;
}

const MARKED: ReadonlySet<LiveStatus> = new Set(['warning', 'fault', 'offline']);

/**
 * Spans of warning, fault and offline in `[from, to]` from the `status` pseudo-field's points
 * (value = index in LIVE_STATUSES). Each point's `last` holds until the next point: exact for raw
 * points, the bucket's closing status for rollups. Adjacent points of one status join.
 */
export function statusSpans(points: readonly HistoryPoint[], from: number, to: number): StatusSpan[] {
  const spans: StatusSpan[] = [];
  const sorted = [...points].sort((a, b) => a.t - b.t);
  sorted.forEach((p, i) => {
    const status = LIVE_STATUSES[Math.round(p.last)];
    if (!status || !MARKED.has(status)) return;
    const start = Math.max(from, p.t);
    const end = Math.min(to, sorted[i + 1]?.t ?? to);
    if (end <= start) return;
    const previous = spans[spans.length - 1];
    if (previous && previous.status === status && previous.to === start) previous.to = end;
    else spans.push({ status, from: start, to: end });
  });
  return spans;
}
