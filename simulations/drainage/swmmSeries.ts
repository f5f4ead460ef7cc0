/**
 * SWMM 5 `[TIMESERIES]` and `[CURVES]`, read as SWMM does (table.c table_readTimeseries): a line
 * is `name [date] time value [[date] time value …]`; a date (MM/DD/YYYY) sets the day the
 * following times count from, until the next date; without any date, times count from the
 * simulation start. Times are decimal hours or H:MM[:SS]. Results are seconds from the start.
 */
import { SwmmInpError, parseClockS, parseDateMs, type InpRow } from './swmmUnits';

/** Times (s from the simulation start, ascending) and values in the file's units. */
export interface SwmmSeries {
  times: number[];
  values: number[];
}

export interface SwmmCurve {
  type: string;
  xs: number[];
  ys: number[];
}

export function readTimeSeries(rows: InpRow[], startMs: number, source: string): Map<string, SwmmSeries> {
  const out = new Map<string, SwmmSeries>();
  const dayOf = new Map<string, number>();
  for (const row of rows) {
    const [name, ...rest] = row.tokens;
    const where = `${source} line ${row.line} [TIMESERIES]`;
    if (rest[0]?.toUpperCase() === 'FILE') throw new SwmmInpError(`${where}: time series "${name}" in an external file is not read`);
    let series = out.get(name);
    if (!series) {
      series = { times: [], values: [] };
      out.set(name, series);
      dayOf.set(name, startMs);
    }
    let k = 0;
    while (k < rest.length) {
      const date = parseDateMs(rest[k]);
      if (Number.isFinite(date)) {
        dayOf.set(name, date);
        k++;
      }
      const timeText = rest[k];
      const valueText = rest[k + 1];
      if (timeText === undefined || valueText === undefined) throw new SwmmInpError(`${where}: time series "${name}" needs time and value pairs`);
      const t = parseClockS(timeText);
      if (!Number.isFinite(t)) throw new SwmmInpError(`${where}: "${timeText}" is not a time (hours or H:MM:SS)`);
      const v = Number(valueText);
      if (!Number.isFinite(v)) throw new SwmmInpError(`${where}: value "${valueText}" is not a number`);
      const seconds = (dayOf.get(name)! - startMs) / 1000 + t;
      const last = series.times[series.times.length - 1];
      if (last !== undefined && seconds <= last) {
        throw new SwmmInpError(`${where}: time series "${name}" goes back in time (${timeText} after ${last} s from the start)`);
      }
      series.times.push(seconds);
      series.values.push(v);
      k += 2;
    }
  }
  return out;
}

export function readCurves(rows: InpRow[], source: string): Map<string, SwmmCurve> {
  const out = new Map<string, SwmmCurve>();
  for (const row of rows) {
    const [name, ...rest] = row.tokens;
    let curve = out.get(name);
    if (!curve) {
      const type = rest[0] !== undefined && !Number.isFinite(Number(rest[0])) ? rest.shift()!.toUpperCase() : '';
      curve = { type, xs: [], ys: [] };
      out.set(name, curve);
    }
    if (rest.length % 2 !== 0) throw new SwmmInpError(`${source} line ${row.line} [CURVES]: curve "${name}" needs x and y pairs`);
    for (let k = 0; k < rest.length; k += 2) {
      const x = Number(rest[k]);
      const y = Number(rest[k + 1]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new SwmmInpError(`${source} line ${row.line} [CURVES]: "${rest[k]} ${rest[k + 1]}" is not a pair of numbers`);
      curve.xs.push(x);
      curve.ys.push(y);
    }
  }
  return out;
}

/** Linear lookup, the first/last value outside the range (table.c table_lookup). */
function lookup(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]) return ys[i - 1] + ((ys[i] - ys[i - 1]) * (x - xs[i - 1])) / (xs[i] - xs[i - 1]);
  }
  return ys[ys.length - 1];
}

/**
 * A TIDAL outfall's curve (stage by hour, 0–24) spelt out as a stage series over the run, as SWMM
 * evaluates it (node.c outfall_setOutletDepth): hour = first x + hours elapsed since the run's
 * start (not the clock's hour), modulo a day.
 */
export function tideCurveAsSeries(curve: SwmmCurve, durationS: number): SwmmSeries | undefined {
  if (curve.xs.length === 0) return undefined;
  const x0 = curve.xs[0];
  const times: number[] = [];
  const values: number[] = [];
  for (let day = 0; day * 86400 <= durationS; day++) {
    for (let i = 0; i < curve.xs.length; i++) {
      const h = curve.xs[i] - x0;
      if (h >= 24) break;
      times.push(day * 86400 + h * 3600);
      values.push(curve.ys[i]);
    }
    times.push((day + 1) * 86400 - 1e-3);
    values.push(lookup(curve.xs, curve.ys, x0 + 24));
  }
  return { times, values };
}
