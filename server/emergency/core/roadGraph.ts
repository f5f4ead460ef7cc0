/**
 * The road network as a graph for routing (pure, no I/O): built once from the twin's roads layer
 * (LineStrings in WGS84), then searched many times (shortestPath.ts).
 *
 * Nodes are the roads' vertices, merged where two roads share a vertex (within MERGE_M), plus
 * the points where two roads cross without sharing one (the demo draws its plan lines across the
 * district; a surveyed network usually shares junction vertices) and the points where a road's end
 * stops short of another road (within SNAP_M: a T-junction drawn loosely). That assumes a planar
 * network: a flyover that crosses a road without a ramp is joined to it (docs/emergency.md).
 *
 * Edges are straight segments between consecutive nodes of one road, usable both ways, with a
 * length in metres and a travel time at the road's speed (`speedKmh`, else its class's speed).
 * Adjacency is compressed (CSR): the half-edges leaving node n are `offsets[n]..offsets[n+1]`.
 */

export interface RoadInput {
  id: string;
  class?: string;
  speedKmh?: number;
  coordinates: ReadonlyArray<ReadonlyArray<number>>;
}

/** Speeds when a road names none (km/h): urban limits for each class. */
export const CLASS_SPEED_KMH: Readonly<Record<string, number>> = { arterial: 50, secondary: 40, local: 30 };
export const DEFAULT_SPEED_KMH = 30;
/** Vertices of two roads closer than this are one junction, metres. */
export const MERGE_M = 1;
/** A road end this close to another road is joined to it, metres. */
export const SNAP_M = 20;

export interface RoadGraph {
  nodeCount: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Local metres (east, north) about the network's centre: for distances and snapping. */
  x: Float64Array;
  y: Float64Array;
  /** CSR adjacency: half-edges leaving node n are offsets[n]..offsets[n+1]-1. */
  offsets: Int32Array;
  /** The node each half-edge leads to, and its undirected edge. */
  to: Int32Array;
  halfEdge: Int32Array;
  edgeCount: number;
  edgeA: Int32Array;
  edgeB: Int32Array;
  lengthM: Float32Array;
  timeS: Float32Array;
  /** Index into roadIds of each edge's road. */
  edgeRoad: Int32Array;
  roadIds: string[];
  /** The projection used for x/y. */
  origin: { lon: number; lat: number; mPerDegLon: number; mPerDegLat: number };
}

const M_PER_DEG_LAT = 111_320;

interface Segment {
  road: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** Split points along the segment as fractions 0..1 (cross points and snapped road ends). */
  splits: number[];
}

