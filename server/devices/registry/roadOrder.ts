/**
 * The order of poles along their road, for rules about neighbours ("three consecutive lamps out").
 *
 * Pole records name their road but not their rank on it, so the rank is derived: each pole is
 * projected onto its road's centre line (the twin's roads layer) and ranked by chainage, the
 * distance along the line to the foot of the projection. Poles on both sides of a wide road then
 * interleave, as they do for someone walking along it. A road without geometry falls back to the
 * principal axis of its own poles, which is exact for a straight road.
 *
 * Pure: metres come from a local equirectangular projection around each road, accurate to well
 * under a metre over a district.
 */
import { chainageOnLine } from '../../../kernel/geodesy';

export interface PolePlace {
  id: string;
  lon: number;
  lat: number;
  roadId: string;
}

/** A road's centre line: one or more parts of [lon, lat] vertices, in their drawn order. */
export type RoadLine = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

const M_PER_DEG = 111_320;

type Xy = [number, number];

/** Chainage (m) of point p on a polyline of local x/y metres: the foot of the nearest segment. */
function chainage(p: Xy, line: readonly Xy[]): number {
  return chainageOnLine(line, p).chainageM;
}

/** Chainage along the principal axis of the points (the direction of greatest spread). */
function axisChainages(points: readonly Xy[]): number[] {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  // Angle of the major axis of the 2×2 covariance matrix.
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  return points.map(([x, y]) => (x - mx) * ux + (y - my) * uy);
}

/**
 * Each road's pole ids in order along it. Ties (two poles at the same chainage) keep id order,
 * so the result is deterministic.
 */
export function orderPolesAlongRoads(poles: readonly PolePlace[], roads: ReadonlyMap<string, RoadLine>): Map<string, string[]> {
  const byRoad = new Map<string, PolePlace[]>();
  for (const pole of poles) {
    const list = byRoad.get(pole.roadId);
    if (list) list.push(pole);
    else byRoad.set(pole.roadId, [pole]);
  }
  const ordered = new Map<string, string[]>();
  for (const [roadId, list] of byRoad) {
    const lon0 = list[0]!.lon;
    const lat0 = list[0]!.lat;
    const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
    const toXy = (lon: number, lat: number): Xy => [(lon - lon0) * kx, (lat - lat0) * M_PER_DEG];
    const points = list.map((p) => toXy(p.lon, p.lat));
    const parts = roads.get(roadId);
    let along: number[];
    if (parts && parts.some((part) => part.length >= 2)) {
      // Parts laid end to end in their drawn order, so chainage keeps growing along the road.
      const line = parts.flatMap((part) => part.map(([lon, lat]) => toXy(lon, lat)));
      along = points.map((p) => chainage(p, line));
    } else {
      along = list.length > 1 ? axisChainages(points) : [0];
    }
    const ranked = list.map((pole, i) => ({ id: pole.id, at: along[i]! }));
    ranked.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    ordered.set(roadId, ranked.map((r) => r.id));
  }
  return ordered;
}
