/**
 * The twin's buildings as sight obstacles for "which cameras see this point": each building's
 * footprint polygons (outer ring and courtyards), given in metres around the building's own origin
 * (the interior plans), moved into one shared east-north-up frame and extruded from its base to
 * its roof — the L2 white models. The line-of-sight test itself is simulations/sight/obstacles.ts,
 * the one the planners' viewshed and sun hours use.
 */
import { EnuFrame, type Vec3 } from '../../kernel/geodesy';
import { Obstacles, type Prism } from '../../simulations/sight/obstacles';

/** What a prism is made from: the interior plans' footprint records (tiles/pipeline/interiors). */
export interface PrismSource {
  id: string;
  /** Building height above its base, metres. */
  height: number;
  /** Footprint polygons in metres east/north of the origin: outer ring then holes. */
  polygons: ReadonlyArray<ReadonlyArray<ReadonlyArray<readonly [number, number]>>>;
  /** The footprint's origin; `height` is the base, metres above the ellipsoid. */
  origin: { lon: number; lat: number; height: number };
}

/** Index cell side, metres: about one city block's building, so a cell holds a handful. */
export const PRISM_CELL_M = 40;

/** The buildings in `frame` (whose z is height above the frame's origin, metres). */
export function buildingObstacles(frame: EnuFrame, sources: Iterable<PrismSource>): Obstacles {
  const prisms: Prism[] = [];
  const p: Vec3 = [0, 0, 0];
  for (const s of sources) {
    const local = new EnuFrame(s.origin.lon, s.origin.lat, s.origin.height);
    const shared = ([e, n]: readonly [number, number]): [number, number] => {
      local.toEcef(e, n, 0, p);
      frame.fromEcef(p[0], p[1], p[2], p);
      return [p[0], p[1]];
    };
    local.toEcef(0, 0, 0, p);
    const baseM = frame.fromEcef(p[0], p[1], p[2], p)[2];
    local.toEcef(0, 0, s.height, p);
    const topM = frame.fromEcef(p[0], p[1], p[2], p)[2];
    for (const [outer, ...holes] of s.polygons) {
      if (!outer || outer.length < 3) continue;
      prisms.push({ id: s.id, ring: outer.map(shared), ...(holes.length > 0 ? { holes: holes.map((h) => h.map(shared)) } : {}), baseM, topM });
    }
  }
  return new Obstacles(prisms, undefined, PRISM_CELL_M);
}
