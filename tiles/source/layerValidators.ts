/**
 * Per-layer validators for the city source: one spec per GeoJSON layer (geometry, properties,
 * unique key) and one parser per JSON table row, matching the types in domain/citySource.ts.
 * Validators only look at one feature; references between layers are checked by the reader.
 */
import {
  BUILDING_USES,
  LANDUSE_KINDS,
  ROAD_CLASSES,
  WATER_KINDS,
  type BuildingProps,
  type ComponentProps,
  type Department,
  type GridCellProps,
  type LanduseProps,
  type PoleProps,
  type RoadProps,
  type SignalProps,
  type TerminalProps,
  type WaterProps,
} from '../../domain/citySource';
import { MAJOR_CLASSES, type ComponentClass, type ComponentKind } from '../../domain/components';
import { TERMINAL_TYPES } from '../../domain/terminals';
import { CameraRecordProblem, isCameraType, parseCameraInfo } from '../../domain/cameraChecks';
import type { Geometry, LineString, MultiPolygon, Point, Polygon } from '../pipeline/geojson';
import { FeatureRejection, parseLineString, parsePoint, parsePolygon, parsePolygonal } from './geometryChecks';
import { isRecord, num, oneOf, oneOfArray, optStr, record, str, strArray, type Untrusted } from './propertyChecks';

/** A feature that passed validation, with its position in the source file for later rejections. */
export interface SourceFeature<G extends Geometry, P> {
  index: number;
  geometry: G;
  properties: P;
}

export interface FeatureLayerSpec<G extends Geometry, P> {
  geometry(v: unknown): G;
  properties(p: Untrusted): P;
  /** Must be unique within the layer; also names the feature in rejections. */
  key(p: P): string;
}

const COMPONENT_CODE = /^\d{16}$/;
const CLASS_CODE = /^\d{4}$/;
const GRID_CODE = /^\d{14}$/;
/** 6-digit administrative code of a county (or county-level city). */
export const COUNTY_CODE = /^\d{6}$/;
const COMPONENT_KINDS = ['manhole-cover', 'hydrant', 'street-lamp', 'traffic-signal'] as const satisfies readonly ComponentKind[];

/** Tallest plausible building (the tallest standing is 828 m); anything above is a unit error. */
const MAX_BUILDING_HEIGHT_M = 1000;

export const BUILDINGS: FeatureLayerSpec<Polygon | MultiPolygon, BuildingProps> = {
  geometry: parsePolygonal,
  properties: (p) => {
    const out: BuildingProps = {
      id: str(p, 'id'),
      height: num(p, 'height', { above: 0, max: MAX_BUILDING_HEIGHT_M }),
      // Stored as UINT16 in the tiles' property tables.
      floors: num(p, 'floors', { integer: true, min: 0, max: 65_535 }),
      use: oneOf(p, 'use', BUILDING_USES),
    };
    const name = optStr(p, 'name');
    if (name !== undefined) out.name = name;
    const gridCode = optStr(p, 'gridCode', GRID_CODE);
    if (gridCode !== undefined) out.gridCode = gridCode;
    return out;
  },
  key: (p) => p.id,
};

export const ROADS: FeatureLayerSpec<LineString, RoadProps> = {
  geometry: parseLineString,
  properties: (p) => {
    const nameEn = optStr(p, 'nameEn');
    return {
      id: str(p, 'id'),
      name: str(p, 'name'),
      ...(nameEn !== undefined ? { nameEn } : {}),
      class: oneOf(p, 'class', ROAD_CLASSES),
      lanes: num(p, 'lanes', { integer: true, min: 1, max: 16 }),
      widthM: num(p, 'widthM', { above: 0, max: 200 }),
      speedKmh: num(p, 'speedKmh', { above: 0, max: 200 }),
    };
  },
  key: (p) => p.id,
};

export const SIGNALS: FeatureLayerSpec<Point, SignalProps> = {
  geometry: parsePoint,
  properties: (p) => ({
    id: str(p, 'id'),
    code: str(p, 'code', COMPONENT_CODE),
    name: str(p, 'name'),
    roadIds: strArray(p, 'roadIds'),
  }),
  key: (p) => p.id,
};

export const POLES: FeatureLayerSpec<Point, PoleProps> = {
  geometry: parsePoint,
  properties: (p) => {
    const out: PoleProps = {
      id: str(p, 'id'),
      code: str(p, 'code', COMPONENT_CODE),
      roadId: str(p, 'roadId'),
      heightM: num(p, 'heightM', { above: 0, max: 100 }),
    };
    const gridCode = optStr(p, 'gridCode', GRID_CODE);
    if (gridCode !== undefined) out.gridCode = gridCode;
    return out;
  },
  key: (p) => p.id,
};

