/**
 * The indoor viewer's rules, free of three.js: which storeys and categories show, how far an
 * exploded storey lifts, and a picked element's metadata row as the twin's room selection.
 */

import { BIM_CATEGORIES, type BimCategory } from '../../../../../domain/bim';

/** Element categories of an IFC interior (domain/bim.ts), in menu order. */
export const BIM_VIEW_CATEGORIES = BIM_CATEGORIES;
export type BimViewCategory = BimCategory;

/** Categories shown when the viewer opens: the rooms and what bounds them; roofs and furniture off. */
export const DEFAULT_CATEGORIES: ReadonlySet<BimViewCategory> = new Set(['space', 'wall', 'door', 'window', 'stair', 'slab', 'column', 'beam', 'railing', 'covering', 'other']);

/** Gap added between storeys per step of the explode slider at 1 (m). */
export const EXPLODE_GAP_M = 4;

export interface StoreyInfo {
  /** 0 is the lowest storey (the glb's node `floor-1`). */
  index: number;
  name: string;
  elevationM: number;
}

/** Storey index of a glb node named `floor-<k>`; undefined for other nodes. */
export function storeyOfNode(name: string): number | undefined {
  const m = /^floor-(\d+)$/.exec(name);
  return m ? Number(m[1]) - 1 : undefined;
}

/** Metres a storey is lifted at `explode` ∈ [0, 1]: storeys above move further, so all separate. */
export function explodeLiftM(index: number, explode: number): number {
  return index * Math.min(1, Math.max(0, explode)) * EXPLODE_GAP_M;
}

export function storeyShown(index: number, isolated: number | null): boolean {
  return isolated === null || isolated === index;
}

/** Category of a glb material named `bim-<category>`; undefined for other materials. */
export function categoryOfMaterial(name: string): BimViewCategory | undefined {
  const c = name.startsWith('bim-') ? name.slice(4) : '';
  return (BIM_VIEW_CATEGORIES as readonly string[]).includes(c) ? (c as BimViewCategory) : undefined;
}

type Scalar = string | number | boolean | null;

/** A row of the interior's property table (EXT_structural_metadata class `bimElement`). */
export interface BimRow {
  buildingId: string;
  floor: number;
  storey: string;
  category: string;
  ifcType: string;
  globalId: string;
  name: string;
  longName: string;
  areaM2: number;
  elevationM: number;
  properties: string;
}

/** Most property-set values shown with a selection (the attribute panel is a panel, not a report). */
export const MAX_SHOWN_PROPERTIES = 40;

/**
 * Reads a row from the untyped object the metadata reader returns: an IFC interior's `bimElement`
 * row, or a generated interior's `room` row (interiorGlb.ts: roomId, use, …) read as a space, so
 * the viewer opens either kind; undefined for anything else.
 */
export function bimRow(data: Record<string, unknown> | null | undefined): BimRow | undefined {
  if (data && typeof data.globalId !== 'string' && typeof data.roomId === 'string') {
    const use = typeof data.use === 'string' ? data.use : '';
    return bimRow({ ...data, globalId: data.roomId, name: data.roomId, longName: use, category: 'space', ifcType: '', storey: `${Number(data.floor ?? 0) + 1}`, properties: '' });
  }
  if (!data || typeof data.globalId !== 'string' || typeof data.category !== 'string') return undefined;
  const str = (k: string): string => (typeof data[k] === 'string' ? (data[k] as string) : '');
  const num = (k: string): number => (typeof data[k] === 'number' ? (data[k] as number) : Number(data[k] ?? 0));
  return {
    buildingId: str('buildingId'),
    floor: num('floor'),
    storey: str('storey'),
    category: data.category,
    ifcType: str('ifcType'),
    globalId: data.globalId,
    name: str('name'),
    longName: str('longName'),
    areaM2: Math.round(num('areaM2') * 100) / 100,
    elevationM: Math.round(num('elevationM') * 100) / 100,
    properties: str('properties'),
  };
}

/**
 * The twin's selection for a picked element: a room (what the selection store calls any L5
 * feature) with its IFC identity first, then its property sets as `Set.Property` entries.
 */
export function roomSelection(row: BimRow): { kind: 'room'; id: string; buildingId: string; properties: Record<string, Scalar> } {
  const properties: Record<string, Scalar> = {
    globalId: row.globalId,
    name: row.name,
    longName: row.longName,
    category: row.category,
    ifcType: row.ifcType,
    storey: row.storey,
    floor: row.floor,
    areaM2: row.areaM2,
    elevationM: row.elevationM,
  };
  let sets: Record<string, Record<string, Scalar>> = {};
  try {
    sets = JSON.parse(row.properties || '{}') as Record<string, Record<string, Scalar>>;
  } catch {
    // A row without readable property sets still selects its element.
  }
  let shown = 0;
  for (const [set, values] of Object.entries(sets)) {
    for (const [name, value] of Object.entries(values)) {
      if (shown++ >= MAX_SHOWN_PROPERTIES) break;
      properties[`${set}.${name}`] = value;
    }
  }
  return { kind: 'room', id: row.globalId, buildingId: row.buildingId, properties };
}
