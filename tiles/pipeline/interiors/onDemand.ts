/**
 * L5 interiors on demand: a package's `interiors/plans.json` opened once, and any building's
 * interior glb made from it when asked (buildingInteriorGlb, about two milliseconds), with the
 * most recent ones kept. What a server route answering `interiors/{buildingId}.glb` calls for
 * buildings the build did not pre-generate; the bytes equal a pre-generated file's.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BUILDING_USES, type BuildingUse } from '../../../domain/citySource';
import { buildingInteriorGlb, MAX_PLANS_BYTES, type InteriorInput } from './interiorGlb';
import { INTERIOR_PLANS_FILE } from './index';

/** plans.json above this size is refused (a 100,000-building city writes about 40 MB). */
/** Interiors kept after they were made. */
const CACHE_ENTRIES = 64;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks one plans.json record; throws naming the record and the field. */
export function parseInteriorInput(value: unknown, where: string): InteriorInput {
  const r = value as Partial<Record<keyof InteriorInput, unknown>>;
  if (typeof r !== 'object' || r === null) throw new Error(`${where}: not an object`);
  if (typeof r.id !== 'string' || r.id === '') throw new Error(`${where}: id must be a non-empty string`);
  if (!BUILDING_USES.includes(r.use as BuildingUse)) throw new Error(`${where}: use must be one of ${BUILDING_USES.join(', ')}`);
  if (!isNumber(r.height) || r.height <= 0) throw new Error(`${where}: height must be a number > 0`);
  if (!isNumber(r.floors) || r.floors < 1) throw new Error(`${where}: floors must be a number ≥ 1`);
  const o = r.origin as Partial<InteriorInput['origin']> | undefined;
  if (!o || !isNumber(o.lon) || !isNumber(o.lat) || !isNumber(o.height)) throw new Error(`${where}: origin must have numeric lon, lat and height`);
  const polygons = r.polygons;
  const isPoint = (p: unknown) => Array.isArray(p) && p.length === 2 && isNumber(p[0]) && isNumber(p[1]);
  if (!Array.isArray(polygons) || !polygons.every((poly) => Array.isArray(poly) && poly.every((ring) => Array.isArray(ring) && ring.every(isPoint)))) {
    throw new Error(`${where}: polygons must be arrays of rings of [x, y] metres`);
  }
  return r as InteriorInput;
}

export class InteriorPlans {
  private readonly cache = new Map<string, Uint8Array>();

  private constructor(private readonly plans: Map<string, InteriorInput>) {}

  /** Opens `<packageDir>/interiors/plans.json`. */
  static async open(packageDir: string): Promise<InteriorPlans> {
    const file = path.join(packageDir, INTERIOR_PLANS_FILE);
    const size = (await stat(file)).size;
    if (size > MAX_PLANS_BYTES) throw new Error(`${file}: ${Math.round(size / 2 ** 20)} MiB is over the ${MAX_PLANS_BYTES / 2 ** 20} MiB limit`);
    let records: unknown;
    try {
      records = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: not JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(records)) throw new Error(`${file}: expected an array of interior plans`);
    const plans = new Map<string, InteriorInput>();
    records.forEach((r, i) => {
      const plan = parseInteriorInput(r, `${file} [${i}]`);
      plans.set(plan.id, plan);
    });
    return new InteriorPlans(plans);
  }

  get size(): number {
    return this.plans.size;
  }

  /** Every building's plan: its footprint, height and origin (also what line-of-sight checks extrude). */
  inputs(): IterableIterator<InteriorInput> {
    return this.plans.values();
  }

  has(buildingId: string): boolean {
    return this.plans.has(buildingId);
  }

  /** The building's interior glb; undefined for an unknown id or a footprint without room for one. */
  glb(buildingId: string): Uint8Array | undefined {
    const hit = this.cache.get(buildingId);
    if (hit) {
      // Most recent last: Map keeps insertion order.
      this.cache.delete(buildingId);
      this.cache.set(buildingId, hit);
      return hit;
    }
    const plan = this.plans.get(buildingId);
    const built = plan && buildingInteriorGlb(plan);
    if (!built) return undefined;
    this.cache.set(buildingId, built.glb);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return built.glb;
  }
}
