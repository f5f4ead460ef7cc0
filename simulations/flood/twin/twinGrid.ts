/**
 * Putting the twin's layers on the flood grid: coarsening the DEM to a cell budget, polygons
 * (land use, water) to cells, lon/lat to cells, and the affine map from the building tiles' ENU
 * frame to the grid's CRS. Pure functions over plain data.
 */
import { pointInRings } from '../../../kernel/geodesy';
import type { Grid } from '../../../kernel/raster/grid';
import type { GroundGrid } from './buildingFootprints';

/** Block-averages `dem` by an integer factor so it has at most `maxCells` cells (no-data stays NaN). */
export function coarsenToBudget(dem: Grid, maxCells: number): Grid {
  const cells = dem.ncols * dem.nrows;
  if (cells <= maxCells) return dem;
  const k = Math.ceil(Math.sqrt(cells / maxCells));
  const ncols = Math.floor(dem.ncols / k);
  const nrows = Math.floor(dem.nrows / k);
  const values = new Float32Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      let sum = 0;
      let n = 0;
      for (let dr = 0; dr < k; dr++) {
        for (let dc = 0; dc < k; dc++) {
          const v = dem.values[(r * k + dr) * dem.ncols + c * k + dc]!;
          if (!Number.isNaN(v)) {
            sum += v;
            n++;
          }
        }
      }
      values[r * ncols + c] = n > 0 ? sum / n : Number.NaN;
    }
  }
  // Rows dropped at the bottom (south) move the lower-left corner up.
  const yll = dem.yll + (dem.nrows - nrows * k) * dem.cellSize;
  return { ncols, nrows, xll: dem.xll, yll, cellSize: dem.cellSize * k, values };
}

/** Row and column of the cell holding x, y, or undefined outside the grid. */
export function cellOf(grid: GroundGrid, x: number, y: number): { row: number; col: number } | undefined {
  const col = Math.floor((x - grid.xll) / grid.cellSize);
  const row = Math.floor((grid.yll + grid.nrows * grid.cellSize - y) / grid.cellSize);
  if (col < 0 || row < 0 || col >= grid.ncols || row >= grid.nrows) return undefined;
  return { row, col };
}

/** Centre of cell (row, col) in the grid's CRS. */
export function cellCentre(grid: GroundGrid, row: number, col: number): [number, number] {
  return [grid.xll + (col + 0.5) * grid.cellSize, grid.yll + (grid.nrows - row - 0.5) * grid.cellSize];
}

/**
 * Calls `mark(cell)` for every cell whose centre lies inside the polygon (outer ring and holes,
 * even-odd rule), rings already in the grid's CRS.
 */
export function forCellsInPolygon(grid: GroundGrid, rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, mark: (cell: number) => void): void {
  const outer = rings[0];
  if (!outer || outer.length < 3) return;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of outer) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const top = grid.yll + grid.nrows * grid.cellSize;
  const c0 = Math.max(0, Math.floor((minX - grid.xll) / grid.cellSize));
  const c1 = Math.min(grid.ncols - 1, Math.floor((maxX - grid.xll) / grid.cellSize));
  const r0 = Math.max(0, Math.floor((top - maxY) / grid.cellSize));
  const r1 = Math.min(grid.nrows - 1, Math.floor((top - minY) / grid.cellSize));
  for (let r = r0; r <= r1; r++) {
    const py = top - (r + 0.5) * grid.cellSize;
    for (let c = c0; c <= c1; c++) {
      const px = grid.xll + (c + 0.5) * grid.cellSize;
      if (pointInRings(px, py, rings)) mark(r * grid.ncols + c);
    }
  }
}

/**
 * An affine map from local east/north metres to the grid's CRS, fitted on three points the
 * caller projects exactly: over a district a few kilometres wide the projection's scale and
 * grid convergence are constant to well under a centimetre per cell.
 */
export function affineFromSamples(origin: [number, number], east1km: [number, number], north1km: [number, number]): (e: number, n: number) => [number, number] {
  const ex = (east1km[0] - origin[0]) / 1000;
  const ey = (east1km[1] - origin[1]) / 1000;
  const nx = (north1km[0] - origin[0]) / 1000;
  const ny = (north1km[1] - origin[1]) / 1000;
  return (e, n) => [origin[0] + e * ex + n * nx, origin[1] + e * ey + n * ny];
}
