/**
 * L5 interiors for a package. Interiors weigh about 12 kB per storey (the demo district's
 * 25,000 storeys would be 290 MB, a 100,000-building city gigabytes), so the package holds:
 *   - `interiors/plans.json`: every building's interior input (footprint in local metres,
 *     height, floors, use, origin), from which `buildingInteriorGlb` makes its glb in about two
 *     milliseconds — what a server route calls on demand (onDemand.ts);
 *   - `interiors/{buildingId}.glb` pre-generated for buildings in input order up to a storey
 *     budget, so a plain static host shows some interiors too.
 * Records mark every building whose footprint has room for an interior (`interior: true`), file
 * or not: a server makes the rest. `{buildingId}` is the id as a file name (domain/interiorFile.ts:
 * `way/360099726` → `way~2F360099726`); ids whose name would be too long get no file, only a plan.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { interiorFileName, MAX_INTERIOR_FILE_NAME } from '../../../domain/interiorFile';
import { EnuFrame, type Vec3 } from '../../../kernel/geodesy';
import type { PlacedBuilding } from '../ground';
import { buildingInterior, hasInteriorRoom, MAX_FLOORS, MAX_PLANS_BYTES, type InteriorInput } from './interiorGlb';
import { bimShellSurfaces, type BimBuilding } from '../../import/ifc/ifcBuilding';
import { bimInteriorGlb } from './bimInteriorGlb';

export const INTERIORS_DIR = 'interiors';
/** The manifest's path template; clients put the id's file name in (domain/interiorFile.ts). */
export const INTERIORS_TEMPLATE = `${INTERIORS_DIR}/{buildingId}.glb`;
export const INTERIOR_PLANS_FILE = `${INTERIORS_DIR}/plans.json`;
/** Default storey budget for pre-generated files: about 25 MB. */
export const DEFAULT_INTERIOR_FLOORS = 2_000;
/** Refusals kept in the report; the count is in `skipped`. */
const REFUSALS_KEPT = 100;

export interface InteriorsResult {
  /** Ids of the buildings that got an interior file. */
  written: Set<string>;
  /** Ids of the buildings with an interior: a file, or a plan with room for one that a server makes on demand. */
  available: Set<string>;
  floors: number;
  rooms: number;
  bytes: number;
  /** Buildings without a file: storey budget spent, a name too long for a file, or no room for one. */
  skipped: number;
  /** Buildings over a per-building limit (interiorGlb.ts), with the reason: no interior even on demand. The first REFUSALS_KEPT. */
  refused: Array<{ id: string; reason: string }>;
  plansBytes: number;
}

const roundCm = (v: number): number => Math.round(v * 100) / 100;

/** A building's footprint in metres east/north of its centroid (the interior's origin). */
export function interiorInput(b: PlacedBuilding): InteriorInput {
  const frame = new EnuFrame(b.lon, b.lat, b.groundHeight);
  const p: Vec3 = [0, 0, 0];
  const polygons = (b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : b.geometry.coordinates).map((rings) =>
    rings.map((ring) => {
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      const n = ring.length > 1 && first[0] === last[0] && first[1] === last[1] ? ring.length - 1 : ring.length;
      // Centimetres: what plans.json stores, so a glb made from it equals one made here.
      return ring.slice(0, n).map((q): [number, number] => {
        frame.fromGeodetic(q[0]!, q[1]!, b.groundHeight, p);
        return [roundCm(p[0]), roundCm(p[1])];
      });
    }),
  );
  const { id, use, height, floors } = b.properties;
  return { id, use, height, floors, polygons, origin: { lon: b.lon, lat: b.lat, height: b.groundHeight } };
}

export async function buildInteriors(
  buildings: readonly PlacedBuilding[],
  packageDir: string,
  maxFloors = DEFAULT_INTERIOR_FLOORS,
  onProgress?: (done: number, total: number) => void,
  bim: readonly BimBuilding[] = [],
): Promise<InteriorsResult> {
  const dir = path.join(packageDir, INTERIORS_DIR);
  await mkdir(dir, { recursive: true });
  const result: InteriorsResult = { written: new Set(), available: new Set(), floors: 0, rooms: 0, bytes: 0, skipped: 0, refused: [], plansBytes: 0 };
  const plans: string[] = [];
  const models = new Map(bim.map((m) => [m.buildingId, m]));
  for (let i = 0; i < buildings.length; i++) {
    const b = buildings[i]!;
    const model = models.get(b.properties.id);
    if (model) {
      // An IFC model's own interior, whatever the storey budget; no plan, so a server never makes a generated one instead.
      const built = bimInteriorGlb(model, { id: b.properties.id, lon: b.lon, lat: b.lat, groundHeight: b.groundHeight });
      await writeFile(path.join(dir, `${interiorFileName(b.properties.id)}.glb`), built.glb);
      result.written.add(b.properties.id);
      result.available.add(b.properties.id);
      result.floors += model.model.storeys.length;
      result.rooms += built.rooms;
      result.bytes += built.glb.byteLength;
      continue;
    }
    const input = interiorInput(b);
    plans.push(JSON.stringify(input));
    const floors = Math.min(Math.max(1, Math.round(b.properties.floors)), MAX_FLOORS);
    const name = interiorFileName(b.properties.id);
    if (result.floors + floors > maxFloors || name.length > MAX_INTERIOR_FILE_NAME) {
      if (hasInteriorRoom(input)) result.available.add(b.properties.id);
      result.skipped++;
      continue;
    }
    const { built, refused } = buildingInterior(input);
    if (refused !== undefined && result.refused.length < REFUSALS_KEPT) result.refused.push({ id: b.properties.id, reason: refused });
    if (!built) {
      result.skipped++;
      continue;
    }
    await writeFile(path.join(dir, `${name}.glb`), built.glb);
    result.written.add(b.properties.id);
    result.available.add(b.properties.id);
    result.floors += floors;
    result.rooms += built.rooms;
    result.bytes += built.glb.byteLength;
    if ((i + 1) % 500 === 0 || i + 1 === buildings.length) onProgress?.(i + 1, buildings.length);
  }
  // One record per line: readable, and a reader can stream it.
  const text = `[\n${plans.join(',\n')}\n]\n`;
  if (Buffer.byteLength(text) > MAX_PLANS_BYTES) {
    throw new Error(`interiors: plans.json would be ${Math.round(Buffer.byteLength(text) / 2 ** 20)} MiB, over the ${MAX_PLANS_BYTES / 2 ** 20} MiB a server reads (MAX_PLANS_BYTES)`);
  }
  await writeFile(path.join(packageDir, INTERIOR_PLANS_FILE), text);
  result.plansBytes = Buffer.byteLength(text);
  return result;
}

/** Gives each IFC building its L3 shell: the model's outer faces as surfaces above the ground it was placed on. */
export function attachBimShells(buildings: readonly PlacedBuilding[], bim: readonly BimBuilding[] = []): void {
  const models = new Map(bim.map((m) => [m.buildingId, m]));
  for (const b of buildings) {
    const model = models.get(b.properties.id);
    if (model) b.properties.surfaces = bimShellSurfaces(model, b.groundHeight);
  }
}
