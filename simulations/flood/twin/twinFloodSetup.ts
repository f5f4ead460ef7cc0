/**
 * A flood problem on a twin package: the DEM (coarsened to a cell budget), building footprints
 * from the L2 tiles as obstacles, Manning's n from land use, the sea and river filled to mean sea
 * level; edges touching the sea held at mean sea level, the others free outflow, unless the
 * caller sets a boundary. Reads the package's
 * files; the rasterising is in twinGrid.ts and buildingFootprints.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ecefToGeodetic, EnuFrame } from '../../../kernel/geodesy';
import type { LanduseKind, WaterKind } from '../../../domain/citySource';
import type { TwinManifest } from '../../../domain/twinPackage';
import { parseAsciiGrid } from '../../../kernel/raster/asciiGrid';
import type { Grid } from '../../../kernel/raster/grid';
import { crsTransform, defineCrsFromWkt, isKnownCrs, type CrsTransform } from '../../../kernel/crs/crs';
import type { RainSpec } from '../designStorm';
import { DEFAULT_SETTINGS, EDGES, type BoundarySpec, type Edge, type FloodProblem, type PointInflow } from '../floodProblem';
import { constantSeries, type TimeSeries } from '../timeSeries';
import { rasteriseBuildingTiles, type FootprintRaster, type GroundGrid } from './buildingFootprints';
import { affineFromSamples, cellOf, coarsenToBudget, forCellsInPolygon } from './twinGrid';
import { demGround } from '../demGround';

/** Manning's n for paved urban ground (streets, yards) where no land use is mapped. */
export const URBAN_MANNING_N = 0.02;
/** Manning's n by land-use kind (Chow 1959 open-channel tables, floodplain values). */
export const MANNING_BY_LANDUSE: Record<LanduseKind, number> = {
  park: 0.05,
  beach: 0.03,
  plaza: 0.015,
  'industrial-yard': 0.02,
  campus: 0.035,
};
export const WATER_MANNING_N = 0.025;
/** Level the sea and river start at, m (the DEM's datum). */
export const MEAN_SEA_LEVEL_M = 0;

export interface TwinInflow {
  lon: number;
  lat: number;
  dischargeM3s: TimeSeries;
}

export interface TwinFloodOptions {
  maxCells: number;
  durationS: number;
  snapshotTimesS: number[];
  rain: RainSpec;
  drainageMmPerHour: number;
  inflows: TwinInflow[];
  /** Edges not given are free outflow (the district continues beyond its DEM). */
  boundaries: Partial<Record<Edge, BoundarySpec>>;
}

export interface TwinFloodSetup {
  problem: FloodProblem;
  grid: GroundGrid;
  crs: CrsTransform;
  footprints: FootprintRaster;
  /** The DEM's cell size before coarsening, m. */
  sourceCellSizeM: number;
}

/** Cells along one edge of the grid. */
function edgeCells(grid: GroundGrid, edge: Edge): number[] {
  const { ncols, nrows } = grid;
  if (edge === 'west' || edge === 'east') return Array.from({ length: nrows }, (_, r) => r * ncols + (edge === 'west' ? 0 : ncols - 1));
  return Array.from({ length: ncols }, (_, c) => (edge === 'north' ? 0 : (nrows - 1) * ncols) + c);
}

interface Feature<G> {
  geometry: G;
  properties: Record<string, unknown>;
}
type PolygonGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

