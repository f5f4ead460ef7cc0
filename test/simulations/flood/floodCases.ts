/** Small flood problems with known answers, shared by the flood tests. */
import { DEFAULT_SETTINGS, type FloodForcing, type FloodGrid, type FloodProblem, type FloodSettings } from '../../../simulations/flood/floodProblem';

export function problem(grid: FloodGrid, forcing: Partial<FloodForcing>, settings: Partial<FloodSettings> & { durationS: number }): FloodProblem {
  return {
    grid,
    forcing: { rain: { kind: 'none' }, drainageMmPerHour: 0, inflows: [], boundaries: {}, ...forcing },
    settings: { ...DEFAULT_SETTINGS, snapshotTimesS: [], ...settings },
  };
}

/** A bed of smooth hills (deterministic), between about 0 and 2 m. */
export function hillyBed(ncols: number, nrows: number): Float64Array {
  const bed = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) bed[r * ncols + c] = 1 + 0.6 * Math.sin(c / 3.1) * Math.cos(r / 4.7) + 0.4 * Math.sin((c + 2 * r) / 5.3);
  }
  return bed;
}

/** Front position: the furthest column (from `fromCol`, eastwards) of row `row` deeper than `depth`. */
export function frontColumn(depth: ArrayLike<number>, ncols: number, row: number, depthM: number): number {
  let front = -1;
  for (let c = 0; c < ncols; c++) if (depth[row * ncols + c]! > depthM) front = c;
  return front;
}
