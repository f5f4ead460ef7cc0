/**
 * The package's vector layers (`layers/`): JSON records the server indexes and the client
 * searches (buildings, poles, terminals, components, departments) and validated GeoJSON copies
 * the client draws (roads, signals, grid cells, water). Records are built by pure functions;
 * `writeLayers` does the I/O. Key order is fixed, so the files are byte-stable.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentProps, PoleProps, ResourceProps, TerminalProps } from '../../domain/citySource';
import type { ResourceRecord } from '../../domain/emergency';
import type { ComponentClass } from '../../domain/components';
import type { PipeRecord } from '../../domain/pipes';
import type { BuildingRecord, ComponentRecord, DepartmentRecord, PoleRecord, TerminalRecord } from '../../domain/twinPackage';
import type { SourceFeature } from '../source/layerValidators';
import type { Feature, FeatureCollection, Geometry, Point } from './geojson';
import type { PlacedBuilding, PlacedPoint } from './ground';

/** Paths of the layer files, relative to the package root (as twin.json lists them). */
export const LAYER_FILES = {
  buildings: 'layers/buildings.json',
  poles: 'layers/poles.json',
  terminals: 'layers/terminals.json',
  components: 'layers/components.json',
  departments: 'layers/departments.json',
  componentClasses: 'layers/component-classes.json',
  resources: 'layers/resources.json',
  roads: 'layers/roads.geojson',
  signals: 'layers/signals.geojson',
  gridCells: 'layers/grid-cells.geojson',
  water: 'layers/water.geojson',
  landuse: 'layers/landuse.geojson',
  pipes: 'layers/pipes.json',
  drainageNodes: 'layers/drainage-nodes.geojson',
  drainagePipes: 'layers/drainage-pipes.geojson',
} as const;

/** Layers written only when the source has any (the underground networks are optional). */
const WRITTEN_WHEN_PRESENT: ReadonlyArray<keyof typeof LAYER_FILES> = ['componentClasses', 'pipes', 'drainageNodes', 'drainagePipes'];

/** Degrees to 7 decimals (about 1 cm): enough for any record, and stable text. */
const roundDeg = (v: number): number => Math.round(v * 1e7) / 1e7;

/** Records of the placed buildings; `interiors` names those with an L5 interior (a file or a plan a server makes it from). */
export function buildingRecords(buildings: readonly PlacedBuilding[], interiors?: ReadonlySet<string>): BuildingRecord[] {
  return buildings.map(({ properties: p, lon, lat, groundHeight }) => ({
    id: p.id,
    ...(p.name !== undefined ? { name: p.name } : {}),
    use: p.use,
    height: p.height,
    floors: p.floors,
    lon: roundDeg(lon),
    lat: roundDeg(lat),
    groundHeight,
    ...(p.gridCode !== undefined ? { gridCode: p.gridCode } : {}),
    ...(interiors?.has(p.id) ? { interior: true } : {}),
  }));
}

export function poleRecords(
  poles: ReadonlyArray<PlacedPoint<PoleProps>>,
  terminals: ReadonlyArray<SourceFeature<Point, TerminalProps>>,
): PoleRecord[] {
  const byPole = new Map<string, string[]>();
  for (const t of terminals) {
    const list = byPole.get(t.properties.poleId);
    if (list) list.push(t.properties.id);
    else byPole.set(t.properties.poleId, [t.properties.id]);
  }
  return poles.map(({ properties: p, geometry, groundHeight }) => {
    const r: PoleRecord = {
      id: p.id,
      code: p.code,
      lon: roundDeg(geometry.coordinates[0]!),
      lat: roundDeg(geometry.coordinates[1]!),
      groundHeight,
      heightM: p.heightM,
      roadId: p.roadId,
      terminalIds: byPole.get(p.id) ?? [],
    };
    if (p.gridCode !== undefined) r.gridCode = p.gridCode;
    return r;
  });
}

