/**
 * Small geodesy for the case core: ground distance between two WGS84 points and a bounding box
 * around one, enough for duplicate detection over tens of metres.
 */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle (haversine) distance in metres. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A box in degrees that contains every point within `radiusM` of (lon, lat). */
export function boxAround(lon: number, lat: number, radiusM: number): { west: number; south: number; east: number; north: number } {
  const dLat = radiusM / (EARTH_RADIUS_M * RAD);
  // Near the poles cos(lat) → 0; clamp so the box stays finite (cities are far from the poles).
  const dLon = dLat / Math.max(Math.cos(lat * RAD), 0.01);
  return { west: lon - dLon, south: lat - dLat, east: lon + dLon, north: lat + dLat };
}
