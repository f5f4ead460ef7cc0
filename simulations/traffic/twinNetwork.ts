/**
 * A Network from the twin's road centrelines and signal points. The twin's roads are drawn as
 * whole polylines that cross each other without shared vertices, so junctions are found
 * geometrically: where two centrelines cross, and where a road ends on (or just short of)
 * another. Points closer than MERGE_M become one node. Every road is two-way with half its lanes
 * each way; a signal point marks the nearest junction and gets the default two-phase plan
 * (signalPlan.ts) with the main road — the listed road with the most lanes — in phase 0 — and
 * takes the signal's id (e.g. "S001") as its node id; other junctions are "J1", "J2", ….
 */
import { EnuFrame } from '../../kernel/geodesy';
import type { RoadProps, SignalProps } from '../../domain/citySource';
import type { Link, NetNode, Network } from './network';
import { polylineLength } from './network';
import { twoPhasePlan } from './signalPlan';

export interface LineFeature {
  geometry: { type: string; coordinates: unknown };
  properties: RoadProps;
}
export interface PointFeature {
  geometry: { type: string; coordinates: unknown };
  properties: SignalProps;
}

/** Junction points closer than this are one node, metres. */
const MERGE_M = 8;
/** A road ending this close to another road's centreline joins it (a T-junction), metres. */
const SNAP_M = 15;
/** A signal point marks the nearest junction within this distance, metres. */
const SIGNAL_RADIUS_M = 40;

type Pt = [number, number];

interface Cut {
  s: number;
  node: number;
}

export function networkFromTwinLayers(roads: LineFeature[], signals: PointFeature[], origin: { lon: number; lat: number }): Network {
  const frame = new EnuFrame(origin.lon, origin.lat, 0);
  const project = (c: unknown, where: string): Pt => {
    if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') throw new RangeError(`${where}: not a [lon, lat] position`);
    const p = frame.fromGeodetic(c[0], c[1], 0);
    return [p[0], p[1]];
  };
  const lines = roads.map((f, i) => {
    if (f.geometry.type !== 'LineString' || !Array.isArray(f.geometry.coordinates)) throw new RangeError(`roads[${i}]: geometry must be a LineString`);
    const pts = (f.geometry.coordinates as unknown[]).map((c, j) => project(c, `roads[${i}].geometry.coordinates[${j}]`));
    const cum = [0];
    for (let k = 1; k < pts.length; k++) cum.push(cum[k - 1]! + Math.hypot(pts[k]![0] - pts[k - 1]![0], pts[k]![1] - pts[k - 1]![1]));
    return { props: f.properties, pts, cum, box: bbox(pts) };
  });

  const nodes: Pt[] = [];
  const nodeAt = (p: Pt): number => {
    for (let i = 0; i < nodes.length; i++) if (Math.hypot(nodes[i]![0] - p[0], nodes[i]![1] - p[1]) < MERGE_M) return i;
    nodes.push(p);
    return nodes.length - 1;
  };
  const cuts: Cut[][] = lines.map(() => []);

  // Crossings between centrelines.
  for (let a = 0; a < lines.length; a++) {
    for (let b = a + 1; b < lines.length; b++) {
      const la = lines[a]!;
      const lb = lines[b]!;
      if (!boxesOverlap(la.box, lb.box, SNAP_M)) continue;
      for (let i = 0; i + 1 < la.pts.length; i++) {
        for (let j = 0; j + 1 < lb.pts.length; j++) {
          const hit = segmentIntersection(la.pts[i]!, la.pts[i + 1]!, lb.pts[j]!, lb.pts[j + 1]!);
          if (!hit) continue;
          const node = nodeAt(hit.p);
          cuts[a]!.push({ s: la.cum[i]! + hit.ta * (la.cum[i + 1]! - la.cum[i]!), node });
          cuts[b]!.push({ s: lb.cum[j]! + hit.tb * (lb.cum[j + 1]! - lb.cum[j]!), node });
        }
      }
    }
  }
  // Ends: on another road (T-junction) or free (a dead end or the district's edge).
  lines.forEach((line, a) => {
    for (const end of [0, line.pts.length - 1]) {
      const p = line.pts[end]!;
      let best: { b: number; s: number; d: number; q: Pt } | undefined;
      lines.forEach((other, b) => {
        if (b === a) return;
        const near = nearestOnLine(other.pts, other.cum, p);
        if (near.d < SNAP_M && (!best || near.d < best.d)) best = { b, ...near };
      });
      if (best) {
        const node = nodeAt(best.q);
        cuts[best.b]!.push({ s: best.s, node });
        cuts[a]!.push({ s: end === 0 ? 0 : line.cum[end]!, node });
      } else {
        cuts[a]!.push({ s: end === 0 ? 0 : line.cum[end]!, node: nodeAt(p) });
      }
    }
  });

  const netNodes: NetNode[] = nodes.map((p, i) => ({ id: `J${i + 1}`, x: round(p[0]), y: round(p[1]) }));
  const links: Link[] = [];
  const linkRoad = new Map<string, RoadProps>();
  lines.forEach((line, a) => {
    const sorted = cuts[a]!.sort((x, y) => x.s - y.s);
    const props = line.props;
    const lanes = Math.max(1, Math.floor(props.lanes / 2));
    const speed = props.speedKmh / 3.6;
    let piece = 0;
    for (let k = 0; k + 1 < sorted.length; k++) {
      const c0 = sorted[k]!;
      const c1 = sorted[k + 1]!;
      if (c0.node === c1.node) continue;
      const shape = subLine(line.pts, line.cum, c0.s, c1.s);
      shape[0] = [netNodes[c0.node]!.x, netNodes[c0.node]!.y];
      shape[shape.length - 1] = [netNodes[c1.node]!.x, netNodes[c1.node]!.y];
      const lengthM = Math.max(1, round(polylineLength(shape)));
      piece += 1;
      const base = { lengthM, lanes, speedLimitMps: round(speed), name: props.name };
      const fwd: Link = { id: `${props.id}-${piece}f`, from: netNodes[c0.node]!.id, to: netNodes[c1.node]!.id, ...base, shape: shape.map(roundPt) };
      const back: Link = { id: `${props.id}-${piece}b`, from: fwd.to, to: fwd.from, ...base, shape: shape.map(roundPt).reverse() };
      links.push(fwd, back);
      linkRoad.set(fwd.id, props);
      linkRoad.set(back.id, props);
    }
  });

  const renamed = new Map<string, string>();
  signals.forEach((f, i) => {
    const p = project(f.geometry.coordinates, `signals[${i}].geometry.coordinates`);
    let best = -1;
    let bestD = SIGNAL_RADIUS_M;
    netNodes.forEach((n, k) => {
      const d = Math.hypot(n.x - p[0], n.y - p[1]);
      const degree = links.reduce((c, l) => c + (l.to === n.id ? 1 : 0), 0);
      if (d < bestD && degree >= 3) ((best = k), (bestD = d));
    });
    if (best < 0 || netNodes[best]!.signal) return;
    const node = netNodes[best]!;
    const incoming = links.filter((l) => l.to === node.id);
    const roadsHere = incoming.map((l) => linkRoad.get(l.id)!);
    // The main road: the listed road with the most lanes; its pieces share its name.
    const listed = roadsHere.filter((r) => f.properties.roadIds.includes(r.id));
    const main = (listed.length > 0 ? listed : roadsHere).reduce((m, r) => (r.lanes > m.lanes ? r : m));
    const mainLinks = incoming.filter((l) => linkRoad.get(l.id)!.name === main.name).map((l) => l.id);
    const crossLinks = incoming.filter((l) => linkRoad.get(l.id)!.name !== main.name).map((l) => l.id);
    node.signal = twoPhasePlan(mainLinks, crossLinks);
    renamed.set(node.id, f.properties.id);
  });

  // Signalised junctions take the signal's id, so plans keyed by signal id (green waves) apply.
  const id = (n: string): string => renamed.get(n) ?? n;
  for (const n of netNodes) n.id = id(n.id);
  for (const l of links) ((l.from = id(l.from)), (l.to = id(l.to)));
  return { nodes: netNodes, links, origin: { lon: origin.lon, lat: origin.lat } };
}

