/**
 * The device registry: for every terminal of the twin, the pole it sits on, that pole's road and
 * rank along it, and the urban component it watches — the links a rule needs to say "three lamps
 * in a row on Binhai Avenue" and a case needs to name the manhole cover concerned.
 *
 * Component links, nearest first within MAX_COMPONENT_DISTANCE_M of the pole:
 *   cover-sensor  the nearest manhole cover (any 01xx cover class)
 *   water-level   the nearest storm-water cover (0103), where standing water drains
 *   other types   the pole itself (its code is a 0118 street-lamp component code)
 * Pure apart from `loadRoadLines`, which reads the twin's roads layer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceEntry } from '../../../domain/devices';
import { distanceM } from '../../../kernel/geodesy';
import type { TerminalType } from '../../../domain/terminals';
import type { ComponentRecord, PoleRecord, TerminalRecord } from '../../../domain/twinPackage';
import { orderPolesAlongRoads, type RoadLine } from './roadOrder';

/** A sensor more than this far from every candidate watches none we know of. */
export const MAX_COMPONENT_DISTANCE_M = 30;
const MANHOLE_COVER_CLASSES = new Set(['0101', '0102', '0103', '0105', '0106', '0107', '0111']);
const STORM_COVER_CLASS = '0103';
/** Grid bucket size for the nearest-component search, in degrees (~55 m at the equator). */
const BUCKET_DEG = 0.0005;

export interface RegistryInput {
  poles: readonly PoleRecord[];
  terminals: readonly TerminalRecord[];
  components: readonly ComponentRecord[];
  roads: ReadonlyMap<string, RoadLine>;
}

/** Components bucketed on a lon/lat grid so a nearest search looks at a few cells, not a million records. */
class ComponentGrid {
  private readonly buckets = new Map<string, ComponentRecord[]>();

  constructor(components: readonly ComponentRecord[], keep: (c: ComponentRecord) => boolean) {
    for (const c of components) {
      if (!keep(c)) continue;
      const key = ComponentGrid.key(Math.floor(c.lon / BUCKET_DEG), Math.floor(c.lat / BUCKET_DEG));
      const list = this.buckets.get(key);
      if (list) list.push(c);
      else this.buckets.set(key, [c]);
    }
  }

  private static key(i: number, j: number): string {
    return `${i}:${j}`;
  }

  nearest(lon: number, lat: number, maxM: number): ComponentRecord | undefined {
    const i0 = Math.floor(lon / BUCKET_DEG);
    const j0 = Math.floor(lat / BUCKET_DEG);
    let best: ComponentRecord | undefined;
    let bestM = maxM;
    // The ring of buckets around the pole reaches 30 m in every direction: a bucket is ≥ 30 m
    // across up to 53° latitude, which covers China.
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (const c of this.buckets.get(ComponentGrid.key(i0 + di, j0 + dj)) ?? []) {
          const d = distanceM(lon, lat, c.lon, c.lat);
          if (d <= bestM) {
            best = c;
            bestM = d;
          }
        }
      }
    }
    return best;
  }
}

export class DeviceRegistry {
  private readonly entries = new Map<string, DeviceEntry>();
  /** Each road's pole ids in order along it. */
  readonly polesAlongRoad: ReadonlyMap<string, readonly string[]>;

  constructor(input: RegistryInput) {
    this.polesAlongRoad = orderPolesAlongRoads(input.poles, input.roads);
    const rank = new Map<string, number>();
    for (const ids of this.polesAlongRoad.values()) ids.forEach((id, i) => rank.set(id, i));
    const poleById = new Map(input.poles.map((p) => [p.id, p]));
    const covers = new ComponentGrid(input.components, (c) => MANHOLE_COVER_CLASSES.has(c.classCode));
    const stormCovers = new ComponentGrid(input.components, (c) => c.classCode === STORM_COVER_CLASS);

    const watched = (type: TerminalType, pole: PoleRecord): string | undefined => {
      if (type === 'cover-sensor') return covers.nearest(pole.lon, pole.lat, MAX_COMPONENT_DISTANCE_M)?.code;
      if (type === 'water-level') return stormCovers.nearest(pole.lon, pole.lat, MAX_COMPONENT_DISTANCE_M)?.code;
      return pole.code;
    };
    for (const t of input.terminals) {
      const pole = poleById.get(t.poleId);
      // TwinIndex already refused terminals on unknown poles; a registry built by hand may not have.
      if (!pole) throw new RangeError(`terminal "${t.id}" is on unknown pole "${t.poleId}"`);
      const entry: DeviceEntry = {
        terminalId: t.id,
        type: t.type,
        poleId: pole.id,
        lon: pole.lon,
        lat: pole.lat,
        roadId: pole.roadId,
        roadRank: rank.get(pole.id) ?? 0,
      };
      const componentCode = watched(t.type, pole);
      if (componentCode !== undefined) entry.componentCode = componentCode;
      if (pole.gridCode !== undefined) entry.gridCode = pole.gridCode;
      this.entries.set(t.id, entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(terminalId: string): DeviceEntry | undefined {
    return this.entries.get(terminalId);
  }

  all(): IterableIterator<DeviceEntry> {
    return this.entries.values();
  }
}

/**
 * The centre lines of the twin's roads layer (GeoJSON LineString / MultiLineString features with
 * an `id` property), by road id. A missing or unreadable layer gives an empty map and a warning:
 * road order then falls back to the poles' own alignment.
 */
export async function loadRoadLines(twinDir: string, file: string, warn: (message: string) => void): Promise<Map<string, RoadLine>> {
  const lines = new Map<string, RoadLine>();
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(twinDir, file), 'utf8'));
  } catch (err) {
    warn(`roads layer ${file} unreadable (${(err as Error).message}): poles are ordered along their own alignment`);
    return lines;
  }
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features)) return lines;
  for (const feature of features as Array<{ properties?: { id?: unknown }; geometry?: { type?: unknown; coordinates?: unknown } }>) {
    const id = feature?.properties?.id;
    const geometry = feature?.geometry;
    if (typeof id !== 'string' || !geometry) continue;
    const parts = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.type === 'MultiLineString' ? geometry.coordinates : undefined;
    if (!Array.isArray(parts)) continue;
    const clean = parts
      .filter(Array.isArray)
      .map((part: unknown[]) => part.filter(isLonLat).map((p) => [p[0], p[1]] as const))
      .filter((part) => part.length >= 2);
    if (clean.length > 0) lines.set(id, clean);
  }
  return lines;
}

function isLonLat(p: unknown): p is [number, number] {
  return Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}
