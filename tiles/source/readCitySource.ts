/**
 * Reads a city source folder (domain/citySource.ts): `city.json`, the DEM and every layer it
 * names. Bad features are rejected into per-layer reports and the rest go on; a bad manifest,
 * a missing or unreadable file, or a file over the size bounds throws an Error naming the file.
 */
import path from 'node:path';
import {
  CITY_SOURCE_MANIFEST_FILE,
  type BuildingProps,
  type CitySourceManifest,
  type ComponentProps,
  type Department,
  type GridCellProps,
  type LanduseProps,
  type PoleProps,
  type ResourceProps,
  type RoadProps,
  type SignalProps,
  type TerminalProps,
  type WaterProps,
} from '../../domain/citySource';
import type { ComponentClass } from '../../domain/components';
import type { DrainageNodeProps, DrainagePipeProps, UtilityLineProps } from '../../domain/pipes';
import type { LayerReport } from '../../domain/twinPackage';
import type { Geometry, LineString, MultiPolygon, Point, Polygon } from '../pipeline/geojson';
import { parseAsciiGrid } from '../../kernel/raster/asciiGrid';
import type { Grid } from '../../kernel/raster/grid';
import { readBoundedJson, readBoundedText } from './boundedFile';
import { crsTransform, normaliseCrs } from '../../kernel/crs/crs';
import { FeatureRejection } from './geometryChecks';
import {
  BUILDINGS,
  COMPONENTS,
  GRID_CELLS,
  LANDUSE,
  POLES,
  ROADS,
  SIGNALS,
  TERMINALS,
  WATER,
  parseComponentClass,
  parseDepartment,
  parseFeature,
  rawId,
  type FeatureLayerSpec,
  type SourceFeature,
} from './layerValidators';
import { parseManifest } from './manifest';
import type { BimBuilding } from '../import/ifc/ifcBuilding';
import { DRAINAGE_NODES, DRAINAGE_PIPES, UTILITY_LINES, checkDrainageReferences } from './pipeValidators';
import { RESOURCES, readResourceCsv } from './resourceLayer';

/** Largest layer accepted: ~1M components per city is the design scale, with room to spare. */
export const MAX_LAYER_FEATURES = 5_000_000;

export type Polygonal = Polygon | MultiPolygon;

export interface CitySource {
  dir: string;
  manifest: CitySourceManifest;
  /** The DEM's CRS, normalised ("EPSG:4547"). */
  demCrs: string;
  dem: Grid;
  buildings: Array<SourceFeature<Polygonal, BuildingProps>>;
  roads: Array<SourceFeature<LineString, RoadProps>>;
  signals: Array<SourceFeature<Point, SignalProps>>;
  poles: Array<SourceFeature<Point, PoleProps>>;
  terminals: Array<SourceFeature<Point, TerminalProps>>;
  components: Array<SourceFeature<Point, ComponentProps>>;
  gridCells: Array<SourceFeature<Polygon, GridCellProps>>;
  water: Array<SourceFeature<Polygonal, WaterProps>>;
  landuse: Array<SourceFeature<Polygonal, LanduseProps>>;
  /** Underground networks (domain/pipes.ts); empty when the source has none. */
  drainageNodes: Array<SourceFeature<Point, DrainageNodeProps>>;
  drainagePipes: Array<SourceFeature<LineString, DrainagePipeProps>>;
  utilityLines: Array<SourceFeature<LineString, UtilityLineProps>>;
  departments: Department[];
  /** Emergency resources (GeoJSON or CSV); empty when the source has none. */
  resources: Array<SourceFeature<Point, ResourceProps>>;
  /** The source's own catalogue, or empty when it ships none. */
  componentClasses: ComponentClass[];
  /** Per layer present in the manifest (DEM excluded): `written` is left 0 for the build to fill. */
  reports: Record<string, LayerReport>;
  /** IFC models (`--ifc`) among the buildings: the pipeline makes their L3 shell and L5 interior from them. */
  bim?: BimBuilding[];
}

export type ReadProgress = (stage: string, done: number, total: number) => void;

