/**
 * Time windows of the history charts: the last 24 h at first, zoomable out to what the store keeps.
 * A zoomed window is asked for with `step=auto`, so the server picks the finest step that stays
 * within its point limit: raw when zoomed in, 1-minute or 1-hour rollups when zoomed out.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** What a terminal chart shows first. */
export const DEFAULT_WINDOW_MS = DAY_MS;
/** How far back a terminal chart zooms: the 1-minute rollups' default retention is 90 days, raw 7. */
export const ZOOM_SPAN_MS = 30 * DAY_MS;

export interface TimeWindow {
  from: number;
  to: number;
}

/** The last `lengthMs` up to `now`, `to` rounded up to the next minute so repeated loads share a URL. */
export function lastWindow(now: number, lengthMs: number): TimeWindow {
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: to - lengthMs, to };
}

/** The dataZoom position (percent of `span`) that shows `view`. */
export function zoomPercent(span: TimeWindow, view: TimeWindow): { start: number; end: number } {
  const length = span.to - span.from;
  const pct = (t: number): number => Math.min(100, Math.max(0, ((t - span.from) / length) * 100));
  return { start: pct(view.from), end: pct(view.to) };
}

/**
 * The window a dataZoom shows (`start`/`end` in percent of `span`), whole minutes, at least one
 * minute long. Null when it is the same as `current` to the minute: no new request is needed.
 */
export function zoomedWindow(span: TimeWindow, start: number, end: number, current: TimeWindow): TimeWindow | null {
  const length = span.to - span.from;
  const clamp = (pct: number): number => Math.min(100, Math.max(0, pct));
  let from = Math.floor((span.from + (clamp(start) / 100) * length) / 60_000) * 60_000;
  const to = Math.ceil((span.from + (clamp(end) / 100) * length) / 60_000) * 60_000;
  if (to - from < 60_000) from = to - 60_000;
  if (from === current.from && to === current.to) return null;
  return { from, to };
}

/** UTC day starts covering [from, to). */
export function utcDays(from: number, to: number): number[] {
  const days: number[] = [];
  for (let t = Math.floor(from / DAY_MS) * DAY_MS; t < to; t += DAY_MS) days.push(t);
  return days;
}
