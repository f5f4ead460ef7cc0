/**
 * Reads a twin package folder (domain/twinPackage.ts) into a TwinIndex.
 *
 * Record layers are JSON arrays of the domain records. A GeoJSON FeatureCollection of points is
 * accepted too (properties plus `lon`/`lat` from the coordinates), since the package format names
 * `layers/*.json|geojson` and a hand-made package may well use GeoJSON.
 *
 * Every problem is reported as one message naming the folder, the file and, for records, the index,
 * because the person reading it is running `citytwin serve` on a folder they chose.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TERMINAL_TYPES } from '../../domain/terminals';
import { CameraRecordProblem, parseCameraInfo } from '../../domain/cameraChecks';
import { RESOURCE_KINDS, isUnitId, type ResourceRecord } from '../../domain/emergency';
import {
  TWIN_FORMAT,
  TWIN_MANIFEST_FILE,
  TWIN_VERSION,
  type BuildingRecord,
  type ComponentRecord,
  type DepartmentRecord,
  type PoleRecord,
  type TerminalRecord,
  type TwinManifest,
} from '../../domain/twinPackage';
import { Errors } from '../errors';
import { TwinIndex } from './TwinIndex';

type Row = Record<string, unknown>;

export async function loadTwin(dirArg: string): Promise<TwinIndex> {
  const dir = resolve(dirArg);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Errors.TwinInvalid(`twin folder ${dir} does not exist or is not a folder`);

  const manifestPath = join(dir, TWIN_MANIFEST_FILE);
  const manifestJson = await readJson(manifestPath).catch((err: Error) => {
    throw new Errors.TwinInvalid(
      `${dir} is not a twin package: cannot read ${TWIN_MANIFEST_FILE} (${err.message}); build one with \`citytwin tiles build\``,
    );
  });
  const manifest = checkManifest(manifestJson, manifestPath);

  const read = async <T>(key: keyof TwinManifest['files'], check: (row: Row, where: string) => T): Promise<T[]> => {
    const file = manifest.files[key];
    if (typeof file !== 'string') throw new Errors.TwinInvalid(`${manifestPath}: files.${key} is missing`);
    const path = join(dir, file);
    const json = await readJson(path).catch((err: Error) => {
      throw new Errors.TwinInvalid(`twin package ${dir}: cannot read layer ${key} (${file}): ${err.message}`);
    });
    const rows = toRows(json, path);
    return rows.map((row, i) => check(row, `${path} [${i}]`));
  };

  const [poles, terminals, components, buildings, departments, resources] = await Promise.all([
    read('poles', checkPole),
    read('terminals', checkTerminal),
    read('components', checkComponent),
    read('buildings', checkBuilding),
    read('departments', checkDepartment),
    manifest.files.resources === undefined ? [] : read('resources', checkResource),
  ]);
  try {
    return new TwinIndex(dir, manifest, { poles, terminals, components, buildings, departments, resources });
  } catch (err) {
    throw new Errors.TwinInvalid(`twin package ${dir}: ${(err as Error).message}`);
  }
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkManifest(json: unknown, path: string): TwinManifest {
  if (!isRow(json) || json.format !== TWIN_FORMAT) {
    throw new Errors.TwinInvalid(`${path} is not a twin manifest: "format" must be "${TWIN_FORMAT}"`);
  }
  if (json.version !== TWIN_VERSION) {
    throw new Errors.TwinInvalid(`${path}: twin format version ${String(json.version)} is not supported (expected ${TWIN_VERSION})`);
  }
  if (!isRow(json.files)) throw new Errors.TwinInvalid(`${path}: "files" is missing`);
  if (!isRow(json.name) || !isRow(json.counts) || !isRow(json.center) || !isRow(json.bounds)) {
    throw new Errors.TwinInvalid(`${path}: "name", "counts", "center" and "bounds" are required`);
  }
  return json as unknown as TwinManifest;
}

/** A JSON array of records, or a GeoJSON FeatureCollection of points flattened into records. */
function toRows(json: unknown, path: string): Row[] {
  if (Array.isArray(json)) {
    json.forEach((row, i) => {
      if (!isRow(row)) throw new Errors.TwinInvalid(`${path} [${i}]: expected an object`);
    });
    return json as Row[];
  }
  if (isRow(json) && json.type === 'FeatureCollection' && Array.isArray(json.features)) {
    return json.features.map((feature: unknown, i: number) => {
      if (!isRow(feature) || !isRow(feature.properties)) throw new Errors.TwinInvalid(`${path} feature ${i}: no properties`);
      const geometry = feature.geometry;
      const coords = isRow(geometry) && geometry.type === 'Point' && Array.isArray(geometry.coordinates) ? geometry.coordinates : [];
      const [lon, lat] = coords as unknown[];
      return typeof lon === 'number' && typeof lat === 'number' ? { lon, lat, ...feature.properties } : feature.properties;
    });
  }
  throw new Errors.TwinInvalid(`${path}: expected a JSON array of records or a GeoJSON FeatureCollection`);
}

