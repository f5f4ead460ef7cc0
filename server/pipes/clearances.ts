/**
 * Planner checks on the underground networks, pure (no I/O): pipes of different networks closer
 * than a given clearance, and what lies under a road.
 *
 * Clearance between two pipes is the 3D distance between their axes' segments (closest points of
 * two segments, Ericson, Real-Time Collision Detection §5.1.9) less how far each section reaches
 * towards the other — the radius of a circular section, the support of a rectangular one (width
 * level, height vertical) along the line between the closest points; wall thickness is not known and not counted. Segments whose plan directions differ
 * by more than PARALLEL_DEG cross; the others run in parallel. Crossings are held to `crossingM`
 * (vertical clearance at a crossing, GB 50289's table is mostly 0.15 m), parallel runs to
 * `parallelM` (horizontal clearance): both are the caller's choice.
 */
import type { ClearanceIssue, ClearanceResult, PipeNetwork, PipeRecord } from '../../domain/pipes';
import { metresPerDegree } from '../../tiles/pipeline/ground';

/** Plan directions closer than this are a parallel run, not a crossing. */
export const PARALLEL_DEG = 30;
const COS_PARALLEL = Math.cos((PARALLEL_DEG * Math.PI) / 180);

export interface ClearanceParams {
  crossingM: number;
  parallelM: number;
  /** Only pairs where at least one pipe is of these networks (all when absent). */
  networks?: readonly PipeNetwork[];
  /** Most results returned (the closest first); `total` still counts them all. */
  limit: number;
}

/** Local metres around a reference point (equirectangular: a district spans a few km). */
export class LocalMetres {
  private readonly mx: number;
  private readonly my: number;
  constructor(
    readonly lon0: number,
    readonly lat0: number,
  ) {
    [this.mx, this.my] = metresPerDegree(lat0);
  }
  x(lon: number): number {
    return (lon - this.lon0) * this.mx;
  }
  y(lat: number): number {
    return (lat - this.lat0) * this.my;
  }
  lon(x: number): number {
    return this.lon0 + x / this.mx;
  }
  lat(y: number): number {
    return this.lat0 + y / this.my;
  }
}

interface Segment {
  pipe: number;
  /** x0 y0 z0 x1 y1 z1 */
  p: Float64Array;
}

/** Closest points of segments P0P1 and Q0Q1: squared distance and the parameters s, t ∈ [0, 1]. */
export function segmentDistance(p: ArrayLike<number>, q: ArrayLike<number>): { distance: number; s: number; t: number } {
  const d1 = [p[3]! - p[0]!, p[4]! - p[1]!, p[5]! - p[2]!];
  const d2 = [q[3]! - q[0]!, q[4]! - q[1]!, q[5]! - q[2]!];
  const r = [p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!];
  const dot = (u: number[], v: number[]): number => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
  const a = dot(d1, d1);
  const e = dot(d2, d2);
  const f = dot(d2, r);
  const clamp = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  let s: number;
  let t: number;
  // Degenerate segments (a point) are guarded by their squared length: 1e-12 m² is far below survey precision.
  if (a <= 1e-12 && e <= 1e-12) {
    s = t = 0;
  } else if (a <= 1e-12) {
    s = 0;
    t = clamp(f / e);
  } else {
    const c = dot(d1, r);
    if (e <= 1e-12) {
      t = 0;
      s = clamp(-c / a);
    } else {
      const b = dot(d1, d2);
      const denom = a * e - b * b;
      s = denom > 1e-12 ? clamp((b * f - c * e) / denom) : 0;
      t = (b * s + f) / e;
      if (t < 0) {
        t = 0;
        s = clamp(-c / a);
      } else if (t > 1) {
        t = 1;
        s = clamp((b - c) / a);
      }
    }
  }
  const dx = r[0]! + d1[0]! * s - d2[0]! * t;
  const dy = r[1]! + d1[1]! * s - d2[1]! * t;
  const dz = r[2]! + d1[2]! * s - d2[2]! * t;
  return { distance: Math.hypot(dx, dy, dz), s, t };
}

const halfSize = (r: PipeRecord): number => Math.max(r.widthM, r.heightM) / 2;

/**
 * How far a section reaches from its axis towards unit direction (ux, uy, uz): the radius of a
 * circle; for a box (width level, height vertical) its support |u·side|·w/2 + |u·up|·h/2.
 */
function reachToward(r: PipeRecord, seg: ArrayLike<number>, ux: number, uy: number, uz: number): number {
  if (r.shape === 'circular') return r.widthM / 2;
  const dx = seg[3]! - seg[0]!;
  const dy = seg[4]! - seg[1]!;
  const len = Math.hypot(dx, dy);
  // A vertical run has no level side: fall back to the envelope.
  if (len < 1e-6) return halfSize(r);
  const across = Math.abs((-dy * ux + dx * uy) / len);
  return across * (r.widthM / 2) + Math.abs(uz) * (r.heightM / 2);
}