/** Reads and validates a city source folder. */
export async function readCitySource(dir: string, onProgress?: ReadProgress): Promise<CitySource> {
  const manifestPath = path.join(dir, CITY_SOURCE_MANIFEST_FILE);
  const manifest = parseManifest(await readBoundedJson(manifestPath, CITY_SOURCE_MANIFEST_FILE), CITY_SOURCE_MANIFEST_FILE);
  const demCrs = normaliseCrs(manifest.demCrs)!;
  try {
    crsTransform(demCrs);
  } catch (err) {
    throw new Error(`${CITY_SOURCE_MANIFEST_FILE}: demCrs: ${(err as Error).message}`);
  }
  const files = manifest.layers;
  const total = Object.keys(files).length;
  let done = 0;
  const step = (): void => onProgress?.('read', ++done, total);

  const dem = parseAsciiGrid(await readText(dir, files.dem), files.dem);
  if (!dem.values.some((v) => !Number.isNaN(v))) throw new Error(`${files.dem}: every cell is no-data`);
  step();

  const reports: Record<string, LayerReport> = {};
  const layer = async <G extends Geometry, P>(key: string, file: string | undefined, spec: FeatureLayerSpec<G, P>) => {
    if (file === undefined) return [];
    const out = await readFeatureLayer(dir, file, spec, (reports[key] = { read: 0, written: 0, rejected: [] }));
    step();
    return out;
  };
  const table = async <T>(key: string, file: string | undefined, parse: (row: unknown) => T, id: (row: T) => string) => {
    if (file === undefined) return [];
    const out = await readTable(dir, file, parse, id, (reports[key] = { read: 0, written: 0, rejected: [] }));
    step();
    return out;
  };

  const source: CitySource = {
    dir,
    manifest,
    demCrs,
    dem,
    buildings: await layer('buildings', files.buildings, BUILDINGS),
    roads: await layer('roads', files.roads, ROADS),
    signals: await layer('signals', files.signals, SIGNALS),
    poles: await layer('poles', files.poles, POLES),
    terminals: await layer('terminals', files.terminals, TERMINALS),
    components: await layer('components', files.components, COMPONENTS),
    gridCells: await layer('gridCells', files.gridCells, GRID_CELLS),
    water: await layer('water', files.water, WATER),
    landuse: await layer('landuse', files.landuse, LANDUSE),
    drainageNodes: await layer('drainageNodes', files.drainageNodes, DRAINAGE_NODES),
    drainagePipes: await layer('drainagePipes', files.drainagePipes, DRAINAGE_PIPES),
    utilityLines: await layer('utilityLines', files.utilityLines, UTILITY_LINES),
    resources: files.resources === undefined ? [] : await readResources(dir, files.resources, (reports.resources = { read: 0, written: 0, rejected: [] })).finally(step),
    departments: (await table('departments', files.departments, parseDepartment, (d) => d.id)).map((r) => r.value),
    componentClasses: (await table('componentClasses', files.componentClasses, parseComponentClass, (c) => c.code)).map(
      (r) => r.value,
    ),
    reports,
  };
  checkReferences(source);
  for (const report of Object.values(reports)) report.rejected.sort((a, b) => a.index - b.index);
  return source;
}

/** Rejects features whose references to other layers point at nothing (order matters: poles before terminals). */
function checkReferences(s: CitySource): void {
  const roadIds = new Set(s.roads.map((f) => f.properties.id));
  const filter = <G extends Geometry, P>(key: string, features: Array<SourceFeature<G, P>>, why: (p: P) => string | undefined, id: (p: P) => string) =>
    features.filter((f) => {
      const reason = why(f.properties);
      if (reason !== undefined) s.reports[key]!.rejected.push({ index: f.index, id: id(f.properties), reason });
      return reason === undefined;
    });

  s.signals = filter('signals', s.signals, (p) => missing('road', p.roadIds, roadIds), (p) => p.id);
  s.poles = filter('poles', s.poles, (p) => missing('road', [p.roadId], roadIds), (p) => p.id);
  const poleIds = new Set(s.poles.map((f) => f.properties.id));
  s.terminals = filter('terminals', s.terminals, (p) => missing('pole', [p.poleId], poleIds), (p) => p.id);

  const departmentIds = s.reports.departments ? new Set(s.departments.map((d) => d.id)) : undefined;
  const classCodes = s.componentClasses.length > 0 ? new Set(s.componentClasses.map((c) => c.code)) : undefined;
  s.components = filter(
    'components',
    s.components,
    (p) =>
      (departmentIds && missing('department', [p.ownerId], departmentIds)) ??
      (p.roadId !== undefined ? missing('road', [p.roadId], roadIds) : undefined) ??
      (classCodes && !classCodes.has(p.classCode) ? `classCode ${p.classCode} is not in the source's component classes` : undefined),
    (p) => p.code,
  );
  s.drainagePipes = checkDrainageReferences(s.drainageNodes, s.drainagePipes, s.reports.drainagePipes);
  s.resources = filter('resources', s.resources, (p) => (departmentIds && p.departmentId !== undefined ? missing('department', [p.departmentId], departmentIds) : undefined), (p) => p.id);
}

