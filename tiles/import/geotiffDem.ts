/**
 * A DEM from a GeoTIFF (OGC GeoTIFF 1.1 / GeoTIFF 1.0 revision 1.8.2) read with the `geotiff`
 * package: one band; georeferencing from ModelTiepoint + ModelPixelScale (rotated
 * ModelTransformation rasters are refused); the CRS from ProjectedCSTypeGeoKey or
 * GeographicTypeGeoKey (or `--crs` where the file has neither); no-data from GDAL_NODATA, and
 * non-finite samples, as NaN. PixelIsPoint rasters (GTRasterTypeGeoKey = 2) have their tie point
 * on a cell centre, so the grid's corner is half a cell further out.
 */
import { geoTiffPlacement, openGeoTiff, readGeoTiffBand } from '../../kernel/raster/geoTiff';
import { MAX_GRID_CELLS, resampleToSquare, type Grid } from '../../kernel/raster/grid';
import { readBoundedBytes } from '../source/boundedFile';
import { describeKnownCrs, isKnownCrs, normaliseCrs } from '../../kernel/crs/crs';

export interface ImportedDem {
  file: string;
  crs: string;
  grid: Grid;
  /** What the import changed, for the build's notes (e.g. cells resampled to square). */
  notes?: string[];
}

/** Pixel sizes may differ by this fraction and still count as square (float rounding in writers). */
const SQUARE_TOLERANCE = 1e-6;
/**
 * Pixels up to this fraction off square (a writer that rounded the pixel size, or a grid made
 * square in another CRS: 0.14 % was seen in a city's DEM) are resampled to square cells; beyond
 * it the raster is refused, since resampling would then change what the data says.
 */
export const NEAR_SQUARE_TOLERANCE = 0.01;
const PIXEL_IS_POINT = 2;
/** GeoKey value meaning "user-defined": the CRS is spelled out in other keys, not an EPSG code. */
const USER_DEFINED = 32767;

export async function importGeoTiffDem(fullPath: string, file: string, crsOverride?: string): Promise<ImportedDem> {
  return parseGeoTiffDem(await readBoundedBytes(fullPath, file), file, crsOverride);
}

export async function parseGeoTiffDem(bytes: ArrayBuffer, file: string, crsOverride?: string): Promise<ImportedDem> {
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  const image = await openGeoTiff(bytes, fail);
  if (image.getSamplesPerPixel() !== 1) fail(`has ${image.getSamplesPerPixel()} bands; a DEM needs exactly one`);
  const ncols = image.getWidth();
  const nrows = image.getHeight();
  if (ncols < 2 || nrows < 2) fail(`${ncols} × ${nrows} pixels; a DEM needs at least 2 × 2`);
  if (ncols * nrows > MAX_GRID_CELLS) fail(`${ncols} × ${nrows} pixels is over the limit of ${MAX_GRID_CELLS}`);

  const directory = image.fileDirectory as unknown as Record<string, unknown>;
  if (directory.ModelTransformation !== undefined && directory.ModelPixelScale === undefined) {
    fail('is georeferenced by a ModelTransformation (possibly rotated); warp it to a north-up grid first (gdalwarp)');
  }
  const { originX, originY, cellX, cellY } = geoTiffPlacement(image, fail);
  if (!(cellX > 0) || !(cellY < 0)) fail(`pixel scale ${cellX} × ${-cellY} is not a north-up grid with positive cell size`);
  const offSquare = Math.abs(cellX + cellY) / cellX;
  if (offSquare > NEAR_SQUARE_TOLERANCE) {
    fail(`pixels are ${cellX} × ${-cellY}, ${(offSquare * 100).toFixed(2)} % off square (over ${NEAR_SQUARE_TOLERANCE * 100} %); resample to square cells first (gdalwarp -tr)`);
  }

  const geoKeys = (image.getGeoKeys() ?? {}) as Record<string, unknown>;
  const crs = demCrs(file, geoKeys, crsOverride);
  const pixelIsPoint = geoKeys.GTRasterTypeGeoKey === PIXEL_IS_POINT;
  const xll = originX - (pixelIsPoint ? cellX / 2 : 0);
  const yll = originY + (pixelIsPoint ? -cellY / 2 : 0) + nrows * cellY;

  const { values, valid } = await readGeoTiffBand(image);
  if (valid === 0) fail('every cell is no-data');
  if (offSquare <= SQUARE_TOLERANCE) return { file, crs, grid: { ncols, nrows, xll, yll, cellSize: cellX, values }, notes: [] };
  const grid = resampleToSquare(values, ncols, nrows, xll, yll, cellX, -cellY);
  const note = `${file}: pixels are ${cellX} × ${-cellY} (${(offSquare * 100).toFixed(2)} % off square); resampled to ${grid.ncols} × ${grid.nrows} square cells of ${grid.cellSize}`;
  return { file, crs, grid, notes: [note] };
}

function demCrs(file: string, geoKeys: Record<string, unknown>, override: string | undefined): string {
  const code = [geoKeys.ProjectedCSTypeGeoKey, geoKeys.GeographicTypeGeoKey].find(
    (k): k is number => typeof k === 'number' && k !== USER_DEFINED,
  );
  if (code !== undefined && isKnownCrs(`EPSG:${code}`)) return `EPSG:${code}`;
  if (override !== undefined) {
    const normalised = normaliseCrs(override);
    if (!normalised || !isKnownCrs(normalised)) throw new Error(`--crs: unknown CRS "${override}" (known: ${describeKnownCrs()})`);
    return normalised;
  }
  if (code !== undefined) throw new Error(`${file}: unknown CRS EPSG:${code} (known: ${describeKnownCrs()}); give the CRS with --crs EPSG:n`);
  throw new Error(`${file}: names no EPSG code in its GeoKeys; give the CRS with --crs EPSG:n`);
}
