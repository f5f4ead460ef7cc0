/**
 * `citytwin tiles build`: reads a city source folder and writes a twin package
 * (domain/twinPackage.ts): L1 terrain, L2 white models, L3 architecture, L4 components, L5
 * interiors, basemap imagery, vector layers, twin.json and report.json. Stages report progress;
 * output is deterministic for the same input and the same whatever the worker count (only
 * report.json carries timings). With two or more workers the basemap, the longest stage, is drawn
 * on a worker thread while this thread tiles terrain, buildings, components and interiors. The package is built in a sibling folder and renamed over the old one at
 * the end, so a failed or interrupted build never leaves a half-written twin (staging.ts).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ComponentProps, PoleProps } from '../../domain/citySource';
import { EnuFrame } from '../../kernel/geodesy';
import {
  TWIN_FORMAT,
  TWIN_MANIFEST_FILE,
  TWIN_VERSION,
  type BuildReport,
  type GeoBounds,
  type TwinManifest,
} from '../../domain/twinPackage';
import { formatAsciiGrid } from '../../kernel/raster/asciiGrid';
import type { Grid } from '../../kernel/raster/grid';
import { crsWkt } from '../../kernel/crs/crs';
import { readCitySource, type CitySource } from '../source/readCitySource';
import { renderBasemap, type BasemapOptions } from './basemap/index';
import { renderBasemapInWorker } from './basemap/inWorker';
import { buildBuildingTiles, TILESET_FILE } from './buildings/index';
import { buildComponentTiles, COMPONENTS_TILESET_FILE } from './components/index';
import { componentInstances } from './components/instances';
import { attachBimShells, buildInteriors, DEFAULT_INTERIOR_FLOORS, INTERIOR_PLANS_FILE, INTERIORS_DIR, INTERIORS_TEMPLATE } from './interiors/index';
import type { LanduseCollection, RoadCollection, WaterCollection } from './geojson';
import { placeBuildings, placePoints, roundCm, type HeightSampler, type PlacedBuilding, type PlacedPoint } from './ground';
import {
  LAYER_FILES,
  buildingRecords,
  componentRecords,
  featureCollection,
  layerPresent,
  poleRecords,
  resourceRecords,
  terminalRecords,
  writeLayers,
} from './layers';
import { buildPipeTiles, PIPES_DIR, PIPES_TILESET_FILE } from './pipes/index';
import { pipeFeatures, pipeRecords } from './pipes/pipeFeatures';
import { buildTerrain, sampleTerrainHeight, terrainBounds } from './terrain/index';
import { BuildGuard, defaultMaxBuildMemoryBytes, type BuildLimits } from './buildGuard';
import { MIN_FREE_DISK_BYTES, removeOnSignals, stagingDir, swapIn } from './staging';

export interface BuildOptions {
  /** A city source folder to read; not needed when `source` is given. */
  sourceDir?: string;
  /** An already-read source (e.g. assembled by tiles/import from single layer files). */
  source?: CitySource;
  outDir: string;
  /** Longer side of the basemap image in pixels (default 4096). */
  basemapPx?: number;
  /** Most buildings in one tile (quadtree leaf), default 400. */
  buildingsPerTile?: number;
  /** Most component instances in one tile, default 4096. */
  componentsPerTile?: number;
  /** Storeys of L5 interiors written as files (default 2,000; 0 writes none; the rest are made on demand from plans.json). */
  interiorFloors?: number;
  /**
   * Threads the build may use (default `defaultBuildWorkers()`): 1 runs every stage on this
   * thread, one after another; 2 or more draw the basemap on a worker thread meanwhile. The
   * package is byte for byte the same either way.
   */
  workers?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Bounds on the whole build's memory and disk (buildGuard.ts); defaults: 60 % of memory up to 16 GiB, 256 MiB left free. */
  limits?: Partial<BuildLimits>;
}

/** The most threads a build uses: this one and the basemap's worker. */
export const MAX_BUILD_WORKERS = 2;

