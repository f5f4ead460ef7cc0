/**
 * GeoJSON geometry checks for the city source (RFC 7946, WGS84 lon/lat).
 *
 * Each `parse*` takes an untrusted value and returns a clean geometry or throws a
 * FeatureRejection whose message says what is wrong, so a layer reader can reject the feature
 * and go on. Clean means: finite coordinates in range, 2D positions (a third value is dropped:
 * heights come from the DEM), no consecutive duplicate positions, closed rings wound by the
 * right-hand rule (exterior counter-clockwise, holes clockwise), no crossing edges.
 */
import { pointInPolygon } from '../../kernel/geodesy';
import type { LineString, Point, Polygon, MultiPolygon, Position } from '../pipeline/geojson';

/** Thrown by checks; the layer reader turns it into a `{ index, id, reason }` rejection. */
export class FeatureRejection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FeatureRejection';
  }
}

/** Positions one feature may carry: bounds the O(n log n) ring checks and the memory of one feature. */
export const MAX_FEATURE_POSITIONS = 250_000;

// Rings whose shoelace area is below this (in square degrees, ≈ 1e-4 m² at the equator) have no interior.
const MIN_RING_AREA_DEG2 = 1e-14;

function reject(reason: string): never {
  throw new FeatureRejection(reason);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parsePosition(v: unknown, where: string): Position {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) reject(`${where} is not a [lon, lat] position`);
  const lon: unknown = v[0];
  const lat: unknown = v[1];
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    reject(`${where} has longitude ${String(lon)}, not a number in -180..180`);
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    reject(`${where} has latitude ${String(lat)}, not a number in -90..90`);
  }
  if (v.length === 3 && (typeof v[2] !== 'number' || !Number.isFinite(v[2]))) reject(`${where} has a non-numeric height`);
  return [lon, lat];
}

function geometryOfType(v: unknown, types: readonly string[]): Record<string, unknown> {
  if (!isObject(v)) reject('geometry is missing');
  if (typeof v.type !== 'string' || !types.includes(v.type)) {
    reject(`geometry type is ${JSON.stringify(v.type)}, expected ${types.join(' or ')}`);
  }
  if (!Array.isArray(v.coordinates)) reject('geometry has no coordinates array');
  return v;
}

export function parsePoint(v: unknown): Point {
  const g = geometryOfType(v, ['Point']);
  return { type: 'Point', coordinates: parsePosition(g.coordinates, 'point') };
}

/** Positions of a line without consecutive duplicates. */
function parseLine(v: unknown, where: string, minDistinct: number, budget: { left: number }): Position[] {
  if (!Array.isArray(v)) reject(`${where} is not an array of positions`);
  budget.left -= v.length;
  if (budget.left < 0) reject(`more than ${MAX_FEATURE_POSITIONS} positions`);
  const out: Position[] = [];
  for (let i = 0; i < v.length; i++) {
    const p = parsePosition(v[i], `${where} position ${i}`);
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    out.push(p);
  }
  if (out.length < minDistinct) reject(`${where} has ${out.length} distinct positions, needs at least ${minDistinct}`);
  return out;
}

export function parseLineString(v: unknown): LineString {
  const g = geometryOfType(v, ['LineString']);
  return { type: 'LineString', coordinates: parseLine(g.coordinates, 'line', 2, { left: MAX_FEATURE_POSITIONS }) };
}

/** Twice the signed shoelace area of a closed ring (last position repeats the first); > 0 is counter-clockwise. */
export function ringArea2(ring: readonly Position[]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    a += p[0]! * q[1]! - q[0]! * p[1]!;
  }
  return a;
}

function parseRing(v: unknown, where: string, budget: { left: number }): Position[] {
  const ring = parseLine(v, where, 4, budget);
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) reject(`${where} is not closed (first and last positions differ)`);
  return ring;
}

function parsePolygonRings(v: unknown, where: string, budget: { left: number }): Position[][] {
  if (!Array.isArray(v) || v.length === 0) reject(`${where} has no rings`);
  const rings = v.map((r: unknown, i) => parseRing(r, `${where}ring ${i}`, budget));
  // Crossings first: a symmetric bow tie also has zero area, and "self-intersecting" says more.
  const crossing = findCrossingEdges(rings);
  if (crossing) reject(`${where}${crossing}`);
  rings.forEach((ring, i) => {
    const a2 = ringArea2(ring);
    if (Math.abs(a2) / 2 < MIN_RING_AREA_DEG2) reject(`${where}ring ${i} has no area`);
    // Right-hand rule (RFC 7946 §3.1.6): parsers must accept either winding, so fix it rather than reject.
    if ((a2 > 0) !== (i === 0)) ring.reverse();
  });
  for (let i = 1; i < rings.length; i++) {
    const p = rings[i]![0]!;
    if (!pointInPolygon(p[0]!, p[1]!, rings[0]!)) reject(`${where}hole ${i} lies outside the exterior ring`);
  }
  return rings;
}

