/**
 * Planar geometry over plain [x, y] pairs in metres: polylines measured by chainage, distances,
 * intersections and overlap tests. Nothing here knows about cities.
 */
import { pointInPolygon } from '../kernel/geodesy';

export type Vec2 = [number, number];

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** 0 below e0, 1 above e1, a smooth cubic between. */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
}

/** A polyline with its cumulative lengths, for lookups by chainage (distance along the line). */
export class Polyline {
  readonly cum: Float64Array;
  readonly length: number;

  constructor(readonly points: readonly Vec2[]) {
    if (points.length < 2) throw new RangeError('a polyline needs at least two points');
    this.cum = new Float64Array(points.length);
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1]!;
      const [bx, by] = points[i]!;
      this.cum[i] = this.cum[i - 1]! + Math.hypot(bx - ax, by - ay);
    }
    this.length = this.cum[points.length - 1]!;
  }

  /** Index of the segment holding chainage `s` (binary search). */
  private segmentAt(s: number): number {
    let lo = 0;
    let hi = this.points.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cum[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Position and unit tangent at chainage `s` (clamped to the line). */
  at(s: number): { x: number; y: number; tx: number; ty: number } {
    const c = clamp(s, 0, this.length);
    const i = this.segmentAt(c);
    const [ax, ay] = this.points[i]!;
    const [bx, by] = this.points[i + 1]!;
    const len = this.cum[i + 1]! - this.cum[i]!;
    const t = len > 0 ? (c - this.cum[i]!) / len : 0;
    const tx = len > 0 ? (bx - ax) / len : 1;
    const ty = len > 0 ? (by - ay) / len : 0;
    return { x: ax + (bx - ax) * t, y: ay + (by - ay) * t, tx, ty };
  }

  /** Point at chainage `s`, moved `offset` metres to the left of the direction of travel. */
  offsetPoint(s: number, offset: number): Vec2 {
    const { x, y, tx, ty } = this.at(s);
    return [x - ty * offset, y + tx * offset];
  }

  /** The part of the line between two chainages, s0 < s1. */
  slice(s0: number, s1: number): Vec2[] {
    const start = this.at(s0);
    const out: Vec2[] = [[start.x, start.y]];
    for (let i = 1; i < this.points.length - 1; i++) {
      const c = this.cum[i]!;
      if (c > s0 + 1e-6 && c < s1 - 1e-6) out.push([this.points[i]![0], this.points[i]![1]]);
    }
    const end = this.at(s1);
    out.push([end.x, end.y]);
    return out;
  }
}

export function pointSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
  return Math.hypot(ax + dx * t - px, ay + dy * t - py);
}

/**
 * Where segments AB and CD cross, as parameters along each (0..1) and the point; undefined for
 * parallel or disjoint segments. `slack` (metres) lets a segment end that stops just short of
 * the other count, which is how T-junctions meet.
 */
export function segmentIntersection(
  a: Vec2,
  b: Vec2,
  c: Vec2,
  d: Vec2,
  slack = 0,
): { t: number; u: number; x: number; y: number } | undefined {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denom = rx * sy - ry * sx;
  const lenR = Math.hypot(rx, ry);
  const lenS = Math.hypot(sx, sy);
  // Nearly parallel segments have no single crossing point worth reporting.
  if (Math.abs(denom) < 1e-9 * lenR * lenS || lenR === 0 || lenS === 0) return undefined;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / denom;
  const u = (qx * ry - qy * rx) / denom;
  const et = slack / lenR;
  const eu = slack / lenS;
  if (t < -et || t > 1 + et || u < -eu || u > 1 + eu) return undefined;
  return { t, u, x: a[0] + rx * t, y: a[1] + ry * t };
}

export function segmentSegmentDistance(a: Vec2, b: Vec2, c: Vec2, d: Vec2): number {
  if (segmentIntersection(a, b, c, d)) return 0;
  return Math.min(
    pointSegmentDistance(a[0], a[1], c[0], c[1], d[0], d[1]),
    pointSegmentDistance(b[0], b[1], c[0], c[1], d[0], d[1]),
    pointSegmentDistance(c[0], c[1], a[0], a[1], b[0], b[1]),
    pointSegmentDistance(d[0], d[1], a[0], a[1], b[0], b[1]),
  );
}

