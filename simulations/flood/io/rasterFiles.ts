/**
 * Reading the rasters and series a flood run takes from files (the I/O edge of the flood core):
 * ESRI ASCII grids (.asc) and GeoTIFF (.tif, .tiff: one band, north-up, square pixels) with
 * kernel/raster/, and `seconds,value` CSV series.
 * Errors name the file and, for text files, the line.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAsciiGrid } from '../../../kernel/raster/asciiGrid';
import { geoTiffPlacement, openGeoTiff, readGeoTiffBand } from '../../../kernel/raster/geoTiff';
import { MAX_GRID_CELLS, type Grid } from '../../../kernel/raster/grid';
import { parseTimeSeriesCsv, type SeriesBounds, type TimeSeries } from '../timeSeries';

/** Larger inputs than this are refused before reading (a 4 M cell .asc is about 40 MB). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export class FloodInputError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'FloodInputError';
  }
}

async function checkedBytes(file: string): Promise<Buffer> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new FloodInputError(file, 'is not a file');
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FloodInputError(file, 'file not found');
    throw err;
  }
  if (size > MAX_INPUT_BYTES) throw new FloodInputError(file, `${size} bytes is over the limit of ${MAX_INPUT_BYTES}`);
  return readFile(file);
}

/** A raster from .asc or .tif/.tiff; no-data cells are NaN. */
export async function readRaster(file: string): Promise<Grid> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.asc') return parseAsciiGrid((await checkedBytes(file)).toString('utf8'), file);
  if (ext === '.tif' || ext === '.tiff') return parseGeoTiff(await checkedBytes(file), file);
  throw new FloodInputError(file, `unknown raster type "${ext}"; use an ESRI ASCII grid (.asc) or a GeoTIFF (.tif)`);
}

async function parseGeoTiff(buffer: Buffer, file: string): Promise<Grid> {
  const bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  const fail = (why: string): never => {
    throw new FloodInputError(file, why);
  };
  const image = await openGeoTiff(bytes, fail);
  if (image.getSamplesPerPixel() !== 1) fail(`has ${image.getSamplesPerPixel()} bands; a grid needs exactly one`);
  const ncols = image.getWidth();
  const nrows = image.getHeight();
  if (ncols < 2 || nrows < 2 || ncols * nrows > MAX_GRID_CELLS) {
    fail(`${ncols} × ${nrows} pixels: needs at least 2 × 2 and at most ${MAX_GRID_CELLS} cells`);
  }
  const { originX, originY, cellX, cellY } = geoTiffPlacement(image, fail);
  if (!(cellX > 0) || !(cellY < 0) || Math.abs(cellX + cellY) > 1e-6 * cellX) {
    fail(`pixels of ${cellX} × ${-cellY} are not square north-up cells`);
  }
  const { values } = await readGeoTiffBand(image);
  return { ncols, nrows, xll: originX, yll: originY - nrows * cellX, cellSize: cellX, values };
}

/** A raster that must lie on the same grid as `dem` (same size, corner and cell size). */
export async function readMatchingRaster(file: string, dem: Grid): Promise<Grid> {
  const grid = await readRaster(file);
  const tolerance = dem.cellSize * 1e-3;
  if (
    grid.ncols !== dem.ncols ||
    grid.nrows !== dem.nrows ||
    Math.abs(grid.cellSize - dem.cellSize) > tolerance ||
    Math.abs(grid.xll - dem.xll) > tolerance ||
    Math.abs(grid.yll - dem.yll) > tolerance
  ) {
    throw new FloodInputError(
      file,
      `is ${grid.ncols} × ${grid.nrows} cells of ${grid.cellSize} m at (${grid.xll}, ${grid.yll}); the DEM is ${dem.ncols} × ${dem.nrows} of ${dem.cellSize} m at (${dem.xll}, ${dem.yll})`,
    );
  }
  return grid;
}

export async function readSeriesCsv(file: string, bounds: SeriesBounds): Promise<TimeSeries> {
  return parseTimeSeriesCsv((await checkedBytes(file)).toString('utf8'), file, bounds);
}