/** Pipe pairs of different networks closer than the clearance asked, closest first, one entry per pair. */
export function findClearanceIssues(pipes: readonly PipeRecord[], params: ClearanceParams): ClearanceResult {
  if (pipes.length === 0) return { total: 0, issues: [] };
  const local = new LocalMetres(pipes[0]!.axis[0]![0], pipes[0]!.axis[0]![1]);
  const reach = Math.max(params.crossingM, params.parallelM) + 2 * Math.max(...pipes.map(halfSize));
  const cell = Math.max(10, reach);
  const grid = new Map<string, number[]>();
  const segments: Segment[] = [];
  pipes.forEach((pipe, i) => {
    for (let k = 0; k + 1 < pipe.axis.length; k++) {
      const [lon0, lat0, z0] = pipe.axis[k]!;
      const [lon1, lat1, z1] = pipe.axis[k + 1]!;
      const p = Float64Array.of(local.x(lon0), local.y(lat0), z0, local.x(lon1), local.y(lat1), z1);
      const index = segments.push({ pipe: i, p }) - 1;
      const pad = halfSize(pipe) + reach / 2;
      for (let cx = Math.floor((Math.min(p[0]!, p[3]!) - pad) / cell); cx <= Math.floor((Math.max(p[0]!, p[3]!) + pad) / cell); cx++) {
        for (let cy = Math.floor((Math.min(p[1]!, p[4]!) - pad) / cell); cy <= Math.floor((Math.max(p[1]!, p[4]!) + pad) / cell); cy++) {
          const key = `${cx},${cy}`;
          const list = grid.get(key);
          if (list) list.push(index);
          else grid.set(key, [index]);
        }
      }
    }
  });
  const wanted = params.networks ? new Set(params.networks) : undefined;
  const best = new Map<string, ClearanceIssue>();
  const tested = new Set<number>();
  for (const list of grid.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [si, sj] = list[i]! < list[j]! ? [list[i]!, list[j]!] : [list[j]!, list[i]!];
        const A = segments[si]!;
        const B = segments[sj]!;
        const pa = pipes[A.pipe]!;
        const pb = pipes[B.pipe]!;
        if (pa.network === pb.network) continue;
        if (wanted && !wanted.has(pa.network) && !wanted.has(pb.network)) continue;
        // A pair of segments shares several cells: test it once.
        const pairKey = si * segments.length + sj;
        if (tested.has(pairKey)) continue;
        tested.add(pairKey);
        const { distance, s, t } = segmentDistance(A.p, B.p);
        const ca = [0, 1, 2].map((k) => A.p[k]! + (A.p[k + 3]! - A.p[k]!) * s);
        const cb = [0, 1, 2].map((k) => B.p[k]! + (B.p[k + 3]! - B.p[k]!) * t);
        const inv = distance > 1e-9 ? 1 / distance : 0;
        const [ux, uy, uz] = [0, 1, 2].map((k) => (cb[k]! - ca[k]!) * inv) as [number, number, number];
        const clearance = distance - (inv === 0 ? halfSize(pa) + halfSize(pb) : reachToward(pa, A.p, ux, uy, uz) + reachToward(pb, B.p, ux, uy, uz));
        const kind = planCosine(A.p, B.p) >= COS_PARALLEL ? 'parallel' : 'crossing';
        const required = kind === 'crossing' ? params.crossingM : params.parallelM;
        if (clearance >= required) continue;
        const [first, second] = pa.id < pb.id ? [pa, pb] : [pb, pa];
        const key = `${first.id}\u0000${second.id}`;
        const previous = best.get(key);
        if (previous && previous.clearanceM - previous.requiredM <= clearance - required) continue;
        const [x, y, z] = [0, 1, 2].map((k) => (ca[k]! + cb[k]!) / 2) as [number, number, number];
        best.set(key, {
          a: { id: first.id, network: first.network },
          b: { id: second.id, network: second.network },
          kind,
          clearanceM: Math.round(clearance * 1000) / 1000,
          requiredM: required,
          lon: Math.round(local.lon(x) * 1e7) / 1e7,
          lat: Math.round(local.lat(y) * 1e7) / 1e7,
          elevation: Math.round(z * 100) / 100,
        });
      }
    }
  }
  const issues = [...best.values()].sort((u, v) => u.clearanceM - u.requiredM - (v.clearanceM - v.requiredM) || (u.a.id < v.a.id ? -1 : u.a.id > v.a.id ? 1 : 0) || (u.b.id < v.b.id ? -1 : 1));
  return { total: issues.length, issues: issues.slice(0, params.limit) };
}

/** |cos| of the angle between two segments' plan directions (1 for parallel, 0 for square). */
function planCosine(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const ax = p[3]! - p[0]!;
  const ay = p[4]! - p[1]!;
  const bx = q[3]! - q[0]!;
  const by = q[4]! - q[1]!;
  const la = Math.hypot(ax, ay);
  const lb = Math.hypot(bx, by);
  // A vertical segment has no plan direction: count it as crossing.
  if (la < 1e-6 || lb < 1e-6) return 0;
  return Math.abs(ax * bx + ay * by) / (la * lb);
}