export function parsePolygon(v: unknown): Polygon {
  const g = geometryOfType(v, ['Polygon']);
  return { type: 'Polygon', coordinates: parsePolygonRings(g.coordinates, '', { left: MAX_FEATURE_POSITIONS }) };
}

/** Polygon or MultiPolygon: footprints and areas may come either way from real data. */
export function parsePolygonal(v: unknown): Polygon | MultiPolygon {
  const g = geometryOfType(v, ['Polygon', 'MultiPolygon']);
  const budget = { left: MAX_FEATURE_POSITIONS };
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: parsePolygonRings(g.coordinates, '', budget) };
  const parts = g.coordinates as unknown[];
  if (parts.length === 0) reject('MultiPolygon has no polygons');
  return { type: 'MultiPolygon', coordinates: parts.map((p, i) => parsePolygonRings(p, `polygon ${i} `, budget)) };
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/**
 * Looks for two edges of the polygon's rings that cross or overlap; returns a description or
 * undefined. Touching at a single point is allowed (a hole may touch the exterior). Sweep over
 * edges sorted by their west end, so typical footprints cost O(n log n).
 */
export function findCrossingEdges(rings: readonly Position[][]): string | undefined {
  const edges: Array<{ ring: number; i: number; n: number; minX: number; maxX: number }> = [];
  rings.forEach((ring, r) => {
    const n = ring.length - 1;
    for (let i = 0; i < n; i++) {
      const a = ring[i]![0]!;
      const b = ring[i + 1]![0]!;
      edges.push({ ring: r, i, n, minX: Math.min(a, b), maxX: Math.max(a, b) });
    }
  });
  edges.sort((e, f) => e.minX - f.minX);
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k]!;
    const re = rings[e.ring]!;
    const [ax, ay] = re[e.i]! as [number, number];
    const [bx, by] = re[e.i + 1]! as [number, number];
    for (let m = k + 1; m < edges.length && edges[m]!.minX <= e.maxX; m++) {
      const f = edges[m]!;
      const rf = rings[f.ring]!;
      const [cx, cy] = rf[f.i]! as [number, number];
      const [dx, dy] = rf[f.i + 1]! as [number, number];
      if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) continue;
      const adjacent = e.ring === f.ring && ((e.i + 1) % e.n === f.i || (f.i + 1) % f.n === e.i);
      const o1 = orient(ax, ay, bx, by, cx, cy);
      const o2 = orient(ax, ay, bx, by, dx, dy);
      const o3 = orient(cx, cy, dx, dy, ax, ay);
      const o4 = orient(cx, cy, dx, dy, bx, by);
      if (o1 === 0 && o2 === 0) {
        // Collinear: overlapping on a stretch (a spike or a doubled-back edge) is invalid.
        if (collinearOverlap(ax, ay, bx, by, cx, cy, dx, dy)) return describe('overlap', e, f);
        continue;
      }
      if (adjacent) continue;
      if (o1 * o2 < 0 && o3 * o4 < 0) return describe('cross', e, f);
    }
  }
  return undefined;
}

function collinearOverlap(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  // Project on the longer axis of the first segment; overlap of positive length counts.
  const useX = Math.abs(bx - ax) >= Math.abs(by - ay);
  const [a, b, c, d] = useX ? [ax, bx, cx, dx] : [ay, by, cy, dy];
  const lo = Math.max(Math.min(a, b), Math.min(c, d));
  const hi = Math.min(Math.max(a, b), Math.max(c, d));
  return hi > lo;
}

function describe(kind: 'cross' | 'overlap', e: { ring: number; i: number }, f: { ring: number; i: number }): string {
  const name = (x: { ring: number; i: number }): string => `ring ${x.ring} edge ${x.i}`;
  return `${name(e)} and ${name(f)} ${kind === 'cross' ? 'cross' : 'overlap'} (self-intersecting polygon)`;
}
