/**
 * Two scenario results compared, without Cesium: flood depth grids (at a time or their maxima)
 * and their difference, per-link mean speeds of two traffic runs and their difference, and the
 * KPI table with the change. "The twin now" stands in as a dry grid for a flood.
 */
import type { LinkSeries } from '../../../../../simulations/traffic/runTraffic';
import type { DepthFrames } from '../../flood/core/depthFrames';

/** Depth in metres per cell (NaN where the grid has no data), at frame `k` or the maximum over all frames. */
export function depthGrid(frames: DepthFrames, k: number | 'max'): Float32Array {
  const { scaleM, noData } = frames.meta;
  const cells = frames.meta.ncols * frames.meta.nrows;
  const out = new Float32Array(cells);
  const chosen = k === 'max' ? frames.frames : [frames.frames[Math.min(Math.max(0, k), frames.frames.length - 1)]!];
  for (let i = 0; i < cells; i++) {
    let depth = 0;
    let nodata = false;
    for (const f of chosen) {
      const v = f[i]!;
      if (v === noData) nodata = true;
      else depth = Math.max(depth, v * scaleM);
    }
    out[i] = nodata ? Number.NaN : depth;
  }
  return out;
}

/** Throws naming the first thing that differs when two flood runs are not on the same grid. */
export function checkSameGrid(a: DepthFrames['meta'], b: DepthFrames['meta']): void {
  for (const key of ['ncols', 'nrows', 'cellSizeM'] as const) {
    if (a[key] !== b[key]) throw new Error(`the two flood runs differ in ${key} (${a[key]} and ${b[key]}): they cannot be compared cell by cell`);
  }
  a.corners.forEach((c, i) => {
    const d = b.corners[i];
    if (!d || Math.abs(c[0] - d[0]) > 1e-7 || Math.abs(c[1] - d[1]) > 1e-7) throw new Error(`the two flood runs' grids have different corner ${i}`);
  });
}

export interface DepthDifference {
  /** B − A per cell, m (NaN where either has no data). */
  diff: Float32Array;
  /** Cells at least `significantM` deeper in B, and shallower. */
  deeperCells: number;
  shallowerCells: number;
  maxDeeperM: number;
  maxShallowerM: number;
}

export function depthDifference(a: Float32Array, b: Float32Array, significantM = 0.05): DepthDifference {
  if (a.length !== b.length) throw new RangeError(`depthDifference: ${a.length} cells against ${b.length}`);
  const diff = new Float32Array(a.length);
  let deeperCells = 0;
  let shallowerCells = 0;
  let maxDeeperM = 0;
  let maxShallowerM = 0;
  for (let i = 0; i < a.length; i++) {
    const d = b[i]! - a[i]!;
    diff[i] = d;
    if (d >= significantM) deeperCells++;
    if (d <= -significantM) shallowerCells++;
    if (d > maxDeeperM) maxDeeperM = d;
    if (-d > maxShallowerM) maxShallowerM = -d;
  }
  return { diff, deeperCells, shallowerCells, maxDeeperM, maxShallowerM };
}

/** Mean of a link's interval speeds over the intervals with traffic, m/s (null: no vehicle ever). */
export function meanSpeedMps(series: LinkSeries): number | null {
  let sum = 0;
  let n = 0;
  for (const v of series.meanSpeedMps) {
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n ? sum / n : null;
}

export interface LinkSpeedChange {
  linkId: string;
  aMps: number | null;
  bMps: number | null;
  /** B − A, m/s; null unless both runs had traffic on the link. */
  diffMps: number | null;
}

/** Per link in either run, its mean speeds and their change; the largest changes first. */
export function linkSpeedDifference(a: readonly LinkSeries[], b: readonly LinkSeries[]): LinkSpeedChange[] {
  const byId = new Map<string, LinkSpeedChange>();
  for (const s of a) byId.set(s.linkId, { linkId: s.linkId, aMps: meanSpeedMps(s), bMps: null, diffMps: null });
  for (const s of b) {
    const row = byId.get(s.linkId) ?? { linkId: s.linkId, aMps: null, bMps: null, diffMps: null };
    row.bMps = meanSpeedMps(s);
    byId.set(s.linkId, row);
  }
  const rows = [...byId.values()];
  for (const r of rows) r.diffMps = r.aMps !== null && r.bMps !== null ? r.bMps - r.aMps : null;
  return rows.sort((x, y) => Math.abs(y.diffMps ?? 0) - Math.abs(x.diffMps ?? 0));
}

export interface KpiRow {
  key: string;
  a: number | null;
  b: number | null;
  /** B − A, and as a share of A (null when A is 0 or either is missing). */
  diff: number | null;
  share: number | null;
}

/** The KPI table: each figure for A and B and the change. */
export function kpiRows<T>(defs: ReadonlyArray<{ key: string; value: (s: T) => number | null }>, a: T | null, b: T | null): KpiRow[] {
  return defs.map(({ key, value }) => {
    const va = a ? value(a) : null;
    const vb = b ? value(b) : null;
    const diff = va !== null && vb !== null ? vb - va : null;
    return { key, a: va, b: vb, diff, share: diff !== null && va ? diff / Math.abs(va) : null };
  });
}
