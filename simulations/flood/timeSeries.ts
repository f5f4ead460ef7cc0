/**
 * Piecewise-linear time series (`seconds,value` rows): rain hyetographs, inflow hydrographs,
 * boundary water levels and discharges. Plain arrays, so a series crosses to worker threads by
 * structured clone. Before the first row the first value holds, after the last the last value.
 */

export interface TimeSeries {
  /** Strictly increasing, seconds from the start of the run. */
  seconds: number[];
  values: number[];
}

export class TimeSeriesError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'TimeSeriesError';
  }
}

/** A series holding one value for all time. */
export function constantSeries(value: number): TimeSeries {
  return { seconds: [0], values: [value] };
}

/** Linear interpolation at `t` seconds; holds the end values outside the series. */
export function seriesValueAt(series: TimeSeries, t: number): number {
  const { seconds, values } = series;
  const last = seconds.length - 1;
  if (t <= seconds[0]!) return values[0]!;
  if (t >= seconds[last]!) return values[last]!;
  // Binary search for the segment [lo, lo + 1] holding t; series are short and called once a step.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (seconds[mid]! <= t) lo = mid;
    else hi = mid;
  }
  const t0 = seconds[lo]!;
  const f = (t - t0) / (seconds[lo + 1]! - t0);
  return values[lo]! + f * (values[lo + 1]! - values[lo]!);
}

export interface SeriesBounds {
  /** What the values are, for messages ("discharge m³/s"). */
  valueName: string;
  min: number;
  max: number;
}

/** Checks a series built in code (API params): finite, increasing times, values within bounds. */
export function checkSeries(series: TimeSeries, source: string, bounds: SeriesBounds): TimeSeries {
  if (series.seconds.length === 0 || series.seconds.length !== series.values.length) {
    throw new TimeSeriesError(source, 'needs at least one row, and as many values as times');
  }
  for (let i = 0; i < series.seconds.length; i++) checkRow(series.seconds[i]!, series.values[i]!, i > 0 ? series.seconds[i - 1]! : undefined, `row ${i + 1}`, source, bounds);
  return series;
}

/**
 * Parses `seconds,value` rows. Blank lines and `#` comments are skipped, and so is a first line
 * that is a header (starts with a letter). Errors name the file and the line.
 */
export function parseTimeSeriesCsv(text: string, source: string, bounds: SeriesBounds): TimeSeries {
  const seconds: number[] = [];
  const values: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    if (seconds.length === 0 && /^[A-Za-z"]/.test(raw)) continue;
    const where = `line ${i + 1}`;
    const cells = raw.split(/\s*[,;\t]\s*/);
    if (cells.length !== 2) throw new TimeSeriesError(source, `${where}: expected "seconds,${bounds.valueName}", got "${raw}"`);
    const t = Number(cells[0]);
    const v = Number(cells[1]);
    if (cells[0] === '' || !Number.isFinite(t)) throw new TimeSeriesError(source, `${where}: time "${cells[0]}" is not a number`);
    if (cells[1] === '' || !Number.isFinite(v)) throw new TimeSeriesError(source, `${where}: ${bounds.valueName} "${cells[1]}" is not a number`);
    checkRow(t, v, seconds.length > 0 ? seconds[seconds.length - 1] : undefined, where, source, bounds);
    seconds.push(t);
    values.push(v);
  }
  if (seconds.length === 0) throw new TimeSeriesError(source, `no "seconds,${bounds.valueName}" rows`);
  return { seconds, values };
}

function checkRow(t: number, v: number, previous: number | undefined, where: string, source: string, bounds: SeriesBounds): void {
  if (!Number.isFinite(t) || t < 0) throw new TimeSeriesError(source, `${where}: time must be ≥ 0 seconds, got ${t}`);
  if (previous !== undefined && t <= previous) {
    throw new TimeSeriesError(source, `${where}: times must increase, got ${t} after ${previous}`);
  }
  if (!Number.isFinite(v) || v < bounds.min || v > bounds.max) {
    throw new TimeSeriesError(source, `${where}: ${bounds.valueName} must be between ${bounds.min} and ${bounds.max}, got ${v}`);
  }
}
