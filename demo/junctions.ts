/**
 * Where roads meet, and which of those meetings get traffic signals: every crossing of the
 * arterial with a secondary, and a share of the secondary–secondary ones.
 */
import { formatComponentCode } from '../domain/components';
import { COUNTY_CODE } from './frame';
import { segmentIntersection } from './geometry';
import type { Rng } from '../kernel/random';
import type { Road } from './roads';
import { SpatialIndex, boxOf } from './spatialIndex';

export interface Junction {
  x: number;
  y: number;
  /** The two roads, in road order. */
  a: Road;
  b: Road;
  /** A road ends here (T-junction) rather than crossing through. */
  tee: boolean;
}

export interface Signal {
  id: string;
  code: string;
  name: string;
  x: number;
  y: number;
  roads: [Road, Road];
}

/** Ends within this distance of the other road's centreline still meet it (T-junctions). */
const TEE_SLACK_M = 1;

export function findJunctions(roads: readonly Road[]): Junction[] {
  interface Seg {
    road: number;
    i: number;
  }
  const index = new SpatialIndex<Seg>(60);
  roads.forEach((road, r) => {
    const pts = road.line.points;
    for (let i = 0; i < pts.length - 1; i++) index.insert(boxOf([pts[i]!, pts[i + 1]!], TEE_SLACK_M), { road: r, i });
  });
  const out: Junction[] = [];
  roads.forEach((road, r) => {
    const pts = road.line.points;
    for (let i = 0; i < pts.length - 1; i++) {
      const a = pts[i]!;
      const b = pts[i + 1]!;
      for (const seg of index.search(boxOf([a, b], TEE_SLACK_M))) {
        // Each pair of roads once, from the lower-numbered one.
        if (seg.road <= r) continue;
        const other = roads[seg.road]!;
        const c = other.line.points[seg.i]!;
        const d = other.line.points[seg.i + 1]!;
        const hit = segmentIntersection(a, b, c, d, TEE_SLACK_M);
        if (!hit) continue;
        // A crossing at a shared vertex shows up on two segment pairs: keep one.
        if (out.some((j) => j.a === road && j.b === other && Math.hypot(j.x - hit.x, j.y - hit.y) < 5)) continue;
        const sA = road.line.cum[i]! + hit.t * (road.line.cum[i + 1]! - road.line.cum[i]!);
        const sB = other.line.cum[seg.i]! + hit.u * (other.line.cum[seg.i + 1]! - other.line.cum[seg.i]!);
        const nearEnd = (s: number, len: number): boolean => s < 2 * TEE_SLACK_M || s > len - 2 * TEE_SLACK_M;
        out.push({ x: hit.x, y: hit.y, a: road, b: other, tee: nearEnd(sA, road.line.length) || nearEnd(sB, other.line.length) });
      }
    }
  });
  return out;
}

/** Chooses the signalised junctions; codes are class 0208 (traffic signal). */
export function chooseSignals(junctions: readonly Junction[], rng: Rng): Signal[] {
  const signals: Signal[] = [];
  for (const j of junctions) {
    const classes = [j.a.class, j.b.class];
    if (classes.includes('local')) continue;
    const onArterial = classes.includes('arterial');
    // Secondary crossings are signalised more often than T-junctions, as traffic volumes suggest.
    const chance = onArterial ? 1 : j.tee ? 0.3 : 0.6;
    if (!rng.chance(chance)) continue;
    const n = signals.length + 1;
    signals.push({
      id: `S${String(n).padStart(3, '0')}`,
      code: formatComponentCode(COUNTY_CODE, '0208', n),
      name: `${j.a.name}与${j.b.name}交叉口`,
      x: j.x,
      y: j.y,
      roads: [j.a, j.b],
    });
  }
  return signals;
}
