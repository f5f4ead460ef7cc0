/**
 * Point rows from a CSV file read with loaders.gl's CSVLoader (RFC 4180; header row required).
 * Positions come from `lon`/`lat` columns (also `lng`, `longitude`, `latitude`, `经度`, `纬度`),
 * WGS84; or from `x`/`y` columns (also `easting`/`northing`) in the CRS of the row's `crs` column,
 * else `--crs`. Every value stays text, so 16-digit codes keep all their digits.
 */
import { readCsvRows } from '../source/csvRows';
import { describeKnownCrs, isKnownCrs, normaliseCrs } from '../../kernel/crs/crs';
import type { RawPoint } from './componentPoints';
import { firstPresent } from './importedLayer';

const LON_KEYS = ['lon', 'lng', 'longitude', 'LON', 'Longitude', '经度'];
const LAT_KEYS = ['lat', 'latitude', 'LAT', 'Latitude', '纬度'];
const X_KEYS = ['x', 'X', 'easting'];
const Y_KEYS = ['y', 'Y', 'northing'];

export interface CsvPoints {
  /** The CRS most rows are in (for the report); rows carry their own. */
  crs: string;
  points: RawPoint[];
}

export async function readCsvPoints(fullPath: string, file: string, crsOverride?: string): Promise<CsvPoints> {
  const rows = await readCsvRows(fullPath, file);
  const columns = new Set(rows.flatMap((r) => Object.keys(r)));
  const has = (keys: string[]): boolean => keys.some((k) => columns.has(k));
  const geographic = has(LON_KEYS) && has(LAT_KEYS);
  if (!geographic && !(has(X_KEYS) && has(Y_KEYS))) {
    throw new Error(`${file}: needs lon and lat columns, or x and y columns with a crs column or --crs`);
  }
  const override = crsOverride === undefined ? undefined : checkedCrs(crsOverride, '--crs');
  if (!geographic && override === undefined && !columns.has('crs')) throw new Error(`${file}: x/y columns need a crs column or --crs EPSG:n`);
  const points = rows.map((row, i): RawPoint => {
    const x = firstPresent(row, geographic ? LON_KEYS : X_KEYS)?.value;
    const y = firstPresent(row, geographic ? LAT_KEYS : Y_KEYS)?.value;
    const geometry = { type: 'Point', coordinates: [toNumber(x), toNumber(y)] };
    if (geographic) return { properties: row, geometry, crs: 'EPSG:4326' };
    const rowCrs = typeof row.crs === 'string' && row.crs.trim() !== '' ? row.crs : undefined;
    const crs = rowCrs !== undefined ? normaliseCrs(rowCrs) : override;
    if (crs === undefined || !isKnownCrs(crs)) {
      return { properties: row, geometry, crs: 'EPSG:4326', malformed: `row ${i + 2}: unknown CRS "${rowCrs ?? ''}"` };
    }
    return { properties: row, geometry, crs };
  });
  return { crs: geographic ? 'EPSG:4326' : (override ?? points.find((p) => p.malformed === undefined)?.crs ?? 'EPSG:4326'), points };
}

function toNumber(v: unknown): number {
  return typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
}

function checkedCrs(crs: string, where: string): string {
  const code = normaliseCrs(crs);
  if (!code || !isKnownCrs(code)) throw new Error(`${where}: unknown CRS "${crs}" (known: ${describeKnownCrs()})`);
  return code;
}
