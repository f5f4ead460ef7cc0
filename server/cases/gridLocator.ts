/**
 * Finds the unit grid cell (14-digit code) a point falls in, from the twin's
 * layers/grid-cells.geojson. Pure: built from the parsed GeoJSON.
 *
 * Cells are bucketed by their bounding boxes on a coarse lon/lat raster so a look-up tests only
 * the few cells near the point (a city has tens of thousands of 100 m cells).
 */
import { pointInRings } from '../../kernel/geodesy';

type Ring = ReadonlyArray<readonly [number, number]>;

interface Cell {
  code: string;
  /** Polygons, each outer ring then holes. */
  polygons: Ring[][];
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Bucket size in degrees: about 1 km, several 100 m cells per bucket. */
const BUCKET_DEG = 0.01;

export class GridLocator {
  private readonly buckets = new Map<string, Cell[]>();
  readonly size: number;

  /** Throws a RangeError naming the feature when the GeoJSON is not a collection of coded polygons. */
  constructor(geojson: unknown) {
    const features = isObject(geojson) && Array.isArray(geojson.features) ? geojson.features : undefined;
    if (!features) throw new RangeError('grid cells: expected a GeoJSON FeatureCollection');
    let size = 0;
    features.forEach((feature: unknown, i: number) => {
      const cell = toCell(feature, i);
      if (!cell) return;
      size += 1;
      for (let bx = bucketOf(cell.west); bx <= bucketOf(cell.east); bx++) {
        for (let by = bucketOf(cell.south); by <= bucketOf(cell.north); by++) {
          const key = `${bx}:${by}`;
          const list = this.buckets.get(key);
          if (list) list.push(cell);
          else this.buckets.set(key, [cell]);
        }
      }
    });
    this.size = size;
  }

  /** The code of the cell containing (lon, lat), or undefined outside every cell. */
  locate(lon: number, lat: number): string | undefined {
    const cells = this.buckets.get(`${bucketOf(lon)}:${bucketOf(lat)}`);
    if (!cells) return undefined;
    for (const cell of cells) {
      if (lon < cell.west || lon > cell.east || lat < cell.south || lat > cell.north) continue;
      if (cell.polygons.some((rings) => pointInRings(lon, lat, rings))) return cell.code;
    }
    return undefined;
  }
}

function bucketOf(deg: number): number {
  return Math.floor(deg / BUCKET_DEG);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toCell(feature: unknown, index: number): Cell | undefined {
  if (!isObject(feature) || !isObject(feature.geometry) || !isObject(feature.properties)) {
    throw new RangeError(`grid cells: feature ${index} has no geometry or properties`);
  }
  const code = feature.properties.code;
  if (typeof code !== 'string' || !/^\d{14}$/.test(code)) throw new RangeError(`grid cells: feature ${index} "code" must be 14 digits`);
  const { type, coordinates } = feature.geometry;
  const polygons = (type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? coordinates : undefined) as Ring[][] | undefined;
  if (!Array.isArray(polygons)) throw new RangeError(`grid cells: feature ${index} (${code}) must be a Polygon or MultiPolygon`);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const rings of polygons) {
    const outer = Array.isArray(rings) ? rings[0] : undefined;
    if (!Array.isArray(outer) || outer.length < 4) throw new RangeError(`grid cells: feature ${index} (${code}) has a ring of fewer than 4 positions`);
    for (const p of outer) {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
        throw new RangeError(`grid cells: feature ${index} (${code}) has a position that is not [lon, lat]`);
      }
      west = Math.min(west, p[0]);
      east = Math.max(east, p[0]);
      south = Math.min(south, p[1]);
      north = Math.max(north, p[1]);
    }
  }
  if (!Number.isFinite(west)) return undefined;
  return { code, polygons, west, south, east, north };
}

/** Even-odd ray casting over the outer ring and its holes. */
