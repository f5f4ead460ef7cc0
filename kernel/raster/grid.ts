/**
 * The raster grid every part shares (the flood simulation, the tiler, the importers, the demo):
 * a north-up grid of square cells in a projected CRS, and bilinear sampling over it. Files are
 * read and written by ./asciiGrid.ts (ESRI ASCII) and ./geoTiff.ts (GeoTIFF).
 */

export interface Grid {
  ncols: number;
  nrows: number;
  /** Lower-left corner of the lower-left cell (not its centre), in the grid's CRS units. */
  xll: number;
  yll: number;
  cellSize: number;
  /** Row-major from the north edge; NaN marks no data. */
  values: Float32Array;
}

/** Hard bound on cells accepted from a file: 50 M cells is a 200 MB Float32Array. */
export const MAX_GRID_CELLS = 50_000_000;

/**
 * Bilinear sample at a point in the grid's CRS, between cell centres; NaN outside the grid
 * or next to no-data. Points within half a cell of the edge take the edge cells' values.
 */
export function sampleGrid(grid: Grid, x: number, y: number): number {
  const { ncols, nrows, cellSize, values } = grid;
  // Continuous column/row of cell centres, rows counted from the north edge.
  const fc = (x - grid.xll) / cellSize - 0.5;
  const fr = (grid.yll + nrows * cellSize - y) / cellSize - 0.5;
  if (fc < -0.5 || fr < -0.5 || fc > ncols - 0.5 || fr > nrows - 0.5) return Number.NaN;
  const c0 = Math.min(Math.max(Math.floor(fc), 0), ncols - 2);
  const r0 = Math.min(Math.max(Math.floor(fr), 0), nrows - 2);
  const tx = Math.min(Math.max(fc - c0, 0), 1);
  const ty = Math.min(Math.max(fr - r0, 0), 1);
  const i = r0 * ncols + c0;
  const v00 = values[i]!;
  const v01 = values[i + 1]!;
  const v10 = values[i + ncols]!;
  const v11 = values[i + ncols + 1]!;
  return (v00 * (1 - tx) + v01 * tx) * (1 - ty) + (v10 * (1 - tx) + v11 * tx) * ty;
}

/**
 * A grid of near-square cells (`cellX` × `cellY`, both > 0) resampled bilinearly to square cells
 * of the smaller side, over the same extent (to within half a cell): for rasters whose writer
 * rounded the pixel size, so that what `Grid` calls square holds without shifting the far edge.
 */
export function resampleToSquare(values: Float32Array, ncols: number, nrows: number, xll: number, yll: number, cellX: number, cellY: number): Grid {
  const cell = Math.min(cellX, cellY);
  const outCols = Math.max(2, Math.round((ncols * cellX) / cell));
  const outRows = Math.max(2, Math.round((nrows * cellY) / cell));
  // The source as a grid of unit cells: a point's position in it is its distance in source cells.
  const unit: Grid = { ncols, nrows, xll: 0, yll: 0, cellSize: 1, values };
  const out = new Float32Array(outCols * outRows);
  for (let r = 0; r < outRows; r++) {
    const y = (outRows - r - 0.5) * cell;
    for (let c = 0; c < outCols; c++) out[r * outCols + c] = sampleGrid(unit, ((c + 0.5) * cell) / cellX, y / cellY);
  }
  return { ncols: outCols, nrows: outRows, xll, yll, cellSize: cell, values: out };
}
