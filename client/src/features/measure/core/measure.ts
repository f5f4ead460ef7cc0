/**
 * Measurements on the twin: distance (straight and along the ground), polygon area and height
 * difference, from geodetic points. WGS84 for positions; areas on the local tangent plane, which
 * at district scale (a few km) is within a fraction of a percent of the ellipsoidal area.
 */
export interface GeoPoint {
  lon: number;
  lat: number;
  /** Metres above the ellipsoid. */
  height: number;
}

const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;

export function toEcef(p: GeoPoint): [number, number, number] {
  const lat = p.lat * RAD;
  const lon = p.lon * RAD;
  const n = A / Math.sqrt(1 - E2 * Math.sin(lat) ** 2);
  return [
    (n + p.height) * Math.cos(lat) * Math.cos(lon),
    (n + p.height) * Math.cos(lat) * Math.sin(lon),
    (n * (1 - E2) + p.height) * Math.sin(lat),
  ];
}

/** Straight-line (3D) distance in metres. */
export function distance3d(a: GeoPoint, b: GeoPoint): number {
  const pa = toEcef(a);
  const pb = toEcef(b);
  return Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]);
}

/** Total length of a polyline, metres. */
export function pathLength(points: readonly GeoPoint[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += distance3d(points[i - 1]!, points[i]!);
  return total;
}

/** East/north offsets in metres from `origin` on the tangent plane there. */
export function toEnu(origin: GeoPoint, p: GeoPoint): [number, number] {
  const o = toEcef({ ...origin, height: 0 });
  const q = toEcef({ ...p, height: 0 });
  const d = [q[0] - o[0], q[1] - o[1], q[2] - o[2]] as const;
  const lat = origin.lat * RAD;
  const lon = origin.lon * RAD;
  const east = -Math.sin(lon) * d[0] + Math.cos(lon) * d[1];
  const north = -Math.sin(lat) * Math.cos(lon) * d[0] - Math.sin(lat) * Math.sin(lon) * d[1] + Math.cos(lat) * d[2];
  return [east, north];
}

/** Horizontal area of a polygon (vertices in order, not closed), square metres. */
export function polygonArea(points: readonly GeoPoint[]): number {
  if (points.length < 3) return 0;
  const origin = points[0]!;
  const plane = points.map((p) => toEnu(origin, p));
  let twice = 0;
  for (let i = 0; i < plane.length; i++) {
    const [x1, y1] = plane[i]!;
    const [x2, y2] = plane[(i + 1) % plane.length]!;
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

/** Height of `top` over `base`, and the horizontal distance between them, metres. */
export function heightDifference(base: GeoPoint, top: GeoPoint): { heightM: number; horizontalM: number } {
  const [e, n] = toEnu(base, top);
  return { heightM: top.height - base.height, horizontalM: Math.hypot(e, n) };
}