function missing(what: string, ids: readonly string[], known: ReadonlySet<string>): string | undefined {
  const absent = ids.find((id) => !known.has(id));
  return absent === undefined ? undefined : `${what} "${absent}" is not in the ${what}s layer (or was rejected)`;
}

export async function readFeatureLayer<G extends Geometry, P>(
  dir: string,
  file: string,
  spec: FeatureLayerSpec<G, P>,
  report: LayerReport,
): Promise<Array<SourceFeature<G, P>>> {
  const doc = await readBoundedJson(path.join(dir, file), file);
  if (typeof doc !== 'object' || doc === null || (doc as { type?: unknown }).type !== 'FeatureCollection') {
    throw new Error(`${file}: expected a GeoJSON FeatureCollection`);
  }
  const features = (doc as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new Error(`${file}: the FeatureCollection has no features array`);
  return validateFeatures(file, features, spec, report);
}

/** The resources layer: a GeoJSON FeatureCollection, or a CSV file (tiles/source/resourceLayer.ts). */
async function readResources(dir: string, file: string, report: LayerReport): Promise<Array<SourceFeature<Point, ResourceProps>>> {
  if (!file.toLowerCase().endsWith('.csv')) return readFeatureLayer(dir, file, RESOURCES, report);
  return validateFeatures(file, await readResourceCsv(path.join(dir, file), file), RESOURCES, report);
}

function validateFeatures<G extends Geometry, P>(file: string, features: unknown[], spec: FeatureLayerSpec<G, P>, report: LayerReport): Array<SourceFeature<G, P>> {
  checkCount(file, features.length);
  report.read = features.length;
  const out: Array<SourceFeature<G, P>> = [];
  const seen = new Set<string>();
  for (let index = 0; index < features.length; index++) {
    const raw: unknown = features[index];
    try {
      const { geometry, properties } = parseFeature(raw, spec);
      const key = spec.key(properties);
      if (seen.has(key)) throw new FeatureRejection(`duplicate id "${key}"`);
      seen.add(key);
      out.push({ index, geometry, properties });
    } catch (err) {
      if (!(err instanceof FeatureRejection)) throw err;
      report.rejected.push(rejection(index, rawId(raw), err.message));
    }
  }
  return out;
}

async function readTable<T>(
  dir: string,
  file: string,
  parse: (row: unknown) => T,
  id: (row: T) => string,
  report: LayerReport,
): Promise<Array<{ index: number; value: T }>> {
  const rows = await readBoundedJson(path.join(dir, file), file);
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array`);
  checkCount(file, rows.length);
  report.read = rows.length;
  const out: Array<{ index: number; value: T }> = [];
  const seen = new Set<string>();
  rows.forEach((raw: unknown, index) => {
    try {
      const value = parse(raw);
      if (seen.has(id(value))) throw new FeatureRejection(`duplicate id "${id(value)}"`);
      seen.add(id(value));
      out.push({ index, value });
    } catch (err) {
      if (!(err instanceof FeatureRejection)) throw err;
      report.rejected.push(rejection(index, rawId(raw), err.message));
    }
  });
  return out;
}

function rejection(index: number, id: string | undefined, reason: string): LayerReport['rejected'][number] {
  return id === undefined ? { index, reason } : { index, id, reason };
}

function checkCount(file: string, n: number): void {
  if (n > MAX_LAYER_FEATURES) {
    throw new Error(`${file}: ${n} features is over the limit of ${MAX_LAYER_FEATURES} per layer; split the layer`);
  }
}

async function readText(dir: string, file: string): Promise<string> {
  return readBoundedText(path.join(dir, file), file);
}