export const TERMINALS: FeatureLayerSpec<Point, TerminalProps> = {
  geometry: parsePoint,
  properties: (p) => {
    const out: TerminalProps = {
      id: str(p, 'id'),
      poleId: str(p, 'poleId'),
      type: oneOf(p, 'type', TERMINAL_TYPES),
      model: str(p, 'model'),
    };
    if (p.camera !== undefined && p.camera !== null) {
      if (!isCameraType(out.type)) throw new FeatureRejection(`camera is only for camera and traffic-camera terminals, not ${out.type}`);
      try {
        out.camera = parseCameraInfo(p.camera);
      } catch (err) {
        if (err instanceof CameraRecordProblem) throw new FeatureRejection(err.message);
        throw err;
      }
    }
    if (p.ratedW !== undefined && p.ratedW !== null) out.ratedW = num(p, 'ratedW', { above: 0, max: 2000 });
    const signalId = optStr(p, 'signalId');
    if (signalId !== undefined) out.signalId = signalId;
    return out;
  },
  key: (p) => p.id,
};

export const COMPONENTS: FeatureLayerSpec<Point, ComponentProps> = {
  geometry: parsePoint,
  properties: (p) => {
    const code = str(p, 'code', COMPONENT_CODE);
    const classCode = str(p, 'classCode', CLASS_CODE);
    if (code.slice(6, 10) !== classCode) {
      throw new FeatureRejection(`code ${code} does not carry its classCode ${classCode} in digits 7–10`);
    }
    if (!(classCode.slice(0, 2) in MAJOR_CLASSES)) {
      throw new FeatureRejection(`classCode ${classCode} has no known major class (01–06)`);
    }
    const out: ComponentProps = { code, classCode, ownerId: str(p, 'ownerId') };
    const gridCode = optStr(p, 'gridCode', GRID_CODE);
    if (gridCode !== undefined) out.gridCode = gridCode;
    const roadId = optStr(p, 'roadId');
    if (roadId !== undefined) out.roadId = roadId;
    return out;
  },
  key: (p) => p.code,
};

export const GRID_CELLS: FeatureLayerSpec<Polygon, GridCellProps> = {
  geometry: parsePolygon,
  properties: (p) => ({
    code: str(p, 'code', GRID_CODE),
    streetName: str(p, 'streetName'),
    communityName: str(p, 'communityName'),
  }),
  key: (p) => p.code,
};

export const WATER: FeatureLayerSpec<Polygon | MultiPolygon, WaterProps> = {
  geometry: parsePolygonal,
  properties: (p) => ({ id: str(p, 'id'), kind: oneOf(p, 'kind', WATER_KINDS), name: str(p, 'name') }),
  key: (p) => p.id,
};

export const LANDUSE: FeatureLayerSpec<Polygon | MultiPolygon, LanduseProps> = {
  geometry: parsePolygonal,
  properties: (p) => {
    const out: LanduseProps = { id: str(p, 'id'), kind: oneOf(p, 'kind', LANDUSE_KINDS) };
    const name = optStr(p, 'name');
    if (name !== undefined) out.name = name;
    return out;
  },
  key: (p) => p.id,
};

/** Validates one raw GeoJSON feature against a layer spec; throws FeatureRejection. */
export function parseFeature<G extends Geometry, P>(raw: unknown, spec: FeatureLayerSpec<G, P>): { geometry: G; properties: P } {
  if (!isRecord(raw) || raw.type !== 'Feature') throw new FeatureRejection('not a GeoJSON Feature');
  if (!isRecord(raw.properties)) throw new FeatureRejection('properties must be an object');
  const properties = spec.properties(raw.properties);
  let geometry: G;
  try {
    geometry = spec.geometry(raw.geometry);
  } catch (err) {
    if (err instanceof FeatureRejection) throw new FeatureRejection(`geometry: ${err.message}`);
    throw err;
  }
  return { geometry, properties };
}

/** Best-effort id of a raw feature or row for a rejection entry, whatever else is wrong with it. */
export function rawId(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  const props = isRecord(raw.properties) ? raw.properties : raw;
  for (const v of [props.id, props.code, raw.id]) {
    if (typeof v === 'string' && v !== '') return v.slice(0, 128);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

export function parseDepartment(row: unknown): Department {
  if (!isRecord(row)) throw new FeatureRejection('not an object');
  const name = record(row, 'name');
  return {
    id: str(row, 'id'),
    name: { 'zh-CN': str(name, 'zh-CN'), en: str(name, 'en') },
    componentClasses: strArray(row, 'componentClasses', CLASS_CODE),
    terminalTypes: oneOfArray(row, 'terminalTypes', TERMINAL_TYPES),
  };
}

export function parseComponentClass(row: unknown): ComponentClass {
  if (!isRecord(row)) throw new FeatureRejection('not an object');
  return {
    code: str(row, 'code', CLASS_CODE),
    zh: str(row, 'zh'),
    en: str(row, 'en'),
    kind: oneOf(row, 'kind', COMPONENT_KINDS),
  };
}

