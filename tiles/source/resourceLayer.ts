/**
 * The city source's `resources` layer (domain/citySource.ts ResourceProps, domain/emergency.ts):
 * rescue teams, fire and police stations, hospitals, supply depots and shelters as Points, from a
 * GeoJSON FeatureCollection or a CSV file with a header row and `lon`/`lat` columns (WGS84).
 *
 * CSV cells are text: numbers are read as numbers, `skills` is a list separated by `;`
 * (`pumping;water-rescue`) and `stock` a list of `item:quantity` (`sandbags:2000;pumps:12`).
 * Each feature is checked as one: a wrong kind, a crew without members, a shelter without
 * capacity or a depot without stock is rejected with the field named.
 */
import type { ResourceProps } from '../../domain/citySource';
import { RESCUE_SKILLS, RESOURCE_KINDS, UNIT_KINDS, isUnitId } from '../../domain/emergency';
import type { Point } from '../pipeline/geojson';
import { readCsvRows } from './csvRows';
import { FeatureRejection, parsePoint } from './geometryChecks';
import type { FeatureLayerSpec } from './layerValidators';
import { isRecord, num, oneOf, oneOfArray, optStr, str, type Untrusted } from './propertyChecks';

const ITEM = /^[a-z0-9-]{1,40}$/;
const DEPARTMENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export const RESOURCES: FeatureLayerSpec<Point, ResourceProps> = {
  geometry: parsePoint,
  properties: (p) => {
    const id = str(p, 'id');
    if (!isUnitId(id)) throw new FeatureRejection(`id "${id}" must be 1–64 letters, digits, '-', '_' or '.' (it names the unit on MQTT)`);
    const kind = oneOf(p, 'kind', RESOURCE_KINDS);
    const out: ResourceProps = { id, kind, name: str(p, 'name') };
    const nameEn = optStr(p, 'nameEn');
    if (nameEn !== undefined) out.nameEn = nameEn;
    const departmentId = optStr(p, 'departmentId', DEPARTMENT_ID);
    if (departmentId !== undefined) out.departmentId = departmentId;
    if (UNIT_KINDS.includes(kind)) {
      out.members = num(p, 'members', { integer: true, min: 1, max: 10_000 });
      out.vehicles = num(p, 'vehicles', { integer: true, min: 0, max: 1_000 });
      if (p.skills !== undefined) out.skills = oneOfArray(p, 'skills', RESCUE_SKILLS);
    }
    if (kind === 'shelter' || (kind === 'hospital' && p.capacity !== undefined)) out.capacity = num(p, 'capacity', { integer: true, min: 1, max: 1_000_000 });
    if (kind === 'supply-depot') out.stock = stock(p);
    return out;
  },
  key: (p) => p.id,
};

function stock(p: Untrusted): Record<string, number> {
  const v = p.stock;
  if (!isRecord(v) || Object.keys(v).length === 0) throw new FeatureRejection('stock must be an object of item → quantity with at least one item, e.g. {"sandbags": 2000}');
  const out: Record<string, number> = {};
  for (const item of Object.keys(v).sort()) {
    if (!ITEM.test(item)) throw new FeatureRejection(`stock item "${item.slice(0, 40)}" must be lower-case letters, digits and '-'`);
    out[item] = num(v, item, { integer: true, min: 0, max: 10_000_000 });
  }
  return out;
}

/** Reads a CSV resources file into raw GeoJSON features for the RESOURCES spec. */
export async function readResourceCsv(fullPath: string, file: string): Promise<unknown[]> {
  const rows = await readCsvRows(fullPath, file);
  const columns = new Set(rows.flatMap((r) => Object.keys(r)));
  for (const need of ['id', 'kind', 'name', 'lon', 'lat']) {
    if (!columns.has(need)) throw new Error(`${file}: needs a "${need}" column (columns: id, kind, name, lon, lat, members, vehicles, skills, stock, capacity, …)`);
  }
  return rows.map((row) => csvFeature(row));
}

/** One CSV row as a GeoJSON feature: numeric cells to numbers, lists split; empty cells dropped. */
export function csvFeature(row: Record<string, unknown>): unknown {
  const properties: Untrusted = {};
  for (const [key, raw] of Object.entries(row)) {
    const text = typeof raw === 'string' ? raw.trim() : raw;
    if (text === '' || text === undefined || text === null || key === 'lon' || key === 'lat') continue;
    if (key === 'skills' && typeof text === 'string') properties.skills = text.split(';').map((s) => s.trim()).filter(Boolean);
    else if (key === 'stock' && typeof text === 'string') properties.stock = Object.fromEntries(text.split(';').filter(Boolean).map((pair) => {
      const [item, qty] = pair.split(':');
      return [(item ?? '').trim(), toNumber(qty)];
    }));
    else if (['members', 'vehicles', 'capacity'].includes(key)) properties[key] = toNumber(text);
    else properties[key] = text;
  }
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [toNumber(row.lon), toNumber(row.lat)] }, properties };
}

function toNumber(v: unknown): number {
  return typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
}