const round = (v: number): number => Math.round(v * 100) / 100;
const roundPt = (p: Pt): Pt => [round(p[0]), round(p[1])];

function bbox(pts: Pt[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of pts) ((minX = Math.min(minX, x)), (minY = Math.min(minY, y)), (maxX = Math.max(maxX, x)), (maxY = Math.max(maxY, y)));
  return [minX, minY, maxX, maxY];
}

function boxesOverlap(a: number[], b: number[], pad: number): boolean {
  return a[0]! - pad <= b[2]! && b[0]! - pad <= a[2]! && a[1]! - pad <= b[3]! && b[1]! - pad <= a[3]!;
}

/** Proper intersection of segments p1p2 and p3p4, with the parameters along each. */
function segmentIntersection(p1: Pt, p2: Pt, p3: Pt, p4: Pt): { p: Pt; ta: number; tb: number } | null {
  const d1x = p2[0] - p1[0];
  const d1y = p2[1] - p1[1];
  const d2x = p4[0] - p3[0];
  const d2y = p4[1] - p3[1];
  const den = d1x * d2y - d1y * d2x;
  // Parallel or degenerate segments never make a junction here; overlaps are not crossings.
  if (Math.abs(den) < 1e-9) return null;
  const ta = ((p3[0] - p1[0]) * d2y - (p3[1] - p1[1]) * d2x) / den;
  const tb = ((p3[0] - p1[0]) * d1y - (p3[1] - p1[1]) * d1x) / den;
  if (ta < 0 || ta > 1 || tb < 0 || tb > 1) return null;
  return { p: [p1[0] + ta * d1x, p1[1] + ta * d1y], ta, tb };
}

function nearestOnLine(pts: Pt[], cum: number[], p: Pt): { s: number; d: number; q: Pt } {
  let best = { s: 0, d: Infinity, q: pts[0]! };
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
    const q: Pt = [a[0] + t * dx, a[1] + t * dy];
    const d = Math.hypot(p[0] - q[0], p[1] - q[1]);
    if (d < best.d) best = { s: cum[i]! + t * (cum[i + 1]! - cum[i]!), d, q };
  }
  return best;
}

/** The part of a polyline between arc lengths s0 < s1. */
function subLine(pts: Pt[], cum: number[], s0: number, s1: number): Pt[] {
  const at = (s: number): Pt => {
    let i = 0;
    while (i + 2 < pts.length && cum[i + 1]! < s) i++;
    const seg = cum[i + 1]! - cum[i]!;
    const t = seg > 0 ? Math.max(0, Math.min(1, (s - cum[i]!) / seg)) : 0;
    return [pts[i]![0] + t * (pts[i + 1]![0] - pts[i]![0]), pts[i]![1] + t * (pts[i + 1]![1] - pts[i]![1])];
  };
  const out: Pt[] = [at(s0)];
  for (let i = 0; i < pts.length; i++) if (cum[i]! > s0 && cum[i]! < s1) out.push(pts[i]!);
  out.push(at(s1));
  return out;
}