/** The machine's cores, capped at MAX_BUILD_WORKERS. */
export function defaultBuildWorkers(): number {
  return Math.max(1, Math.min(MAX_BUILD_WORKERS, availableParallelism()));
}

export const REPORT_FILE = 'report.json';
const BUILDINGS_DIR = 'buildings';
const ARCHITECTURE_DIR = 'architecture';
const COMPONENTS_DIR = 'components';
const TERRAIN_DIR = 'terrain';
const BASEMAP_FILE = 'imagery/basemap.png';
/** What a package folder holds; a rebuild replaces these and leaves anything else alone. */
const PACKAGE_ENTRIES = [TWIN_MANIFEST_FILE, REPORT_FILE, BUILDINGS_DIR, ARCHITECTURE_DIR, COMPONENTS_DIR, PIPES_DIR, INTERIORS_DIR, TERRAIN_DIR, 'imagery', 'layers', 'dem'];

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Builds the twin package; returns the report also written to report.json. */
export async function buildTwin(opts: BuildOptions): Promise<BuildReport> {
  const progress = opts.onProgress ?? (() => undefined);
  const workers = opts.workers ?? defaultBuildWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be an integer ≥ 1, got ${workers}`);
  const limits: BuildLimits = {
    maxMemoryBytes: opts.limits?.maxMemoryBytes ?? defaultMaxBuildMemoryBytes(),
    minFreeDiskBytes: opts.limits?.minFreeDiskBytes ?? MIN_FREE_DISK_BYTES,
  };
  const timingsS: Record<string, number> = {};
  const started = performance.now();
  let guard: BuildGuard | undefined;
  const timed = async <T>(stage: string, run: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const result = await run();
    timingsS[stage] = round3((performance.now() - t0) / 1000);
    guard?.check();
    return result;
  };

  const source =
    opts.source ??
    (await timed('read', () => {
      if (opts.sourceDir === undefined) throw new Error('buildTwin: give sourceDir or source');
      return readCitySource(opts.sourceDir, progress);
    }));
  const finalDir = opts.outDir;
  await checkOutDir(finalDir);
  const out = await stagingDir(finalDir, limits.minFreeDiskBytes);
  const keepOnSignals = removeOnSignals(out);
  guard = new BuildGuard(out, limits);
  const activeGuard = guard;
  // Every progress report is where a crossed limit stops the build.
  const guardedProgress: typeof progress = (stage, done, total) => {
    activeGuard.check();
    progress(stage, done, total);
  };
  try {
    await activeGuard.sample();
    activeGuard.check();
    const report = await writePackage({ ...opts, workers }, source, out, timed, guardedProgress, started, timingsS);
    await swapIn(out, finalDir, PACKAGE_ENTRIES);
    return report;
  } catch (err) {
    await rm(out, { recursive: true, force: true });
    throw err;
  } finally {
    activeGuard.stop();
    keepOnSignals();
  }
}

type Timed = <T>(stage: string, run: () => Promise<T> | T) => Promise<T>;

/** Writes every part of the package into `out` (the staging folder). */
async function writePackage(
  opts: BuildOptions,
  source: CitySource,
  out: string,
  timed: Timed,
  progress: NonNullable<BuildOptions['onProgress']>,
  started: number,
  timingsS: Record<string, number>,
): Promise<BuildReport> {

  let sample: HeightSampler = () => Number.NaN;
  const ground = await timed('ground', () => {
    sample = sampleTerrainHeight(source.dem, source.demCrs);
    const placed = placeOnGround(source, sample);
    attachBimShells(placed.buildings, source.bim);
    return placed;
  });
  progress('ground', 1, 1);

  const water = featureCollection(source.water);
  const roads = featureCollection(source.roads);
  const landuse = featureCollection(source.landuse);
  const bounds = terrainBounds(source.dem, source.demCrs);
  const basemapSize = basemapPixels(bounds, opts.basemapPx ?? 4096);
  const basemap: BasemapOptions = {
    bounds,
    widthPx: basemapSize.width,
    heightPx: basemapSize.height,
    dem: source.dem,
    demCrs: source.demCrs,
    water,
    landuse,
    roads,
    // Footprints only: the basemap draws their shape, and a worker is sent less.
    buildings: { type: 'FeatureCollection', features: ground.buildings.map((b) => ({ type: 'Feature', geometry: b.geometry, properties: null })) },
    outFile: path.join(out, BASEMAP_FILE),
  };
  const drawBasemap = (inWorker: boolean) =>
    timed('basemap', async () => {
      await mkdir(path.join(out, path.dirname(BASEMAP_FILE)), { recursive: true });
      await (inWorker ? renderBasemapInWorker(basemap) : renderBasemap(basemap));
      progress('basemap', 1, 1);
    });
  // Started now on its own thread, awaited after the tiles; a failure here waits for it to end
  // so that nothing writes into the staging folder once it is removed.
  const basemapDrawn = opts.workers === 1 ? undefined : drawBasemap(true);
  basemapDrawn?.catch(() => undefined);
  try {
    return await writeTiled(opts, source, out, timed, progress, started, timingsS, { ground, sample, water, roads, landuse }, async () => {
      await (basemapDrawn ?? drawBasemap(false));
    });
  } catch (err) {
    await basemapDrawn?.catch(() => undefined);
    throw err;
  }
}

interface Prepared {
  ground: Grounded;
  sample: HeightSampler;
  water: WaterCollection;
  roads: RoadCollection;
  landuse: LanduseCollection;
}

/** The stages after placement: tiles on this thread, then the basemap (`finishBasemap`), layers and manifests. */
async function writeTiled(
  opts: BuildOptions,
  source: CitySource,
  out: string,
  timed: Timed,
  progress: NonNullable<BuildOptions['onProgress']>,
  started: number,
  timingsS: Record<string, number>,
  prepared: Prepared,
  finishBasemap: () => Promise<void>,
): Promise<BuildReport> {
  const { ground, sample, water, roads, landuse } = prepared;
  const terrain = await timed('terrain', () =>
    buildTerrain({
      dem: source.dem,
      demCrs: source.demCrs,
      water,
      outDir: path.join(out, TERRAIN_DIR),
      onProgress: (done: number, total: number) => progress('terrain', done, total),
    }),
  );

  const bounds = terrain.bounds;
  const center = packageCenter(bounds, sample, terrain);
  const frame = new EnuFrame(center.lon, center.lat, center.height);
  const tiles = await timed('buildings', () =>
    buildBuildingTiles({
      buildings: ground.buildings,
      frame,
      outDir: path.join(out, BUILDINGS_DIR),
      architectureDir: path.join(out, ARCHITECTURE_DIR),
      maxPerTile: opts.buildingsPerTile,
      onProgress: (done, total) => progress('buildings', done, total),
    }),
  );

  const components = await timed('components', () =>
    buildComponentTiles({
      instances: componentInstances({
        poles: ground.poles,
        components: ground.components,
        // Signals off the DEM are still listed in the layers; they only go without a model.
        signals: placePoints(source.signals, sample, undefined, (p) => p.id),
        terminals: ground.terminals,
        roads: source.roads,
        componentClasses: source.componentClasses,
      }),
      frame,
      outDir: path.join(out, COMPONENTS_DIR),
      maxPerTile: opts.componentsPerTile,
      onProgress: (done, total) => progress('components', done, total),
    }),
  );
  const underground = pipeFeatures(source, sample);
  const pipes =
    underground.length === 0
      ? undefined
      : await timed('pipes', () =>
          buildPipeTiles({ features: underground, frame, outDir: path.join(out, PIPES_DIR), onProgress: (done, total) => progress('pipes', done, total) }),
        );
  const interiors = await timed('interiors', () =>
    buildInteriors(ground.buildings, out, opts.interiorFloors ?? DEFAULT_INTERIOR_FLOORS, (done, total) => progress('interiors', done, total), source.bim),
  );

  await finishBasemap();

  const contents = {
    buildings: buildingRecords(ground.buildings, interiors.available),
    poles: poleRecords(ground.poles, ground.terminals),
    terminals: terminalRecords(ground.terminals),
    components: componentRecords(ground.components),
    departments: source.departments,
    componentClasses: source.componentClasses,
    resources: resourceRecords(source.resources),
    roads,
    signals: featureCollection(source.signals),
    gridCells: featureCollection(source.gridCells),
    water,
    landuse,
    pipes: pipeRecords(underground),
    drainageNodes: featureCollection(source.drainageNodes),
    drainagePipes: featureCollection(source.drainagePipes),
  };
  await timed('dem', () => writeDem(out, source.dem, source.demCrs));
  await timed('layers', () => writeLayers(out, contents, (done, total) => progress('layers', done, total)));

  const written: Record<string, number> = {
    buildings: tiles.written,
    roads: source.roads.length,
    signals: source.signals.length,
    poles: ground.poles.length,
    terminals: ground.terminals.length,
    components: ground.components.length,
    gridCells: source.gridCells.length,
    departments: source.departments.length,
    water: source.water.length,
    landuse: source.landuse.length,
    componentClasses: source.componentClasses.length,
    drainageNodes: source.drainageNodes.length,
    drainagePipes: source.drainagePipes.length,
    utilityLines: contents.pipes.length - source.drainagePipes.length,
    resources: source.resources.length,
  };
  for (const [layer, report] of Object.entries(source.reports)) {
    report.written = written[layer] ?? 0;
    report.rejected.sort((a, b) => a.index - b.index);
  }

  const manifest: TwinManifest = {
    format: TWIN_FORMAT,
    version: TWIN_VERSION,
    name: source.manifest.name,
    countyCode: source.manifest.countyCode,
    ...(source.manifest.generator ? { generator: source.manifest.generator } : {}),
    center,
    bounds,
    terrainHeights: { min: roundCm(terrain.minHeight), max: roundCm(terrain.maxHeight) },
    counts: {
      buildings: tiles.written,
      poles: contents.poles.length,
      terminals: contents.terminals.length,
      components: contents.components.length,
      roads: roads.features.length,
      signals: contents.signals.features.length,
      gridCells: contents.gridCells.features.length,
      departments: contents.departments.length,
      resources: contents.resources.length,
    },
    files: {
      buildingsTileset: `${BUILDINGS_DIR}/${TILESET_FILE}`,
      architectureTileset: `${ARCHITECTURE_DIR}/${TILESET_FILE}`,
      componentsTileset: `${COMPONENTS_DIR}/${COMPONENTS_TILESET_FILE}`,
      interiors: INTERIORS_TEMPLATE,
      interiorPlans: INTERIOR_PLANS_FILE,
      // The Cesium terrain layout's root: CesiumTerrainProvider.fromUrl reads layer.json from it.
      terrain: TERRAIN_DIR,
      basemap: { image: BASEMAP_FILE, bounds },
      buildings: LAYER_FILES.buildings,
      poles: LAYER_FILES.poles,
      terminals: LAYER_FILES.terminals,
      components: LAYER_FILES.components,
      roads: LAYER_FILES.roads,
      signals: LAYER_FILES.signals,
      gridCells: LAYER_FILES.gridCells,
      departments: LAYER_FILES.departments,
      water: LAYER_FILES.water,
      landuse: LAYER_FILES.landuse,
      resources: LAYER_FILES.resources,
      dem: { grid: DEM_FILE, crs: source.demCrs },
      ...(pipes ? { pipesTileset: `${PIPES_DIR}/${PIPES_TILESET_FILE}` } : {}),
      ...(layerPresent(contents, 'pipes') ? { pipes: LAYER_FILES.pipes } : {}),
      ...(layerPresent(contents, 'drainageNodes') ? { drainageNodes: LAYER_FILES.drainageNodes, drainagePipes: LAYER_FILES.drainagePipes } : {}),
    },
  };
  timingsS.total = round3((performance.now() - started) / 1000);
  const report: BuildReport = {
    layers: source.reports,
    timingsS,
    levels: {
      buildings: { contents: tiles.tiles, bytes: tiles.bytes },
      architecture: { contents: tiles.tiles, bytes: tiles.architectureBytes },
      components: { contents: components.tiles, bytes: components.bytes, instances: components.written },
      ...(pipes ? { pipes: { contents: pipes.tiles, bytes: pipes.bytes, features: pipes.written } } : {}),
      interiors: { contents: interiors.written.size, bytes: interiors.bytes + interiors.plansBytes, skipped: interiors.skipped, rooms: interiors.rooms, refused: interiors.refused },
    },
  };
  await writeFile(path.join(out, REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
  // twin.json last: its presence marks a complete package.
  await writeFile(path.join(out, TWIN_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return report;
}

/** The DEM as an ESRI ASCII grid (+ .prj naming its EPSG code) for simulations that need a raster. */
const DEM_FILE = 'dem/dem.asc';

async function writeDem(out: string, dem: Grid, crs: string): Promise<void> {
  await mkdir(path.join(out, 'dem'), { recursive: true });
  await writeFile(path.join(out, DEM_FILE), formatAsciiGrid(dem));
  const wkt = crsWkt(crs);
  if (wkt) await writeFile(path.join(out, DEM_FILE.replace(/\.asc$/, '.prj')), wkt);
}

interface Grounded {
  buildings: PlacedBuilding[];
  poles: Array<PlacedPoint<PoleProps>>;
  components: Array<PlacedPoint<ComponentProps>>;
  terminals: CitySource['terminals'];
}

/** Ground heights for buildings, poles and components; terminals follow their pole. */
function placeOnGround(source: CitySource, sample: HeightSampler): Grounded {
  const r = source.reports;
  const buildings = placeBuildings(source.buildings, sample, r.buildings);
  const poles = placePoints(source.poles, sample, r.poles, (p) => p.id);
  const components = placePoints(source.components, sample, r.components, (p) => p.code);
  const placedPoles = new Set(poles.map((p) => p.properties.id));
  const terminals = source.terminals.filter((t) => {
    if (placedPoles.has(t.properties.poleId)) return true;
    r.terminals?.rejected.push({ index: t.index, id: t.properties.id, reason: `pole "${t.properties.poleId}" is outside the DEM` });
    return false;
  });
  return { buildings, poles, components, terminals };
}

/** Centre of the package's bounds, on the ground (mid terrain height where the DEM has a hole). */
function packageCenter(bounds: GeoBounds, sample: HeightSampler, terrain: { minHeight: number; maxHeight: number }): TwinManifest['center'] {
  const lon = (bounds.west + bounds.east) / 2;
  const lat = (bounds.south + bounds.north) / 2;
  const h = sample(lon, lat);
  const height = Number.isNaN(h) ? (terrain.minHeight + terrain.maxHeight) / 2 : h;
  return { lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7, height: roundCm(height) };
}

/** Image size for a lon/lat rectangle with roughly square pixels on the ground; the longer side gets `longPx`. */
export function basemapPixels(bounds: GeoBounds, longPx: number): { width: number; height: number } {
  const midLat = ((bounds.south + bounds.north) / 2) * (Math.PI / 180);
  const widthM = (bounds.east - bounds.west) * Math.cos(midLat);
  const heightM = bounds.north - bounds.south;
  if (widthM >= heightM) return { width: longPx, height: Math.max(1, Math.round((longPx * heightM) / widthM)) };
  return { width: Math.max(1, Math.round((longPx * widthM) / heightM)), height: longPx };
}

/**
 * Refuses an output folder that is neither missing, empty, nor a twin package (nor a half-written
 * one), so a wrong `--out` never replaces someone's files.
 */
async function checkOutDir(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const foreign = entries.filter((e) => !PACKAGE_ENTRIES.includes(e));
  if (foreign.length > 0 && !entries.includes(TWIN_MANIFEST_FILE)) {
    throw new Error(`${dir}: the output folder is not empty and holds no twin package (${foreign.slice(0, 3).join(', ')}…); choose an empty or new folder`);
  }
}
