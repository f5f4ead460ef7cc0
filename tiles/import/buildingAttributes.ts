/**
 * Building attributes from the ways real data spells them — OSM tags (`height` "12 m",
 * `building:levels`, `building:use`, `building`, `roof:shape`), CityGML/CityJSON codes, and the
 * Chinese field names of survey shapefiles (高度, 层数, 用途, 名称) — mapped to BuildingProps.
 *
 * Defaults where data is missing (docs/tiles-import.md): height = floors × 3 m, else 10 m;
 * floors = round(height / 3 m), at least 1; use "mixed" when nothing says otherwise. A value that
 * is present but unreadable ("tall", −5, NaN) rejects the feature instead of being guessed.
 */
import { ROOF_SHAPES, type BuildingProps, type BuildingUse, type RoofShape } from '../../domain/citySource';
import { FeatureRejection } from '../source/geometryChecks';
import { firstPresent, idOf } from './importedLayer';

export const STOREY_HEIGHT_M = 3;
export const DEFAULT_HEIGHT_M = 10;
export const DEFAULT_USE: BuildingUse = 'mixed';
/** Same bound as the source validator: anything taller is a unit error. */
const MAX_HEIGHT_M = 1000;
const MAX_FLOORS = 300;

export const HEIGHT_KEYS = ['height', 'building:height', 'HEIGHT', 'Height', 'measuredHeight', '高度', '建筑高度', 'JZGD'];
export const FLOOR_KEYS = ['building:levels', 'levels', 'floors', 'storeysAboveGround', 'FLOORS', 'Floors', 'LEVELS', '层数', '楼层', '地上层数', 'CS'];
export const USE_KEYS = ['building:use', 'use', 'usage', 'function', 'USE', '用途', '建筑用途', '房屋用途', 'building'];
export const NAME_KEYS = ['name', 'NAME', 'Name', 'name:zh', '名称', '建筑名称', 'MC'];
export const ID_KEYS = ['id', '@id', 'osm_id', 'ID', 'OBJECTID', 'FID', 'BSM', 'identificatie'];
export const ROOF_KEYS = ['roof:shape', 'roofShape', 'roofType', 'ROOF_SHAPE'];

/** Metres from a length such as 12, "12", "12 m", "12.5m", "12,5 m", "40 ft", "40'". */
export function parseLength(v: unknown, key: string): number {
  let metres: number | undefined;
  if (typeof v === 'number') metres = v;
  else if (typeof v === 'string') {
    const m = /^\s*(-?\d+(?:[.,]\d+)?)\s*(m|metres?|meters?|米|ft|feet|')?\s*$/i.exec(v);
    if (m) {
      const n = Number(m[1]!.replace(',', '.'));
      const feet = m[2] !== undefined && /^(ft|feet|')$/i.test(m[2]);
      metres = feet ? n * 0.3048 : n;
    }
  }
  if (metres === undefined || !Number.isFinite(metres) || metres <= 0 || metres > MAX_HEIGHT_M) {
    throw new FeatureRejection(`${key} ${JSON.stringify(v)} is not a height in metres (> 0 and ≤ ${MAX_HEIGHT_M})`);
  }
  return metres;
}

/** A storey count from 5, "5", "5.0"; OSM allows fractional levels for half storeys, rounded up here. */
export function parseFloors(v: unknown, key: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > MAX_FLOORS) {
    throw new FeatureRejection(`${key} ${JSON.stringify(v)} is not a storey count (0–${MAX_FLOORS})`);
  }
  return Math.ceil(n);
}

/** Keyword → use; checked in order, so more specific words come first. Chinese terms match as substrings. */
const USE_WORDS: Array<[RegExp, BuildingUse]> = [
  [/^(?:mixed|mixed_use)$|综合|商住/i, 'mixed'],
  [/hospital|clinic|healthcare|doctors|医院|医疗|卫生/i, 'healthcare'],
  [/school|university|college|kindergarten|education|学校|教育|幼儿园|大学/i, 'education'],
  [/office|办公|写字楼/i, 'office'],
  [/industrial|warehouse|factory|manufacture|工业|厂房|仓库|仓储/i, 'industrial'],
  [/commercial|retail|supermarket|shop|kiosk|hotel|商业|商场|酒店|宾馆/i, 'commercial'],
  [/public|civic|government|townhall|church|temple|mosque|fire_station|police|train_station|transportation|公共|政府|机关|文化|体育/i, 'public'],
  [/residential|house|apartments|detached|terrace|dormitory|bungalow|semidetached|住宅|居住|民居|宿舍/i, 'residential'],
];

/**
 * CityGML building function codes. ALKIS (German) "31001_1000"-style codes carry the class in the
 * thousands; the plain CityGML 2.0 BuildingFunction list uses 1000 residential, 1010–1130 mixed
 * residential/business, 1140–1999 business, 2000–2999 trade and services, 3000–3999 public.
 */
function useFromCode(code: string): BuildingUse | undefined {
  const m = /^(?:31001_)?(\d{4})$/.exec(code.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n >= 1000 && n < 1010) return 'residential';
  if (n >= 1010 && n < 1200) return 'mixed';
  if (n >= 2000 && n < 2100) return 'office';
  if (n >= 2100 && n < 3000) return 'commercial';
  if (n >= 3000 && n < 3100) return 'public';
  if (n >= 3100 && n < 3200) return 'education';
  if (n >= 3200 && n < 3300) return 'healthcare';
  if (n >= 3000 && n < 4000) return 'public';
  return undefined;
}

/** The BuildingUse a raw value names, or undefined when it says nothing ("yes", "unknown"). */
export function mapUse(v: unknown): BuildingUse | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v);
  const byCode = useFromCode(s);
  if (byCode) return byCode;
  for (const [pattern, use] of USE_WORDS) if (pattern.test(s)) return use;
  return undefined;
}

