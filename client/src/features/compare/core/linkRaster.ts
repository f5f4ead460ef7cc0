/**
 * Traffic links as a raster for the split screen (split imagery is what Cesium can show on one
 * side only): each link's centreline from its shape (or its nodes) in the network's local frame,
 * with the colour it gets, and the extent to draw them over; a green-wave corridor's sections from
 * their lon/lat lines. Pure; the canvas work is strokeRaster.ts's.
 */
import { EnuFrame } from '../../../../../kernel/geodesy';
import type { Network } from '../../../../../simulations/traffic/network';

export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface LinkStroke {
  linkId: string;
  /** Local metres east, north of the network's origin. */
  points: Array<[number, number]>;
}

export function linkStrokes(network: Network): { strokes: LinkStroke[]; extent: Extent } {
  const nodes = new Map(network.nodes.map((n) => [n.id, n]));
  const strokes: LinkStroke[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const link of network.links) {
    const from = nodes.get(link.from);
    const to = nodes.get(link.to);
    const points = link.shape ?? (from && to ? [[from.x, from.y] as [number, number], [to.x, to.y] as [number, number]] : []);
    if (points.length < 2) continue;
    for (const [x, y] of points) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    strokes.push({ linkId: link.id, points });
  }
  return { strokes, extent: { minX, minY, maxX, maxY } };
}

/** The extent of some strokes' points. */
export function strokesExtent(strokes: readonly LinkStroke[]): Extent {
  const xs = strokes.flatMap((s) => s.points.map((p) => p[0]));
  const ys = strokes.flatMap((s) => s.points.map((p) => p[1]));
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/**
 * Lines given in [lon, lat] (a green-wave study's corridor.json) as strokes in the east-north
 * frame at `origin`, the frame the raster is drawn in.
 */
export function lonLatStrokes(lines: ReadonlyArray<{ key: string; line: ReadonlyArray<readonly [number, number]> }>, origin: { lon: number; lat: number }): LinkStroke[] {
  const frame = new EnuFrame(origin.lon, origin.lat, 0);
  return lines.map((l) => ({ linkId: l.key, points: l.line.map(([lon, lat]) => {
    const p = frame.fromGeodetic(lon, lat, 0);
    return [p[0], p[1]] as [number, number];
  }) }));
}
