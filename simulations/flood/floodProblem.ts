/**
 * What a flood run is given: the grid (bed, obstacles, roughness, starting water), the forcing
 * (rain, drainage, inflow hydrographs, edge boundaries) and the run settings. Checked once by
 * `checkFloodProblem`, which names the field that is wrong and refuses grids and durations that
 * would exhaust the machine.
 */
import type { CompiledNetwork } from '../drainage/compiledNetwork';
import { checkCoupling, type DrainageCouplingSpec } from '../drainage/surfaceCoupling';
import { stormProblem, type RainSpec } from './designStorm';
import { checkSeries, type TimeSeries } from './timeSeries';

export const EDGES = ['west', 'east', 'north', 'south'] as const;
export type Edge = (typeof EDGES)[number];

/**
 * An edge's boundary. Edges without one are closed walls.
 * - level: water surface elevation (m, same datum as the bed), fixed or varying in time;
 * - flow: a discharge in m³/s entering, spread evenly over the edge's open cells;
 * - free: water leaves at normal depth for the local bed slope, at most critical flow.
 */
export type BoundarySpec =
  | { type: 'level'; levelM: TimeSeries }
  | { type: 'flow'; dischargeM3s: TimeSeries }
  | { type: 'free' };

/** A point inflow hydrograph into one grid cell (row 0 is the north row). */
export interface PointInflow {
  row: number;
  col: number;
  dischargeM3s: TimeSeries;
}

export interface FloodGrid {
  ncols: number;
  nrows: number;
  cellSizeM: number;
  /** Bed elevation per cell, row-major from the north row, metres. */
  bedM: ArrayLike<number>;
  /** 1 where a building (or other obstacle) blocks the cell; water never enters it. */
  blocked?: Uint8Array;
  /** Manning's n, one value or per cell (s/m^(1/3)). */
  manningN: number | ArrayLike<number>;
  /** Water depth at the start, metres; dry when absent. */
  initialDepthM?: ArrayLike<number>;
}

export interface FloodForcing {
  rain: RainSpec;
  /** Drainage capacity removed from every open wet cell, mm/h. */
  drainageMmPerHour: number;
  inflows: PointInflow[];
  boundaries: Partial<Record<Edge, BoundarySpec>>;
}

/**
 * 'inertial': the local inertial scheme of Bates et al. (2010) as in LISFLOOD-FP, no convective
 * term. 'inertial-advection': the same with the convective acceleration ∂(q·u)/∂x in the
 * momentum-conservative upwind form of Stelling & Duinmeijer (2003) and a CFL step that counts
 * the flow speed (see faceFlux.ts); it gets fast, shallow fronts (dam breaks) right.
 */
export const FLOOD_SCHEMES = ['inertial', 'inertial-advection'] as const;
export type FloodScheme = (typeof FLOOD_SCHEMES)[number];

export interface FloodSettings {
  durationS: number;
  scheme: FloodScheme;
  /** Times at which to keep a depth snapshot, seconds (within the duration). */
  snapshotTimesS: number[];
  /**
   * CFL coefficient α in Δt = α·Δx/√(g·h_max). Bates et al. (2010) give 0.2–0.7; in 2D the
   * scheme's own limit is 1/√2 ≈ 0.707, and 0.7 grew a chequerboard over the demo's 6 m deep
   * sea within two minutes, so the default keeps a margin.
   */
  alpha: number;
  /** Upper bound on Δt, seconds: keeps rain and arrival times resolved while the grid is dry. */
  maxDtS: number;
  /** Depth that counts as wet (arrival time, wet cells, velocities), metres. */
  wetDepthM: number;
  /** Depth above which the "duration" output counts time, metres. */
  durationDepthM: number;
}

export interface FloodProblem {
  grid: FloodGrid;
  forcing: FloodForcing;
  settings: FloodSettings;
  /** The drainage network coupled to the surface (docs/drainage.md); without it, `forcing.drainageMmPerHour` stands for the drains. */
  drainage?: DrainageCouplingSpec;
}

export const DEFAULT_SETTINGS: Omit<FloodSettings, 'durationS' | 'snapshotTimesS'> = {
  scheme: 'inertial-advection',
  alpha: 0.6,
  maxDtS: 5,
  wetDepthM: 0.01,
  durationDepthM: 0.15,
};

/** 4 M cells is about 485 MB of state (nine float64 fields per cell, four float64 and four float32 per face) — the most one run may take. */
export const MAX_FLOOD_CELLS = 4_000_000;
/** A week of simulated time. */
export const MAX_DURATION_S = 7 * 24 * 3600;
export const MAX_SNAPSHOTS = 200;

export class FloodProblemError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'FloodProblemError';
  }
}

function fail(field: string, message: string): never {
  throw new FloodProblemError(field, message);
}

function checkCellArray(values: ArrayLike<number>, grid: FloodGrid, field: string, min: number, max: number): void {
  const cells = grid.ncols * grid.nrows;
  if (values.length !== cells) fail(field, `has ${values.length} values for ${cells} cells`);
  for (let i = 0; i < cells; i++) {
    const v = values[i]!;
    if (!(v >= min && v <= max)) {
      fail(field, `row ${Math.floor(i / grid.ncols) + 1}, column ${(i % grid.ncols) + 1} is ${v}, must be between ${min} and ${max}`);
    }
  }
}

/**
 * Throws FloodProblemError naming the first bad field. The drainage network is checked apart
 * (`checkFloodNetwork`): its check compiles it, and runFlood does that while its workers start.
 */
