/**
 * The outline of a set of faces seen from above: what a building's footprint is when its
 * geometry gives it only as pieces — a triangulated GroundSurface, or (LoD1 solids without a
 * bottom face, as in cjio's delft.json) only the roof faces, whose projection covers the same
 * ground. Faces are lon/lat rings; lengths and areas are measured in local metres.
 *
 * The faces of one side of a solid tile the plane without overlapping, so an edge inside the
 * outline belongs to two faces, once each way, and an edge on the outline to one: dropping the
 * edges that come in opposite pairs leaves the outline, chained into rings. Counter-clockwise
 * rings are outer rings, clockwise ones holes.
 */
import { pointInPolygon } from '../../kernel/geodesy';
import { metresPerDegree } from '../pipeline/terrain/tilingScheme';

export type Ring2D = Array<[number, number]>;

/** A face narrower than this seen from above has no 2D area: a wall. */
const MIN_WIDTH_M = 0.01;

/** Signed area (counter-clockwise positive) of an open or closed lon/lat ring, in m², and its longest edge in m. */
export function planMeasures(ring: ReadonlyArray<readonly number[]>): { areaM2: number; longestM: number } {
  const lat0 = ring[0]![1]!;
  const m = metresPerDegree(lat0);
  let twice = 0;
  let longest = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    const ax = (a[0]! - ring[0]![0]!) * m.lon;
    const ay = (a[1]! - lat0) * m.lat;
    const bx = (b[0]! - ring[0]![0]!) * m.lon;
    const by = (b[1]! - lat0) * m.lat;
    twice += ax * by - bx * ay;
    longest = Math.max(longest, Math.hypot(bx - ax, by - ay));
  }
  return { areaM2: twice / 2, longestM: longest };
}

/**
 * Whether a face, seen from above, is more than a sliver: a vertical wall projects onto a line,
 * so every vertex lies within MIN_WIDTH_M of the line through its two farthest-apart points.
 */
export function hasPlanArea(ring: ReadonlyArray<readonly number[]>): boolean {
  const m = metresPerDegree(ring[0]![1]!);
  const xy = ring.map((p) => [(p[0]! - ring[0]![0]!) * m.lon, (p[1]! - ring[0]![1]!) * m.lat] as const);
  const far = xy.reduce((a, p) => (Math.hypot(p[0], p[1]) > Math.hypot(a[0], a[1]) ? p : a));
  const length = Math.hypot(far[0], far[1]);
  if (length === 0) return false;
  return xy.some((p) => Math.abs(p[0] * far[1] - p[1] * far[0]) / length >= MIN_WIDTH_M);
}

const key = (p: readonly number[]): string => `${p[0]!.toFixed(10)},${p[1]!.toFixed(10)}`;

/**
 * The outline of faces (each an outer ring then holes, open, lon/lat) as polygons of closed
 * rings, outer ring first; undefined where the faces do not tile one region edge to edge
 * (overlaps, T-junctions), for the caller to fall back on something coarser.
 */
export function outlineOfFaces(faces: ReadonlyArray<ReadonlyArray<ReadonlyArray<readonly number[]>>>): Ring2D[][] | undefined {
  // Directed edges, every face turned counter-clockwise (its holes clockwise); an edge and its reverse cancel.
  const edges = new Map<string, number>();
  const points = new Map<string, [number, number]>();
  const addRing = (ring: ReadonlyArray<readonly number[]>, ccw: boolean): void => {
    const reverse = planMeasures(ring).areaM2 > 0 !== ccw;
    const pts = (reverse ? [...ring].reverse() : ring).map((p) => {
      const k = key(p);
      points.set(k, [p[0]!, p[1]!]);
      return k;
    });
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[(i + 1) % pts.length]!;
      if (a === b) continue;
      const back = `${b}|${a}`;
      const n = edges.get(back) ?? 0;
      if (n > 0) {
        if (n === 1) edges.delete(back);
        else edges.set(back, n - 1);
      } else edges.set(`${a}|${b}`, (edges.get(`${a}|${b}`) ?? 0) + 1);
    }
  };
  for (const face of faces) face.forEach((ring, r) => addRing(ring, r === 0));

  const next = new Map<string, string[]>();
  for (const [edge, n] of edges) {
    if (n !== 1) return undefined;
    const [a, b] = edge.split('|') as [string, string];
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const rings: Ring2D[] = [];
  for (const start of [...next.keys()]) {
    while ((next.get(start)?.length ?? 0) > 0) {
      const ring: Ring2D = [];
      let at = start;
      do {
        const outs = next.get(at);
        if (!outs || outs.length === 0) return undefined;
        ring.push(points.get(at)!);
        at = outs.pop()!;
        if (ring.length > edges.size) return undefined;
      } while (at !== start);
      if (ring.length < 3) return undefined;
      ring.push([ring[0]![0], ring[0]![1]]);
      rings.push(ring);
    }
  }
  const outers = rings.filter((r) => planMeasures(r).areaM2 > 0);
  const holes = rings.filter((r) => planMeasures(r).areaM2 <= 0);
  if (outers.length === 0) return undefined;
  const polygons: Ring2D[][] = outers.map((r) => [r]);
  for (const hole of holes) {
    // The smallest outer ring around the hole's first point holds it.
    const owners = outers.map((r, i) => ({ i, area: planMeasures(r).areaM2 })).filter(({ i }) => pointInPolygon(hole[0]![0], hole[0]![1], outers[i]!));
    if (owners.length === 0) return undefined;
    polygons[owners.reduce((a, b) => (b.area < a.area ? b : a)).i]!.push(hole);
  }
  return polygons;
}
