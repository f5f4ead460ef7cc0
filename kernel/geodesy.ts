/**
 * Geodesy, once for the whole project: WGS84 geodetic ↔ Earth-centred Earth-fixed (ECEF) and
 * local east-north-up (ENU) frames; great-circle distance and a box around a point on the mean
 * sphere; chainage along a polyline and point-in-polygon in a plane. Pure math over plain
 * numbers; angles in degrees at the API.
 */

export const WGS84_A = 6_378_137.0;
export const WGS84_F = 1 / 298.257223563;
export const WGS84_B = WGS84_A * (1 - WGS84_F);
const E2 = WGS84_F * (2 - WGS84_F);

export type Vec3 = [number, number, number];

const DEG = Math.PI / 180;

/** Mean Earth radius (IUGG R1), m: the sphere for distances over a city, within 0.5 % of geodesic. */
export const MEAN_EARTH_RADIUS_M = 6_371_008.8;

export function geodeticToEcef(lonDeg: number, latDeg: number, height: number, out: Vec3 = [0, 0, 0]): Vec3 {
  const lon = lonDeg * DEG;
  const lat = latDeg * DEG;
  const sinLat = Math.sin(lat);
  const cosLat = Math.cos(lat);
  const n = WGS84_A / Math.sqrt(1 - E2 * sinLat * sinLat);
  out[0] = (n + height) * cosLat * Math.cos(lon);
  out[1] = (n + height) * cosLat * Math.sin(lon);
  out[2] = (n * (1 - E2) + height) * sinLat;
  return out;
}

/** ECEF → geodetic (lon, lat in degrees, height in m), Bowring's method: sub-millimetre near the surface. */
export function ecefToGeodetic(x: number, y: number, z: number): { lon: number; lat: number; height: number } {
  const p = Math.hypot(x, y);
  const ep2 = (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B);
  const theta = Math.atan2(z * WGS84_A, p * WGS84_B);
  const lat = Math.atan2(
    z + ep2 * WGS84_B * Math.sin(theta) ** 3,
    p - E2 * WGS84_A * Math.cos(theta) ** 3,
  );
  const sinLat = Math.sin(lat);
  const n = WGS84_A / Math.sqrt(1 - E2 * sinLat * sinLat);
  const height = p / Math.cos(lat) - n;
  return { lon: Math.atan2(y, x) / DEG, lat: lat / DEG, height };
}

/**
 * A local east-north-up frame at a geodetic origin. `toEcef` maps local metres to ECEF;
 * `matrix` is the same transform as a column-major 4×4 (3D Tiles `transform`, glTF, Cesium).
 */
export class EnuFrame {
  readonly origin: Vec3;
  readonly east: Vec3;
  readonly north: Vec3;
  readonly up: Vec3;

  constructor(lonDeg: number, latDeg: number, height: number) {
    const lon = lonDeg * DEG;
    const lat = latDeg * DEG;
    this.origin = geodeticToEcef(lonDeg, latDeg, height);
    this.east = [-Math.sin(lon), Math.cos(lon), 0];
    this.north = [-Math.sin(lat) * Math.cos(lon), -Math.sin(lat) * Math.sin(lon), Math.cos(lat)];
    this.up = [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
  }

  toEcef(e: number, n: number, u: number, out: Vec3 = [0, 0, 0]): Vec3 {
    for (let i = 0; i < 3; i++) out[i] = this.origin[i]! + e * this.east[i]! + n * this.north[i]! + u * this.up[i]!;
    return out;
  }

  fromEcef(x: number, y: number, z: number, out: Vec3 = [0, 0, 0]): Vec3 {
    const dx = x - this.origin[0];
    const dy = y - this.origin[1];
    const dz = z - this.origin[2];
    out[0] = dx * this.east[0] + dy * this.east[1] + dz * this.east[2];
    out[1] = dx * this.north[0] + dy * this.north[1] + dz * this.north[2];
    out[2] = dx * this.up[0] + dy * this.up[1] + dz * this.up[2];
    return out;
  }

  /** Geodetic point → local ENU metres. */
  fromGeodetic(lonDeg: number, latDeg: number, height: number, out: Vec3 = [0, 0, 0]): Vec3 {
    const p = geodeticToEcef(lonDeg, latDeg, height, out);
    return this.fromEcef(p[0], p[1], p[2], out);
  }

  get matrix(): number[] {
    const [e, n, u, o] = [this.east, this.north, this.up, this.origin];
    return [e[0], e[1], e[2], 0, n[0], n[1], n[2], 0, u[0], u[1], u[2], 0, o[0], o[1], o[2], 1];
  }
}

/** Great-circle distance in metres (haversine on the mean radius): for spacing checks, not survey work. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * MEAN_EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A box in degrees that contains every point within `radiusM` of (lon, lat). */
export function boxAround(lon: number, lat: number, radiusM: number): { west: number; south: number; east: number; north: number } {
  const dLat = radiusM / (MEAN_EARTH_RADIUS_M * DEG);
  // Near the poles cos(lat) → 0; clamp so the box stays finite (cities are far from the poles).
  const dLon = dLat / Math.max(Math.cos(lat * DEG), 0.01);
  return { west: lon - dLon, south: lat - dLat, east: lon + dLon, north: lat + dLat };
}

/**
 * Where point p projects onto a polyline of local x/y metres: its chainage (metres from the
 * line's start, at the foot of the nearest segment) and its distance from the line.
 */
export function chainageOnLine(line: ReadonlyArray<readonly [number, number]>, p: readonly [number, number]): { chainageM: number; distanceM: number } {
  let best = { chainageM: 0, distanceM: Infinity };
  let along = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = line[i]!;
    const [bx, by] = line[i + 1]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    // A zero-length segment (a repeated vertex) has no direction: its foot is its start.
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len2)) : 0;
    const d = Math.hypot(ax + t * dx - p[0], ay + t * dy - p[1]);
    if (d < best.distanceM) best = { chainageM: along + t * Math.sqrt(len2), distanceM: d };
    along += Math.sqrt(len2);
  }
  return best;
}

/**
 * Even-odd ray casting: whether (x, y) lies inside `ring`, open or closed (a closing point that
 * repeats the first adds a zero-length edge, which never crosses the ray). Points on the boundary
 * may go either way.
 */
export function pointInPolygon(x: number, y: number, ring: ReadonlyArray<ArrayLike<number>>): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd over an outer ring and its holes: inside an odd number of the rings. */
export function pointInRings(x: number, y: number, rings: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>): boolean {
  let inside = false;
  for (const ring of rings) if (pointInPolygon(x, y, ring)) inside = !inside;
  return inside;
}
