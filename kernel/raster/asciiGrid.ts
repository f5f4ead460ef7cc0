/**
 * ESRI ASCII grid (.asc): parse and write. Used for the DEM and for simulation outputs.
 *
 * Layout: a header of `key value` lines (ncols, nrows, xllcorner|xllcenter,
 * yllcorner|yllcenter, cellsize, optional NODATA_value), then nrows lines of ncols numbers,
 * the first line being the northernmost row. In memory, `values[row * ncols + col]` keeps that
 * order (row 0 = north); no-data cells are NaN.
 */
import { MAX_GRID_CELLS, type Grid } from './grid';

export class GridFormatError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'GridFormatError';
  }
}

/** Parses an ESRI ASCII grid; `source` names the file in error messages. */
export function parseAsciiGrid(text: string, source = 'grid'): Grid {
  const header = new Map<string, number>();
  let pos = 0;
  let line = 0;
  // Header lines start with a letter; the first line starting with a digit or sign is data.
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const raw = text.slice(pos, end === -1 ? text.length : end).trim();
    if (raw !== '' && !/^[A-Za-z]/.test(raw)) break;
    line++;
    pos = end === -1 ? text.length : end + 1;
    if (raw === '') continue;
    const [key, value, ...rest] = raw.split(/\s+/);
    const num = Number(value);
    if (value === undefined || rest.length > 0 || !Number.isFinite(num)) {
      throw new GridFormatError(source, `line ${line}: expected "key number", got "${raw}"`);
    }
    header.set(key!.toLowerCase(), num);
  }
  const need = (key: string): number => {
    const v = header.get(key);
    if (v === undefined) throw new GridFormatError(source, `header is missing ${key}`);
    return v;
  };
  const ncols = need('ncols');
  const nrows = need('nrows');
  const cellSize = need('cellsize');
  if (!Number.isInteger(ncols) || ncols < 2 || !Number.isInteger(nrows) || nrows < 2) {
    throw new GridFormatError(source, `ncols and nrows must be integers ≥ 2, got ${ncols} × ${nrows}`);
  }
  if (ncols * nrows > MAX_GRID_CELLS) {
    throw new GridFormatError(source, `${ncols} × ${nrows} cells is over the limit of ${MAX_GRID_CELLS}`);
  }
  if (!(cellSize > 0)) throw new GridFormatError(source, `cellsize must be positive, got ${cellSize}`);
  const corner = (axis: 'x' | 'y'): number => {
    const c = header.get(`${axis}llcorner`);
    if (c !== undefined) return c;
    const centre = header.get(`${axis}llcenter`);
    if (centre !== undefined) return centre - cellSize / 2;
    throw new GridFormatError(source, `header is missing ${axis}llcorner or ${axis}llcenter`);
  };
  const xll = corner('x');
  const yll = corner('y');
  const noData = header.get('nodata_value');

  const values = new Float32Array(ncols * nrows);
  let count = 0;
  const body = text.slice(pos);
  const tokenPattern = /\S+/g;
  for (let m = tokenPattern.exec(body); m !== null; m = tokenPattern.exec(body)) {
    if (count >= values.length) {
      throw new GridFormatError(source, `more than ${ncols} × ${nrows} values`);
    }
    const v = Number(m[0]);
    if (!Number.isFinite(v)) {
      const row = Math.floor(count / ncols);
      throw new GridFormatError(source, `value "${m[0]}" at row ${row + 1}, column ${(count % ncols) + 1} is not a number`);
    }
    values[count++] = noData !== undefined && v === noData ? Number.NaN : v;
  }
  if (count !== values.length) {
    throw new GridFormatError(source, `expected ${ncols} × ${nrows} = ${values.length} values, found ${count}`);
  }
  return { ncols, nrows, xll, yll, cellSize, values };
}

/** Writes an ESRI ASCII grid; NaN cells become NODATA_value. `decimals` fixes the text, so output is byte-stable. */
export function formatAsciiGrid(grid: Grid, decimals = 2, noDataValue = -9999): string {
  const lines = [
    `ncols ${grid.ncols}`,
    `nrows ${grid.nrows}`,
    `xllcorner ${grid.xll}`,
    `yllcorner ${grid.yll}`,
    `cellsize ${grid.cellSize}`,
    `NODATA_value ${noDataValue}`,
  ];
  const row: string[] = new Array(grid.ncols);
  for (let r = 0; r < grid.nrows; r++) {
    for (let c = 0; c < grid.ncols; c++) {
      const v = grid.values[r * grid.ncols + c]!;
      row[c] = Number.isNaN(v) ? String(noDataValue) : v.toFixed(decimals);
    }
    lines.push(row.join(' '));
  }
  return lines.join('\n') + '\n';
}