/** Builds the graph; roads with fewer than two vertices are skipped. */
export function buildRoadGraph(roads: readonly RoadInput[]): RoadGraph {
  let sumLon = 0;
  let sumLat = 0;
  let count = 0;
  for (const r of roads) for (const c of r.coordinates) [sumLon, sumLat, count] = [sumLon + c[0]!, sumLat + c[1]!, count + 1];
  const lon0 = count ? sumLon / count : 0;
  const lat0 = count ? sumLat / count : 0;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const origin = { lon: lon0, lat: lat0, mPerDegLon, mPerDegLat: M_PER_DEG_LAT };

  const usable = roads.filter((r) => r.coordinates.length >= 2);
  const roadIds = usable.map((r) => r.id);
  const segments: Segment[] = [];
  const roadSegments: number[][] = usable.map(() => []);
  usable.forEach((r, road) => {
    for (let i = 0; i + 1 < r.coordinates.length; i++) {
      const a = r.coordinates[i]!;
      const b = r.coordinates[i + 1]!;
      roadSegments[road]!.push(segments.length);
      segments.push({ road, ax: (a[0]! - lon0) * mPerDegLon, ay: (a[1]! - lat0) * M_PER_DEG_LAT, bx: (b[0]! - lon0) * mPerDegLon, by: (b[1]! - lat0) * M_PER_DEG_LAT, splits: [] });
    }
  });

  const index = new SegmentIndex(segments, 100);
  // Crossings between roads.
  segments.forEach((s, i) => {
    for (const j of index.near(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by))) {
      if (j <= i || segments[j]!.road === s.road) continue;
      const hit = crossing(s, segments[j]!);
      if (hit) {
        s.splits.push(hit[0]);
        segments[j]!.splits.push(hit[1]);
      }
    }
  });
  // Road ends that stop short of another road: a connector to the nearest point on it.
  const connectors: Array<{ road: number; x: number; y: number; tx: number; ty: number }> = [];
  usable.forEach((_, road) => {
    const segs = roadSegments[road]!;
    const ends: Array<[number, number]> = [
      [segments[segs[0]!]!.ax, segments[segs[0]!]!.ay],
      [segments[segs[segs.length - 1]!]!.bx, segments[segs[segs.length - 1]!]!.by],
    ];
    for (const [x, y] of ends) {
      let best: { seg: number; t: number; d: number } | undefined;
      for (const j of index.near(x - SNAP_M, y - SNAP_M, x + SNAP_M, y + SNAP_M)) {
        const s = segments[j]!;
        if (s.road === road) continue;
        const { t, d } = project(s, x, y);
        if (d <= SNAP_M && (!best || d < best.d)) best = { seg: j, t, d };
      }
      if (!best || best.d <= MERGE_M) {
        if (best) segments[best.seg]!.splits.push(best.t);
        continue;
      }
      const s = segments[best.seg]!;
      s.splits.push(best.t);
      connectors.push({ road, x, y, tx: s.ax + (s.bx - s.ax) * best.t, ty: s.ay + (s.by - s.ay) * best.t });
    }
  });

  // Nodes: every vertex and split point, merged on a MERGE_M lattice.
  const nodeOf = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  const node = (x: number, y: number): number => {
    const key = `${Math.round(x / MERGE_M)},${Math.round(y / MERGE_M)}`;
    let n = nodeOf.get(key);
    if (n === undefined) {
      n = xs.length;
      nodeOf.set(key, n);
      xs.push(x);
      ys.push(y);
    }
    return n;
  };
  const edges: Array<[number, number, number]> = [];
  const addEdge = (a: number, b: number, road: number): void => {
    if (a !== b) edges.push([a, b, road]);
  };
  for (const s of segments) {
    let prev = node(s.ax, s.ay);
    for (const t of [...new Set(s.splits)].sort((p, q) => p - q)) {
      const n = node(s.ax + (s.bx - s.ax) * t, s.ay + (s.by - s.ay) * t);
      addEdge(prev, n, s.road);
      prev = n;
    }
    addEdge(prev, node(s.bx, s.by), s.road);
  }
  for (const c of connectors) addEdge(node(c.x, c.y), node(c.tx, c.ty), c.road);

  const nodeCount = xs.length;
  const edgeCount = edges.length;
  const g: RoadGraph = {
    nodeCount,
    lon: Float64Array.from(xs, (x) => lon0 + x / mPerDegLon),
    lat: Float64Array.from(ys, (y) => lat0 + y / M_PER_DEG_LAT),
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    offsets: new Int32Array(nodeCount + 1),
    to: new Int32Array(edgeCount * 2),
    halfEdge: new Int32Array(edgeCount * 2),
    edgeCount,
    edgeA: new Int32Array(edgeCount),
    edgeB: new Int32Array(edgeCount),
    lengthM: new Float32Array(edgeCount),
    timeS: new Float32Array(edgeCount),
    edgeRoad: new Int32Array(edgeCount),
    roadIds,
    origin,
  };
  const degree = new Int32Array(nodeCount);
  edges.forEach(([a, b, road], e) => {
    const lengthM = Math.hypot(xs[b]! - xs[a]!, ys[b]! - ys[a]!);
    const r = usable[road]!;
    const speed = r.speedKmh !== undefined && r.speedKmh > 0 ? r.speedKmh : (CLASS_SPEED_KMH[r.class ?? ''] ?? DEFAULT_SPEED_KMH);
    g.edgeA[e] = a;
    g.edgeB[e] = b;
    g.lengthM[e] = lengthM;
    g.timeS[e] = lengthM / (speed / 3.6);
    g.edgeRoad[e] = road;
    degree[a]! += 1;
    degree[b]! += 1;
  });
  for (let n = 0; n < nodeCount; n++) g.offsets[n + 1] = g.offsets[n]! + degree[n]!;
  const fill = g.offsets.slice(0, nodeCount);
  for (let e = 0; e < edgeCount; e++) {
    const a = g.edgeA[e]!;
    const b = g.edgeB[e]!;
    g.to[fill[a]!] = b;
    g.halfEdge[fill[a]!++] = e;
    g.to[fill[b]!] = a;
    g.halfEdge[fill[b]!++] = e;
  }
  return g;
}

