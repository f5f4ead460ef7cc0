/**
 * Stable GeoJSON text (RFC 7946): WGS84 lon/lat rounded to 7 decimals, properties in the order
 * the caller builds them, one feature per line so that diffs between seeds read well.
 */
import type { LonLatProjector } from './frame';
import { signedArea, type Vec2 } from './geometry';

export type Geometry =
  | { type: 'Point'; coordinates: Vec2 }
  | { type: 'LineString'; coordinates: Vec2[] }
  | { type: 'Polygon'; coordinates: Vec2[][] };

export function featureLine(properties: object, geometry: Geometry): string {
  return JSON.stringify({ type: 'Feature', properties, geometry });
}

export function featureCollection(lines: readonly string[]): string {
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

export function point(proj: LonLatProjector, x: number, y: number): Geometry {
  return { type: 'Point', coordinates: proj.lonLat(x, y) };
}

/** Consecutive points that round to the same lon/lat are merged. */
function projectPath(proj: LonLatProjector, points: readonly Vec2[]): Vec2[] {
  const out: Vec2[] = [];
  for (const [x, y] of points) {
    const ll = proj.lonLat(x, y);
    const last = out[out.length - 1];
    if (!last || last[0] !== ll[0] || last[1] !== ll[1]) out.push(ll);
  }
  return out;
}

export function lineString(proj: LonLatProjector, points: readonly Vec2[]): Geometry {
  return { type: 'LineString', coordinates: projectPath(proj, points) };
}

/** A polygon from an open world ring: closed, and counter-clockwise as RFC 7946 asks of exterior rings. */
export function polygon(proj: LonLatProjector, ring: readonly Vec2[]): Geometry {
  const ll = projectPath(proj, ring);
  while (ll.length > 1 && ll[0]![0] === ll[ll.length - 1]![0] && ll[0]![1] === ll[ll.length - 1]![1]) ll.pop();
  if (signedArea(ll) < 0) ll.reverse();
  return { type: 'Polygon', coordinates: [[...ll, ll[0]!]] };
}