/** OSM `roof:shape` values and CityGML RoofType codes (1000 flat … 1070 pavilion) → RoofShape. */
export function mapRoofShape(v: unknown): RoofShape | undefined {
  const s = String(v).trim().toLowerCase();
  if ((ROOF_SHAPES as readonly string[]).includes(s)) return s as RoofShape;
  const aliases: Record<string, RoofShape> = {
    gable: 'gabled', saddle: 'gabled', '1030': 'gabled', hip: 'hipped', half_hipped: 'hipped', '1040': 'hipped', '1050': 'hipped',
    pyramid: 'pyramidal', pavilion: 'pyramidal', '1070': 'pyramidal', monopitch: 'skillion', lean_to: 'skillion', shed: 'skillion',
    '1010': 'skillion', '1000': 'flat',
  };
  return aliases[s];
}

export interface BuildingAttributeOptions {
  /** Height measured from geometry (CityJSON); wins over attributes when given. */
  geometryHeight?: number;
  /** Id to use when the attributes carry none (e.g. "b17" from the feature index). */
  fallbackId: string;
}

/** The id the attributes give a building (first of ID_KEYS present), if any. */
export function attributeId(props: Record<string, unknown>): string | undefined {
  const raw = firstPresent(props, ID_KEYS);
  return raw ? idOf(raw.value) : undefined;
}

/** BuildingProps from raw attributes; throws FeatureRejection for present-but-bad values. */
export function buildingPropsFrom(props: Record<string, unknown>, opts: BuildingAttributeOptions): BuildingProps {
  const id = attributeId(props) ?? opts.fallbackId;
  const floorsRaw = firstPresent(props, FLOOR_KEYS);
  let floors = floorsRaw ? parseFloors(floorsRaw.value, floorsRaw.key) : undefined;
  let height = opts.geometryHeight;
  if (height === undefined) {
    const h = firstPresent(props, HEIGHT_KEYS);
    height = h ? parseLength(h.value, h.key) : floors !== undefined && floors > 0 ? floors * STOREY_HEIGHT_M : DEFAULT_HEIGHT_M;
  }
  floors ??= Math.max(1, Math.round(height / STOREY_HEIGHT_M));
  let use: BuildingUse | undefined;
  for (const key of USE_KEYS) {
    use = mapUse(props[key]);
    if (use) break;
  }
  const out: BuildingProps = { id, height: Math.round(height * 100) / 100, floors, use: use ?? DEFAULT_USE };
  const name = firstPresent(props, NAME_KEYS);
  if (name && typeof name.value === 'string') out.name = name.value.trim().slice(0, 512);
  const roof = firstPresent(props, ROOF_KEYS);
  const roofShape = roof ? mapRoofShape(roof.value) : undefined;
  if (roofShape) out.roofShape = roofShape;
  return out;
}