export function terminalRecords(terminals: ReadonlyArray<SourceFeature<Point, TerminalProps>>): TerminalRecord[] {
  return terminals.map(({ properties: p }) => ({
    id: p.id,
    poleId: p.poleId,
    type: p.type,
    model: p.model,
    ...(p.camera !== undefined ? { camera: p.camera } : {}),
    ...(p.ratedW !== undefined ? { ratedW: p.ratedW } : {}),
    ...(p.signalId !== undefined ? { signalId: p.signalId } : {}),
  }));
}

export function componentRecords(components: ReadonlyArray<PlacedPoint<ComponentProps>>): ComponentRecord[] {
  return components.map(({ properties: p, geometry, groundHeight }) => {
    const r: ComponentRecord = {
      code: p.code,
      classCode: p.classCode,
      lon: roundDeg(geometry.coordinates[0]!),
      lat: roundDeg(geometry.coordinates[1]!),
      groundHeight,
      ownerId: p.ownerId,
    };
    if (p.gridCode !== undefined) r.gridCode = p.gridCode;
    if (p.roadId !== undefined) r.roadId = p.roadId;
    return r;
  });
}

export function resourceRecords(resources: ReadonlyArray<SourceFeature<Point, ResourceProps>>): ResourceRecord[] {
  return resources.map(({ properties: p, geometry }) => ({ ...p, lon: roundDeg(geometry.coordinates[0]!), lat: roundDeg(geometry.coordinates[1]!) }));
}

/** A FeatureCollection of validated features: normalised geometry and only the known properties. */
export function featureCollection<G extends Geometry, P>(features: ReadonlyArray<SourceFeature<G, P>>): FeatureCollection<G, P> {
  return {
    type: 'FeatureCollection',
    features: features.map((f): Feature<G, P> => ({ type: 'Feature', geometry: f.geometry, properties: f.properties })),
  };
}

export interface LayerContents {
  buildings: BuildingRecord[];
  poles: PoleRecord[];
  terminals: TerminalRecord[];
  components: ComponentRecord[];
  departments: DepartmentRecord[];
  /** Written only when the source ships its own catalogue. */
  componentClasses: ComponentClass[];
  resources: ResourceRecord[];
  roads: FeatureCollection<Geometry, unknown>;
  signals: FeatureCollection<Geometry, unknown>;
  gridCells: FeatureCollection<Geometry, unknown>;
  water: FeatureCollection<Geometry, unknown>;
  landuse: FeatureCollection<Geometry, unknown>;
  /** Underground lines with their 3D axes (domain/pipes.ts PipeRecord). */
  pipes: PipeRecord[];
  /** The drainage network as validated, for the 1D drainage model (SWMM's nodes and links). */
  drainageNodes: FeatureCollection<Geometry, unknown>;
  drainagePipes: FeatureCollection<Geometry, unknown>;
}

/** Whether a layer has anything to write. */
export function layerPresent(layers: LayerContents, key: keyof typeof LAYER_FILES): boolean {
  const value = layers[key];
  return !WRITTEN_WHEN_PRESENT.includes(key) || (Array.isArray(value) ? value.length > 0 : value.features.length > 0);
}

/** Writes every layer file under `packageDir`; returns the bytes written. */
export async function writeLayers(
  packageDir: string,
  layers: LayerContents,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  await mkdir(path.join(packageDir, 'layers'), { recursive: true });
  const entries = (Object.keys(LAYER_FILES) as Array<keyof typeof LAYER_FILES>).filter((k) => layerPresent(layers, k));
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i]!;
    // One record per line: compact, yet diffable and greppable.
    const value = layers[key];
    const text = Array.isArray(value) ? jsonLines(value) : geojsonLines(value);
    await writeFile(path.join(packageDir, LAYER_FILES[key]), text);
    bytes += Buffer.byteLength(text);
    onProgress?.(i + 1, entries.length);
  }
  return bytes;
}

function jsonLines(items: readonly unknown[]): string {
  if (items.length === 0) return '[]\n';
  return `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]\n`;
}

function geojsonLines(fc: FeatureCollection<Geometry, unknown>): string {
  if (fc.features.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}