function str(row: Row, key: string, where: string): string {
  const v = row[key];
  if (typeof v !== 'string' || v === '') throw new Errors.TwinInvalid(`${where}: "${key}" must be a non-empty string`);
  return v;
}

function num(row: Row, key: string, where: string): number {
  const v = row[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Errors.TwinInvalid(`${where}: "${key}" must be a number`);
  return v;
}

function optStr(row: Row, key: string, where: string): string | undefined {
  return row[key] === undefined || row[key] === null ? undefined : str(row, key, where);
}

function checkPole(row: Row, where: string): PoleRecord {
  const ids = row.terminalIds ?? [];
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new Errors.TwinInvalid(`${where}: "terminalIds" must be an array of strings`);
  }
  return {
    id: str(row, 'id', where),
    code: str(row, 'code', where),
    lon: num(row, 'lon', where),
    lat: num(row, 'lat', where),
    groundHeight: typeof row.groundHeight === 'number' ? row.groundHeight : 0,
    heightM: typeof row.heightM === 'number' ? row.heightM : 0,
    roadId: typeof row.roadId === 'string' ? row.roadId : '',
    gridCode: optStr(row, 'gridCode', where),
    terminalIds: ids as string[],
  };
}

function checkTerminal(row: Row, where: string): TerminalRecord {
  const type = str(row, 'type', where);
  if (!(TERMINAL_TYPES as readonly string[]).includes(type)) {
    throw new Errors.TwinInvalid(`${where}: unknown terminal type "${type}" (known: ${TERMINAL_TYPES.join(', ')})`);
  }
  const record: TerminalRecord = {
    id: str(row, 'id', where),
    poleId: str(row, 'poleId', where),
    type: type as TerminalRecord['type'],
    model: typeof row.model === 'string' ? row.model : '',
    ...(typeof row.ratedW === 'number' && row.ratedW > 0 ? { ratedW: row.ratedW } : {}),
    ...(typeof row.signalId === 'string' ? { signalId: row.signalId } : {}),
  };
  if (row.camera !== undefined && row.camera !== null) {
    try {
      record.camera = parseCameraInfo(row.camera);
    } catch (err) {
      if (err instanceof CameraRecordProblem) throw new Errors.TwinInvalid(`${where}: ${err.message}`);
      throw err;
    }
  }
  return record;
}

function checkComponent(row: Row, where: string): ComponentRecord {
  const code = str(row, 'code', where);
  if (!/^\d{16}$/.test(code)) throw new Errors.TwinInvalid(`${where}: component code "${code}" is not 16 digits`);
  return {
    code,
    classCode: typeof row.classCode === 'string' ? row.classCode : code.slice(6, 10),
    lon: num(row, 'lon', where),
    lat: num(row, 'lat', where),
    groundHeight: typeof row.groundHeight === 'number' ? row.groundHeight : 0,
    ownerId: typeof row.ownerId === 'string' ? row.ownerId : '',
    gridCode: optStr(row, 'gridCode', where),
    roadId: optStr(row, 'roadId', where),
  };
}

function checkBuilding(row: Row, where: string): BuildingRecord {
  // Only the id is needed to count and look buildings up; the rest is passed through as written.
  str(row, 'id', where);
  return row as unknown as BuildingRecord;
}

function checkDepartment(row: Row, where: string): DepartmentRecord {
  str(row, 'id', where);
  if (!isRow(row.name)) throw new Errors.TwinInvalid(`${where}: "name" must be { "zh-CN", "en" }`);
  return {
    id: row.id as string,
    name: row.name as unknown as DepartmentRecord['name'],
    componentClasses: Array.isArray(row.componentClasses) ? (row.componentClasses as string[]) : [],
    terminalTypes: Array.isArray(row.terminalTypes) ? (row.terminalTypes as DepartmentRecord['terminalTypes']) : [],
  };
}

function checkResource(row: Row, where: string): ResourceRecord {
  const id = str(row, 'id', where);
  if (!isUnitId(id)) throw new Errors.TwinInvalid(`${where}: resource id "${id}" must be 1–64 letters, digits, '-', '_' or '.'`);
  const kind = str(row, 'kind', where);
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) throw new Errors.TwinInvalid(`${where}: unknown resource kind "${kind}" (known: ${RESOURCE_KINDS.join(', ')})`);
  num(row, 'lon', where);
  num(row, 'lat', where);
  str(row, 'name', where);
  // The build validated the rest (tiles/source/resourceLayer.ts); passed through as written.
  return row as unknown as ResourceRecord;
}