export function checkFloodProblem(problem: FloodProblem): void {
  const { grid, forcing, settings } = problem;
  const { ncols, nrows } = grid;
  if (!Number.isInteger(ncols) || !Number.isInteger(nrows) || ncols < 2 || nrows < 2) {
    fail('grid', `needs at least 2 × 2 cells, got ${ncols} × ${nrows}`);
  }
  const cells = ncols * nrows;
  if (cells > MAX_FLOOD_CELLS) fail('grid', `${ncols} × ${nrows} = ${cells} cells is over the limit of ${MAX_FLOOD_CELLS}; use a coarser cell size`);
  if (!(grid.cellSizeM > 0 && grid.cellSizeM <= 1000)) fail('grid.cellSizeM', `must be between 0 and 1000 m, got ${grid.cellSizeM}`);
  checkCellArray(grid.bedM, grid, 'grid.bedM', -12_000, 9_000);
  if (typeof grid.manningN === 'number') {
    if (!(grid.manningN >= 0 && grid.manningN <= 1)) fail('grid.manningN', `must be between 0 and 1, got ${grid.manningN}`);
  } else checkCellArray(grid.manningN, grid, 'grid.manningN', 0, 1);
  if (grid.initialDepthM) checkCellArray(grid.initialDepthM, grid, 'grid.initialDepthM', 0, 1000);
  if (grid.blocked && grid.blocked.length !== cells) fail('grid.blocked', `has ${grid.blocked.length} values for ${cells} cells`);

  const rain = forcing.rain;
  if (rain.kind === 'uniform' && !(rain.mmPerHour >= 0 && rain.mmPerHour <= 500)) {
    fail('rain.mmPerHour', `must be between 0 and 500, got ${rain.mmPerHour}`);
  }
  if (rain.kind === 'series') checkSeries(rain.series, 'rain', { valueName: 'mm/h', min: 0, max: 500 });
  if (rain.kind === 'chicago') {
    const problemText = stormProblem(rain.storm);
    if (problemText) fail('rain.storm', problemText);
  }
  if (!(forcing.drainageMmPerHour >= 0 && forcing.drainageMmPerHour <= 500)) {
    fail('drainageMmPerHour', `must be between 0 and 500, got ${forcing.drainageMmPerHour}`);
  }
  forcing.inflows.forEach((inflow, k) => {
    const field = `inflows[${k}]`;
    if (!Number.isInteger(inflow.row) || !Number.isInteger(inflow.col) || inflow.row < 0 || inflow.col < 0 || inflow.row >= nrows || inflow.col >= ncols) {
      fail(field, `cell (row ${inflow.row}, col ${inflow.col}) is outside the ${ncols} × ${nrows} grid`);
    }
    if (grid.blocked?.[inflow.row * ncols + inflow.col]) fail(field, `cell (row ${inflow.row}, col ${inflow.col}) is blocked by an obstacle`);
    checkSeries(inflow.dischargeM3s, field, { valueName: 'm³/s', min: 0, max: 100_000 });
  });
  for (const [edge, spec] of Object.entries(forcing.boundaries)) {
    if (!(EDGES as readonly string[]).includes(edge)) fail(`boundaries.${edge}`, `unknown edge; use ${EDGES.join(', ')}`);
    if (!spec) continue;
    if (spec.type === 'level') checkSeries(spec.levelM, `boundaries.${edge}`, { valueName: 'level m', min: -12_000, max: 9_000 });
    else if (spec.type === 'flow') checkSeries(spec.dischargeM3s, `boundaries.${edge}`, { valueName: 'm³/s', min: 0, max: 100_000 });
    else if (spec.type !== 'free') fail(`boundaries.${edge}`, `unknown type "${(spec as { type: string }).type}"`);
  }

  if (!(settings.durationS > 0 && settings.durationS <= MAX_DURATION_S)) {
    fail('durationS', `must be between 0 and ${MAX_DURATION_S} s, got ${settings.durationS}`);
  }
  if (settings.snapshotTimesS.length > MAX_SNAPSHOTS) fail('snapshotTimesS', `at most ${MAX_SNAPSHOTS} snapshots, got ${settings.snapshotTimesS.length}`);
  for (const t of settings.snapshotTimesS) {
    if (!(t > 0 && t <= settings.durationS)) fail('snapshotTimesS', `${t} s is not within the run (0, ${settings.durationS}]`);
  }
  if (!(FLOOD_SCHEMES as readonly string[]).includes(settings.scheme)) fail('scheme', `unknown scheme "${settings.scheme}"; use ${FLOOD_SCHEMES.join(' or ')}`);
  if (!(settings.alpha > 0 && settings.alpha <= 1)) fail('alpha', `must be in (0, 1], got ${settings.alpha}`);
  if (!(settings.maxDtS > 0 && settings.maxDtS <= 600)) fail('maxDtS', `must be in (0, 600] s, got ${settings.maxDtS}`);
  if (!(settings.wetDepthM > 0 && settings.wetDepthM < 10)) fail('wetDepthM', `must be in (0, 10) m, got ${settings.wetDepthM}`);
  if (!(settings.durationDepthM > 0 && settings.durationDepthM < 10)) fail('durationDepthM', `must be in (0, 10) m, got ${settings.durationDepthM}`);
}

/** Checks the problem's drainage network against its grid; returns it compiled (so a run compiles it once). */
export function checkFloodNetwork(problem: FloodProblem): CompiledNetwork | undefined {
  const { grid } = problem;
  return problem.drainage && checkCoupling(problem.drainage, grid.ncols, grid.nrows, grid.blocked);
}