/** The node nearest a point and how far it is, metres (a linear scan: thousands of nodes take microseconds). */
export function nearestNode(g: RoadGraph, lon: number, lat: number): { node: number; distanceM: number } {
  const x = (lon - g.origin.lon) * g.origin.mPerDegLon;
  const y = (lat - g.origin.lat) * g.origin.mPerDegLat;
  let best = -1;
  let bestD2 = Infinity;
  for (let n = 0; n < g.nodeCount; n++) {
    const d2 = (g.x[n]! - x) ** 2 + (g.y[n]! - y) ** 2;
    if (d2 < bestD2) [best, bestD2] = [n, d2];
  }
  return { node: best, distanceM: Math.sqrt(bestD2) };
}

/** Where two segments cross (fractions along each), strictly inside both; undefined when they do not. */
function crossing(s: Segment, o: Segment): [number, number] | undefined {
  const rx = s.bx - s.ax;
  const ry = s.by - s.ay;
  const qx = o.bx - o.ax;
  const qy = o.by - o.ay;
  const den = rx * qy - ry * qx;
  // Parallel (or degenerate) segments: collinear overlaps are joined through shared vertices instead.
  if (Math.abs(den) < 1e-9) return undefined;
  const t = ((o.ax - s.ax) * qy - (o.ay - s.ay) * qx) / den;
  const u = ((o.ax - s.ax) * ry - (o.ay - s.ay) * rx) / den;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [t, u] : undefined;
}

function project(s: Segment, x: number, y: number): { t: number; d: number } {
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - s.ax) * dx + (y - s.ay) * dy) / len2)) : 0;
  return { t, d: Math.hypot(s.ax + dx * t - x, s.ay + dy * t - y) };
}

/** A uniform grid of segment bounding boxes. */
class SegmentIndex {
  private readonly cells = new Map<string, number[]>();

  constructor(
    segments: readonly Segment[],
    private readonly cellM: number,
  ) {
    segments.forEach((s, i) => {
      this.visit(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by), (key) => {
        const list = this.cells.get(key);
        if (list) list.push(i);
        else this.cells.set(key, [i]);
      });
    });
  }

  near(x0: number, y0: number, x1: number, y1: number): Set<number> {
    const out = new Set<number>();
    this.visit(x0, y0, x1, y1, (key) => this.cells.get(key)?.forEach((i) => out.add(i)));
    return out;
  }

  private visit(x0: number, y0: number, x1: number, y1: number, fn: (key: string) => void): void {
    for (let cx = Math.floor(x0 / this.cellM); cx <= Math.floor(x1 / this.cellM); cx++) {
      for (let cy = Math.floor(y0 / this.cellM); cy <= Math.floor(y1 / this.cellM); cy++) fn(`${cx},${cy}`);
    }
  }
}
