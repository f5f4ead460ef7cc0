/**
 * The graph gravity networks are laid on: manhole positions along every road centreline on solid
 * ground — at road ends, at every junction (shared by the roads that meet there) and between
 * them at most MAX_SPACING_M apart — and the runs of road between consecutive ones. Where a road
 * leaves the land (a bridge head, a street ending at the river, the coastal road by the beach) the
 * graph marks a place for an outfall at the water's edge.
 */
import { inDistrict, type PlanFrame } from './frame';
import type { Polyline, Vec2 } from './geometry';
import type { Junction } from './junctions';
import type { Landform } from './landform';
import type { Road } from './roads';

/** Manholes stand at most this far apart (CJJ and GB 50014 ask 30–50 m on small pipes). */
export const MAX_SPACING_M = 50;
/** A junction this close to a road end is the end. */
const END_MERGE_M = 3;
/** Step of the walk that finds where a road is on land. */
const LAND_STEP_M = 2;
/** A road end this close to water gets an outfall. */
const OUTFALL_REACH_M = 90;
/** Along the coastal road, an outfall to the sea about this often. */
const COASTAL_OUTFALL_EVERY_M = 450;

export interface GraphNode {
  x: number;
  y: number;
  /** Where an outfall from here would discharge, when this node is at the water. */
  water?: { x: number; y: number; receiving: 'river' | 'sea' };
}

export interface GraphEdge {
  a: number;
  b: number;
  /** Centreline from node a to node b. */
  points: Vec2[];
  length: number;
  road: Road;
}

export interface RoadGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function chainageOf(line: Polyline, x: number, y: number): number {
  let best = Infinity;
  let at = 0;
  const pts = line.points;
  for (let i = 0; i + 1 < pts.length; i++) {
    const [ax, ay] = pts[i]!;
    const [bx, by] = pts[i + 1]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
    const d = Math.hypot(ax + dx * t - x, ay + dy * t - y);
    if (d < best) {
      best = d;
      at = line.cum[i]! + t * (line.cum[i + 1]! - line.cum[i]!);
    }
  }
  return at;
}

export function buildRoadGraph(roads: readonly Road[], junctions: readonly Junction[], landform: Landform, frame: PlanFrame): RoadGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const junctionNode = new Map<Junction, number>();
  const perRoad = new Map<Road, Array<{ s: number; junction: Junction }>>();
  for (const j of junctions) {
    for (const road of [j.a, j.b]) {
      const list = perRoad.get(road) ?? [];
      list.push({ s: chainageOf(road.line, j.x, j.y), junction: j });
      perRoad.set(road, list);
    }
  }
  const onLand = solidGround(landform, frame);
  /** The water's edge nearest a land point, when within reach. */
  const waterNear = (x: number, y: number): GraphNode['water'] => {
    const [p, q] = frame.toPlan(x, y);
    const toSea = q - landform.coastQ(p);
    const half = landform.riverHalfWidth(q);
    const toRiver = landform.riverDistance(p, q) - half;
    if (Math.min(toSea, toRiver) > OUTFALL_REACH_M) return undefined;
    if (toSea <= toRiver) {
      const [wx, wy] = frame.toWorld(p, landform.coastQ(p) + 1);
      return { x: wx, y: wy, receiving: 'sea' };
    }
    const side = Math.sign(p - landform.riverP(q)) || 1;
    const [wx, wy] = frame.toWorld(landform.riverP(q) + side * (half - 1), q);
    return { x: wx, y: wy, receiving: 'river' };
  };
  const addNode = (x: number, y: number): number => nodes.push({ x, y }) - 1;

  for (const road of roads) {
    const line = road.line;
    const js = (perRoad.get(road) ?? []).sort((u, v) => u.s - v.s);
    for (const [s0, s1] of landIntervals(line, onLand)) {
      const stations: Array<{ s: number; node: number }> = [];
      const nodeAt = (s: number): number => {
        const j = js.find((e) => Math.abs(e.s - s) < END_MERGE_M);
        if (j) {
          let id = junctionNode.get(j.junction);
          if (id === undefined) junctionNode.set(j.junction, (id = addNode(j.junction.x, j.junction.y)));
          return id;
        }
        const { x, y } = line.at(s);
        return addNode(x, y);
      };
      stations.push({ s: s0, node: nodeAt(s0) });
      for (const j of js) if (j.s > s0 + END_MERGE_M && j.s < s1 - END_MERGE_M) stations.push({ s: j.s, node: nodeAt(j.s) });
      stations.push({ s: s1, node: nodeAt(s1) });
      // Ends at water: the bank of a bridge head, or a street stopping short of the river or beach.
      for (const end of [stations[0]!, stations[stations.length - 1]!]) {
        const n = nodes[end.node]!;
        const cutByWater = end.s > 0 && end.s < line.length;
        const isEnd = end.s <= 0 || end.s >= line.length;
        if ((cutByWater || isEnd) && !n.water) {
          const w = waterNear(n.x, n.y);
          if (w) n.water = w;
        }
      }
      let sinceOutfall = 0;
      for (let k = 0; k + 1 < stations.length; k++) {
        const from = stations[k]!;
        const to = stations[k + 1]!;
        const gap = to.s - from.s;
        if (gap < 0.5) continue;
        // Junction nodes may sit up to END_MERGE_M off their station: keep that much in hand at each end.
        const parts = Math.ceil(gap / (MAX_SPACING_M - 2 * END_MERGE_M));
        let prev = from.node;
        for (let i = 1; i <= parts; i++) {
          const sa = from.s + ((i - 1) * gap) / parts;
          const sb = from.s + (i * gap) / parts;
          const next = i === parts ? to.node : nodeAt(sb);
          const points = line.slice(sa, sb);
          const a = nodes[prev]!;
          const b = nodes[next]!;
          // Junction nodes sit on the crossing point, which may be a little off this road's line.
          points[0] = [a.x, a.y];
          points[points.length - 1] = [b.x, b.y];
          edges.push({ a: prev, b: next, points, length: sb - sa, road });
          sinceOutfall += sb - sa;
          if (road.kind === 'coastal' && sinceOutfall > COASTAL_OUTFALL_EVERY_M && !b.water) {
            const w = waterNear(b.x, b.y);
            if (w) {
              b.water = w;
              sinceOutfall = 0;
            }
          }
          prev = next;
        }
      }
    }
  }
  return { nodes, edges };
}

/** True on solid ground: in the district, off the sea and 3 m clear of the river. */
export function solidGround(landform: Landform, frame: PlanFrame): (x: number, y: number) => boolean {
  return (x, y) => {
    if (!inDistrict(x, y, 1)) return false;
    const [p, q] = frame.toPlan(x, y);
    return !landform.isSea(p, q) && landform.riverDistance(p, q) > landform.riverHalfWidth(q) + 3;
  };
}

/** Chainage intervals (at least 20 m long) where the line is on land. */
export function landIntervals(line: Polyline, onLand: (x: number, y: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = Math.ceil(line.length / LAND_STEP_M);
  let start = -1;
  for (let k = 0; k <= n; k++) {
    const s = Math.min(k * LAND_STEP_M, line.length);
    const { x, y } = line.at(s);
    const good = onLand(x, y);
    if (good && start < 0) start = s;
    if ((!good || k === n) && start >= 0) {
      const end = good ? s : s - LAND_STEP_M;
      if (end - start >= 20) out.push([start, end]);
      start = -1;
    }
  }
  return out;
}