/** Shoelace area; positive for counter-clockwise rings. */
export function signedArea(ring: readonly Vec2[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum / 2;
}

/** Distance from a polygon to a segment: 0 when the segment touches or enters it. */
export function polygonSegmentDistance(ring: readonly Vec2[], a: Vec2, b: Vec2): number {
  if (pointInPolygon(a[0], a[1], ring)) return 0;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const d = segmentSegmentDistance(ring[j]!, ring[i]!, a, b);
    if (d < best) best = d;
    if (best === 0) break;
  }
  return best;
}

/**
 * Separating-axis test for two convex polygons with a clearance: true when some edge normal of
 * either separates their projections by at least `gap`. Conservative near corners (it may call a
 * pair with a diagonal clearance of `gap` too close), which only costs a rejected candidate.
 */
export function convexSeparated(a: readonly Vec2[], b: readonly Vec2[], gap: number): boolean {
  return separatedAlongEdges(a, b, gap) || separatedAlongEdges(b, a, gap);
}

function separatedAlongEdges(a: readonly Vec2[], b: readonly Vec2[], gap: number): boolean {
  for (let i = 0, j = a.length - 1; i < a.length; j = i++) {
    const ex = a[i]![0] - a[j]![0];
    const ey = a[i]![1] - a[j]![1];
    const len = Math.hypot(ex, ey);
    if (len === 0) continue;
    const nx = ey / len;
    const ny = -ex / len;
    let minA = Number.POSITIVE_INFINITY;
    let maxA = Number.NEGATIVE_INFINITY;
    for (const [x, y] of a) {
      const d = x * nx + y * ny;
      if (d < minA) minA = d;
      if (d > maxA) maxA = d;
    }
    let minB = Number.POSITIVE_INFINITY;
    let maxB = Number.NEGATIVE_INFINITY;
    for (const [x, y] of b) {
      const d = x * nx + y * ny;
      if (d < minB) minB = d;
      if (d > maxB) maxB = d;
    }
    if (minB - maxA >= gap || minA - maxB >= gap) return true;
  }
  return false;
}

/** Sutherland–Hodgman clip of a ring to an axis-aligned rectangle (one connected piece expected). */
export function clipPolygonToRect(ring: readonly Vec2[], xmin: number, ymin: number, xmax: number, ymax: number): Vec2[] {
  type Edge = { inside: (p: Vec2) => boolean; cross: (p: Vec2, q: Vec2) => Vec2 };
  const atX = (x: number) => (p: Vec2, q: Vec2): Vec2 => [x, p[1] + ((q[1] - p[1]) * (x - p[0])) / (q[0] - p[0])];
  const atY = (y: number) => (p: Vec2, q: Vec2): Vec2 => [p[0] + ((q[0] - p[0]) * (y - p[1])) / (q[1] - p[1]), y];
  const edges: Edge[] = [
    { inside: (p) => p[0] >= xmin, cross: atX(xmin) },
    { inside: (p) => p[0] <= xmax, cross: atX(xmax) },
    { inside: (p) => p[1] >= ymin, cross: atY(ymin) },
    { inside: (p) => p[1] <= ymax, cross: atY(ymax) },
  ];
  let out: Vec2[] = ring.slice();
  for (const edge of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      const curIn = edge.inside(cur);
      const prevIn = edge.inside(prev);
      if (curIn) {
        if (!prevIn) out.push(edge.cross(prev, cur));
        out.push(cur);
      } else if (prevIn) {
        out.push(edge.cross(prev, cur));
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

/** Drops consecutive points closer than `tol` (clipping leaves duplicates at rectangle corners). */
export function dedupeRing(ring: readonly Vec2[], tol = 1e-6): Vec2[] {
  const out: Vec2[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > tol) out.push(p);
  }
  while (out.length > 1 && Math.hypot(out[0]![0] - out[out.length - 1]![0], out[0]![1] - out[out.length - 1]![1]) <= tol) out.pop();
  return out;
}