async function readJson<T>(dir: string, file: string): Promise<T> {
  const full = path.join(dir, file);
  try {
    return JSON.parse(await readFile(full, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${file}: cannot read the twin's file (${(err as Error).message})`);
  }
}

function polygons(geometry: PolygonGeometry): number[][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
}

/** Every content uri of a 3D Tiles tileset, depth first. */
function tileContents(tile: { content?: { uri?: string }; children?: unknown[] }, out: string[]): string[] {
  if (tile.content?.uri) out.push(tile.content.uri);
  for (const child of (tile.children ?? []) as Array<typeof tile>) tileContents(child, out);
  return out;
}

async function buildingFootprints(dir: string, manifest: TwinManifest, grid: GroundGrid, crs: CrsTransform): Promise<FootprintRaster> {
  const tilesetFile = manifest.files.buildingsTileset;
  const tileset = await readJson<{ root: { transform?: number[]; content?: { uri?: string }; children?: unknown[] } }>(dir, tilesetFile);
  const m = tileset.root.transform;
  if (!m || m.length !== 16) throw new Error(`${tilesetFile}: the root has no ENU transform`);
  const origin = ecefToGeodetic(m[12]!, m[13]!, m[14]!);
  const frame = new EnuFrame(origin.lon, origin.lat, origin.height);
  const project = (e: number, n: number): [number, number] => {
    const p = frame.toEcef(e, n, 0);
    const g = ecefToGeodetic(p[0], p[1], p[2]);
    return crs.fromLonLat(g.lon, g.lat);
  };
  const toGrid = affineFromSamples(project(0, 0), project(1000, 0), project(0, 1000));
  const base = path.dirname(path.join(dir, tilesetFile));
  const tiles: Array<{ bytes: Uint8Array; source: string }> = [];
  for (const uri of tileContents(tileset.root, [])) {
    const full = path.join(base, uri);
    tiles.push({ bytes: new Uint8Array(await readFile(full)), source: path.relative(dir, full) });
  }
  return rasteriseBuildingTiles(tiles, grid, toGrid);
}

/** The DEM's CRS; one defined from a file's WKT at build time ("WKT:…", or a code not built in) is defined again from the .prj written beside the grid. */
export async function knownDemCrs(dir: string, dem: { grid: string; crs: string }): Promise<string> {
  if (isKnownCrs(dem.crs)) return dem.crs;
  const prj = await readFile(path.join(dir, dem.grid.replace(/\.asc$/, '.prj')), 'utf8').catch(() => undefined);
  return (prj !== undefined ? defineCrsFromWkt(prj, /^EPSG:\d+$/.test(dem.crs) ? dem.crs : undefined) : undefined) ?? dem.crs;
}

export async function twinFloodSetup(dir: string, manifest: TwinManifest, options: TwinFloodOptions): Promise<TwinFloodSetup> {
  const files = manifest.files;
  if (!files.dem) throw new Error('twin.json: this twin package has no DEM (files.dem); rebuild it with `citytwin tiles build`');
  const demText = await readFile(path.join(dir, files.dem.grid), 'utf8');
  const source: Grid = parseAsciiGrid(demText, files.dem.grid);
  const dem = coarsenToBudget(source, options.maxCells);
  const grid: GroundGrid = { ncols: dem.ncols, nrows: dem.nrows, xll: dem.xll, yll: dem.yll, cellSize: dem.cellSize };
  const crs = crsTransform(await knownDemCrs(dir, files.dem));
  const cells = dem.ncols * dem.nrows;
  const { bedM, blocked } = demGround(dem);
  const footprints = await buildingFootprints(dir, manifest, grid, crs);
  for (let i = 0; i < cells; i++) if (footprints.buildingOf[i]! >= 0) blocked[i] = 1;

  const manningN = new Float32Array(cells).fill(URBAN_MANNING_N);
  const toGridRings = (rings: number[][][]): Array<Array<[number, number]>> => rings.map((ring) => ring.map(([lon, lat]) => crs.fromLonLat(lon!, lat!)));
  const landuse = await readJson<{ features: Array<Feature<PolygonGeometry>> }>(dir, files.landuse);
  for (const f of landuse.features) {
    const n = MANNING_BY_LANDUSE[f.properties.kind as LanduseKind];
    if (n === undefined) continue;
    for (const poly of polygons(f.geometry)) forCellsInPolygon(grid, toGridRings(poly), (cell) => (manningN[cell] = n));
  }
  const initialDepthM = new Float64Array(cells);
  const sea = new Uint8Array(cells);
  const water = await readJson<{ features: Array<Feature<PolygonGeometry>> }>(dir, files.water);
  for (const f of water.features) {
    const kind = f.properties.kind as WaterKind;
    if (!(['sea', 'river', 'lake'] as WaterKind[]).includes(kind)) continue;
    for (const poly of polygons(f.geometry)) {
      forCellsInPolygon(grid, toGridRings(poly), (cell) => {
        manningN[cell] = WATER_MANNING_N;
        if (kind === 'sea') sea[cell] = 1;
        if (!blocked[cell]) initialDepthM[cell] = Math.max(MEAN_SEA_LEVEL_M - bedM[cell]!, 0);
      });
    }
  }

  const inflows: PointInflow[] = options.inflows.map((inflow, k) => {
    const [x, y] = crs.fromLonLat(inflow.lon, inflow.lat);
    const at = cellOf(grid, x, y);
    if (!at) throw new Error(`inflows[${k}]: ${inflow.lon}, ${inflow.lat} is outside the DEM`);
    if (blocked[at.row * grid.ncols + at.col]) throw new Error(`inflows[${k}]: ${inflow.lon}, ${inflow.lat} falls on a building`);
    return { ...at, dischargeM3s: inflow.dischargeM3s };
  });
  // An edge that touches the sea holds it at mean sea level (a free edge would drain the sea).
  const boundaries: Partial<Record<Edge, BoundarySpec>> = {};
  for (const edge of EDGES) {
    const touchesSea = edgeCells(grid, edge).some((cell) => sea[cell]);
    boundaries[edge] = options.boundaries[edge] ?? (touchesSea ? { type: 'level', levelM: constantSeries(MEAN_SEA_LEVEL_M) } : { type: 'free' });
  }

  const problem: FloodProblem = {
    grid: { ncols: grid.ncols, nrows: grid.nrows, cellSizeM: grid.cellSize, bedM, blocked, manningN, initialDepthM },
    forcing: { rain: options.rain, drainageMmPerHour: options.drainageMmPerHour, inflows, boundaries },
    settings: { ...DEFAULT_SETTINGS, durationS: options.durationS, snapshotTimesS: options.snapshotTimesS },
  };
  return { problem, grid, crs, footprints, sourceCellSizeM: source.cellSize };
}
