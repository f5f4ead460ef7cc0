/**
 * L1 terrain: the DEM as a Cesium quantized-mesh-1.0 tileset (layer.json + {z}/{x}/{y}.terrain)
 * that `CesiumTerrainProvider.fromUrl(<twin>/terrain/, { requestVertexNormals: true,
 * requestWaterMask: true })` loads from any static file server.
 *
 * Off the DEM the surface falls from the edge heights to 0 over `edgeFalloffM` (a shore, not a
 * cliff at the district's edge). Every level from 0 to maxLevel holds the tiles that overlap the
 * DEM widened by that distance (level 0 holds both world tiles), so the slope is drawn at full
 * detail rather than upsampled from coarse parents; layer.json's `available` lists exactly those,
 * so Cesium fills the rest of the globe by upsampling their parents instead of requesting files
 * that do not exist. Files are written uncompressed; the server picks the content type.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeoBounds } from '../../../domain/twinPackage';
import type { Grid } from '../../../kernel/raster/grid';
import type { WaterCollection } from '../geojson';
import { DemSampler } from './demSampler';
import { encodeQuantizedMesh } from './quantizedMesh';
import { TileMeshBuilder, prepareWater, type TileStats } from './tileMesh';
import { MAX_SUPPORTED_LEVEL, defaultMaxLevel, rangeTileCount, tileRangeForBounds, type TileRange } from './tilingScheme';

export interface TerrainOptions {
  /** DEM in a projected CRS (e.g. EPSG:4547). */
  dem: Grid;
  demCrs: string;
  /** Water bodies in WGS84 lon/lat: sea raises the surface to 0 and all kinds go in the water mask. */
  water: WaterCollection;
  /** e.g. <twin>/terrain; receives layer.json and {z}/{x}/{y}.terrain. */
  outDir: string;
  /** Default: the first level whose 65 × 65 vertex spacing is no coarser than the DEM cell. */
  maxLevel?: number;
  /**
   * Distance beyond the DEM's edge over which the surface falls smoothly from the edge heights to
   * 0 (the ellipsoid, where the rest of the globe is), metres. Default DEFAULT_EDGE_FALLOFF_M;
   * 0 gives a cliff. Tiles cover the widened extent, so their count grows with (side + 2 × falloff)².
   */
  edgeFalloffM?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface TerrainResult {
  tiles: number;
  maxLevel: number;
  /** The level the DEM's cell size asked for, where MAX_TERRAIN_TILES made the build stop above it. */
  cappedFrom?: number;
  /** Range of the terrain surface over the DEM (sea raised to 0), metres above the ellipsoid. */
  minHeight: number;
  maxHeight: number;
  /** Lon/lat box of the DEM's extent. */
  bounds: GeoBounds;
}

export const TERRAIN_LAYER_FILE = 'layer.json';
/** Wide enough that a 15 m edge slopes at 1.5 % at most (smoothstep's steepest is 1.5 × height / distance). */
export const DEFAULT_EDGE_FALLOFF_M = 1_500;
export const TERRAIN_EXTENSIONS = ['octvertexnormals', 'watermask'] as const;

/** The layer.json fields this builder writes (quantized-mesh SPECIFICATION.md, layer.schema.json). */
export interface TerrainLayerJson {
  tilejson: string;
  name: string;
  description: string;
  version: string;
  format: 'quantized-mesh-1.0';
  attribution: string;
  scheme: 'tms';
  tiles: string[];
  projection: 'EPSG:4326';
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  available: TileRange[][];
  extensions: string[];
}

/**
 * Most tiles one terrain build writes (about 2–4 GB of files): where the DEM's cell size asks for
 * a level whose tiles over the DEM's extent would pass it, the default level stops one short
 * enough to fit, and an explicit maxLevel that passes it is refused.
 */
export const MAX_TERRAIN_TILES = 250_000;

/** Tile writes kept in flight at once: enough to overlap encoding with I/O, few enough to bound memory. */
const WRITES_IN_FLIGHT = 16;

