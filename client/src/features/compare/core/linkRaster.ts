/**
 * Traffic links as a raster for the split screen (split imagery is what Cesium can show on one
 * side only): each link's centreline from its shape (or its nodes) in the network's local frame,
 * with the colour it gets, and the extent to draw them over. Pure; the canvas work is the panel's.
 */
import type { Network } from '../../../../../simulations/traffic/network';

export interface LinkStroke {
  linkId: string;
  /** Local metres east, north of the network's origin. */
  points: Array<[number, number]>;
}

export function linkStrokes(network: Network): { strokes: LinkStroke[]; extent: { minX: number; minY: number; maxX: number; maxY: number } } {
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
