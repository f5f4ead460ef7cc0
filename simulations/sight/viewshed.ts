/**
 * Viewshed and line of sight over the district's obstacles (./obstacles.ts): what an observer —
 * a person, a rooftop, a camera with a heading and field of view — can see on a grid of cells,
 * and, the other way round, which of a set of candidate observers can see one point (camera
 * coverage planning). A cell is seen when the straight segment from the observer's eye to the
 * cell's surface (its roof where a building stands, else the ground) passes no prism and stays
 * above the terrain. Exact against the prisms; the grid only sets where the targets are.
 */
import type { Grid } from '../../kernel/raster/grid';
import type { Obstacles } from './obstacles';

/** A north-up grid of square cells in the local frame (metres), row 0 north: kernel's Grid without values. */
export type GridSpec = Omit<Grid, 'values'>;

/** Cell values of a viewshed. */
export const OUT_OF_VIEW = 0;
export const HIDDEN = 1;
export const VISIBLE = 2;

export interface Observer {
  x: number;
  y: number;
  /** Eye height, m in the obstacles' datum (ground + eye or mount height). */
  z: number;
  /** How far it usefully sees (horizontal), m. */
  rangeM: number;
  /** A camera's aim; absent: all round. Angles as domain/cameras.ts (Cesium's heading/pitch). */
  view?: { headingDeg: number; hfovDeg: number; pitchDeg?: number; vfovDeg?: number };
}

export interface ViewshedResult {
  grid: GridSpec;
  /** One of OUT_OF_VIEW, HIDDEN, VISIBLE per cell, row 0 north. */
  cells: Uint8Array;
  visible: number;
  hidden: number;
}

const DEG = Math.PI / 180;
/** Targets sit this far above their surface so a roof or the ground does not hide itself. */
const SURFACE_LIFT_M = 0.1;

/** Centre of cell (col, row) in local metres. */
export function cellCentre(grid: GridSpec, col: number, row: number): [number, number] {
  return [grid.xll + (col + 0.5) * grid.cellSize, grid.yll + (grid.nrows - row - 0.5) * grid.cellSize];
}

/** The surface height at (x, y): the roof of a building there, else the ground (else `groundM`). */
export function surfaceAt(obstacles: Obstacles, x: number, y: number, groundM: number): number {
  const roof = obstacles.roofAt(x, y);
  if (!Number.isNaN(roof)) return roof;
  const g = obstacles.groundAt(x, y);
  return Number.isNaN(g) ? groundM : g;
}

/** Whether the vector (dx, dy, dz) from the observer falls within its range and field of view. */
export function inView(observer: Observer, dx: number, dy: number, dz: number): boolean {
  const horizontal = Math.hypot(dx, dy);
  if (horizontal > observer.rangeM) return false;
  const v = observer.view;
  if (!v) return true;
  if (horizontal > 0) {
    const bearing = Math.atan2(dx, dy) / DEG;
    const off = Math.abs(((bearing - v.headingDeg + 540) % 360) - 180);
    if (off > v.hfovDeg / 2) return false;
  }
  if (v.pitchDeg !== undefined && v.vfovDeg !== undefined) {
    const elevation = Math.atan2(dz, horizontal) / DEG;
    if (Math.abs(elevation - v.pitchDeg) > v.vfovDeg / 2) return false;
  }
  return true;
}

/** What `observer` sees of the surface on `grid`; `groundM` stands in where there is no terrain. */
export function viewshed(grid: GridSpec, obstacles: Obstacles, observer: Observer, groundM: number): ViewshedResult {
  const cells = new Uint8Array(grid.ncols * grid.nrows);
  let visible = 0;
  let hidden = 0;
  for (let row = 0; row < grid.nrows; row++) {
    for (let col = 0; col < grid.ncols; col++) {
      const [x, y] = cellCentre(grid, col, row);
      const z = surfaceAt(obstacles, x, y, groundM) + SURFACE_LIFT_M;
      if (!inView(observer, x - observer.x, y - observer.y, z - observer.z)) continue;
      const seen = !obstacles.blocked(observer.x, observer.y, observer.z, x, y, z);
      cells[row * grid.ncols + col] = seen ? VISIBLE : HIDDEN;
      if (seen) visible++;
      else hidden++;
    }
  }
  return { grid, cells, visible, hidden };
}

export interface CandidateObserver extends Observer {
  id: string;
}

/** The candidates that see the point (x, y, z), nearest first, with their distance. */
export function whoCanSee(
  target: { x: number; y: number; z: number },
  candidates: readonly CandidateObserver[],
  obstacles: Obstacles,
): Array<{ id: string; distanceM: number }> {
  const seen: Array<{ id: string; distanceM: number }> = [];
  for (const c of candidates) {
    const dx = target.x - c.x;
    const dy = target.y - c.y;
    const dz = target.z - c.z;
    if (!inView(c, dx, dy, dz)) continue;
    if (obstacles.blocked(c.x, c.y, c.z, target.x, target.y, target.z)) continue;
    seen.push({ id: c.id, distanceM: Math.hypot(dx, dy, dz) });
  }
  return seen.sort((a, b) => a.distanceM - b.distanceM);
}