export async function buildTerrain(opts: TerrainOptions): Promise<TerrainResult> {
  const edgeFalloffM = opts.edgeFalloffM ?? DEFAULT_EDGE_FALLOFF_M;
  const sampler = new DemSampler(opts.dem, opts.demCrs, { edgeFalloffM });
  const bounds = sampler.bounds;
  // Chosen in metres: a lon/lat DEM's 0.00083° cell is ~90 m, not 0.00083 m.
  const wanted = opts.maxLevel ?? defaultMaxLevel(sampler.cellSizeM, (bounds.south + bounds.north) / 2);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > MAX_SUPPORTED_LEVEL) {
    throw new Error(`maxLevel must be an integer from 0 to ${MAX_SUPPORTED_LEVEL}, got ${wanted}`);
  }
  // Bounded by the data's extent: the levels' tile counts over it must fit MAX_TERRAIN_TILES.
  const ranges: TileRange[] = [];
  let total = 0;
  for (let level = 0; level <= wanted; level++) {
    const range = tileRangeForBounds(level, sampler.outerBounds);
    if (total + rangeTileCount(range) > MAX_TERRAIN_TILES) {
      if (opts.maxLevel !== undefined) {
        throw new Error(`terrain: level ${opts.maxLevel} would write over ${MAX_TERRAIN_TILES} tiles (the limit MAX_TERRAIN_TILES) over this DEM's extent; choose a lower maxLevel`);
      }
      break;
    }
    ranges.push(range);
    total += rangeTileCount(range);
  }
  const maxLevel = ranges.length - 1;
  const cappedFrom = maxLevel < wanted ? wanted : undefined;

  const builder = new TileMeshBuilder(sampler, prepareWater(opts.water));
  const stats: TileStats = { demMin: 0, demMax: 0 };
  // The version is a digest of every tile, so `?v={version}` changes exactly when a tile does.
  const digest = createHash('sha256');
  let minHeight = Infinity;
  let maxHeight = -Infinity;
  let done = 0;
  let pending: Promise<void>[] = [];

  await mkdir(opts.outDir, { recursive: true });
  for (let level = 0; level <= maxLevel; level++) {
    const r = ranges[level]!;
    for (let x = r.startX; x <= r.endX; x++) {
      const dir = join(opts.outDir, String(level), String(x));
      await mkdir(dir, { recursive: true });
      for (let y = r.startY; y <= r.endY; y++) {
        const bytes = encodeQuantizedMesh(builder.build(level, x, y, stats));
        if (stats.demMin < minHeight) minHeight = stats.demMin;
        if (stats.demMax > maxHeight) maxHeight = stats.demMax;
        digest.update(`${level}/${x}/${y}:${bytes.length}\n`);
        digest.update(bytes);
        pending.push(writeFile(join(dir, `${y}.terrain`), bytes));
        if (pending.length >= WRITES_IN_FLIGHT) {
          await Promise.all(pending);
          pending = [];
        }
        opts.onProgress?.(++done, total);
      }
    }
  }
  await Promise.all(pending);

  const layer: TerrainLayerJson = {
    tilejson: '2.1.0',
    name: 'citytwin terrain',
    description: `District DEM as quantized-mesh-1.0; outside the DEM its edge falls to the WGS84 ellipsoid over ${edgeFalloffM} m.`,
    version: `1.0.0-${digest.digest('hex').slice(0, 12)}`,
    format: 'quantized-mesh-1.0',
    attribution: '',
    scheme: 'tms',
    tiles: ['{z}/{x}/{y}.terrain?v={version}'],
    projection: 'EPSG:4326',
    bounds: [bounds.west, bounds.south, bounds.east, bounds.north],
    minzoom: 0,
    maxzoom: maxLevel,
    available: ranges.map((range) => [range]),
    extensions: [...TERRAIN_EXTENSIONS],
  };
  await writeFile(join(opts.outDir, TERRAIN_LAYER_FILE), JSON.stringify(layer, null, 2) + '\n');

  const onDem = minHeight <= maxHeight;
  return {
    tiles: total,
    maxLevel,
    ...(cappedFrom !== undefined ? { cappedFrom } : {}),
    minHeight: onDem ? minHeight : 0,
    maxHeight: onDem ? maxHeight : 0,
    bounds: { ...bounds },
  };
}

/** Lon/lat box of the DEM's extent: `buildTerrain`'s `bounds`, without building the terrain. */
export function terrainBounds(dem: Grid, demCrs: string): GeoBounds {
  return { ...new DemSampler(dem, demCrs).bounds };
}

/**
 * DEM height at a WGS84 point (bilinear, metres), NaN outside the DEM. Builds the projection
 * lattice once; each call is then a few multiplications, no proj4.
 */
export function sampleTerrainHeight(dem: Grid, demCrs: string): (lon: number, lat: number) => number {
  const sampler = new DemSampler(dem, demCrs);
  return (lon, lat) => sampler.sample(lon, lat);
}
