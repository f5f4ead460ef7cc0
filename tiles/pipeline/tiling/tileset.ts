/**
 * 3D Tiles 1.1 tileset JSON types and the bounding-box helpers every tiled level shares.
 *
 * Bounding volumes are axis-aligned `box`es in the root's ENU frame (root `transform`): centre
 * then three half-axes, 12 numbers.
 */

export interface Box3 {
  min: [number, number, number];
  max: [number, number, number];
}

export interface TileJson {
  transform?: number[];
  boundingVolume: { box: number[] };
  geometricError: number;
  refine?: 'ADD' | 'REPLACE';
  content?: { uri: string };
  children?: TileJson[];
}

export interface TilesetJson {
  asset: { version: '1.1'; generator?: string };
  geometricError: number;
  root: TileJson;
}

/** Boxes grow by this much on each side so float32 content and rounding stay inside (metres). */
const BOX_MARGIN_M = 0.01;

export const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export function emptyBox(): Box3 {
  return { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
}

/** Grows `box` to hold point (x, y, z); returns it. */
export function extendBox(box: Box3, x: number, y: number, z: number): Box3 {
  if (x < box.min[0]) box.min[0] = x;
  if (y < box.min[1]) box.min[1] = y;
  if (z < box.min[2]) box.min[2] = z;
  if (x > box.max[0]) box.max[0] = x;
  if (y > box.max[1]) box.max[1] = y;
  if (z > box.max[2]) box.max[2] = z;
  return box;
}

/** Bounds of the first `count` xyz triples of `positions`. */
export function positionsBox(positions: ArrayLike<number>, count: number): Box3 {
  const box = emptyBox();
  for (let i = 0; i < 3 * count; i += 3) extendBox(box, positions[i]!, positions[i + 1]!, positions[i + 2]!);
  return box;
}

export function unionBox(boxes: readonly Box3[]): Box3 {
  const out = emptyBox();
  for (const b of boxes) {
    extendBox(out, b.min[0], b.min[1], b.min[2]);
    extendBox(out, b.max[0], b.max[1], b.max[2]);
  }
  return out;
}

export function boxCentre(b: Box3): [number, number, number] {
  return [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2];
}

/**
 * Box JSON from bounds: widened by the margin and snapped outward to millimetres, so a parent's
 * box (from the union of its children's bounds) always contains its children's boxes.
 */
export function boxJson(b: Box3): number[] {
  const lo = [0, 1, 2].map((k) => Math.floor((b.min[k]! - BOX_MARGIN_M) * 1000) / 1000);
  const hi = [0, 1, 2].map((k) => Math.ceil((b.max[k]! + BOX_MARGIN_M) * 1000) / 1000);
  const c = [0, 1, 2].map((k) => (lo[k]! + hi[k]!) / 2);
  const h = [0, 1, 2].map((k) => (hi[k]! - lo[k]!) / 2);
  return [c[0]!, c[1]!, c[2]!, h[0]!, 0, 0, 0, h[1]!, 0, 0, 0, h[2]!];
}

/** The tileset of a level with nothing in it: a unit box at the frame's origin. */
export function emptyTileset(transform: number[], generator: string): TilesetJson {
  return {
    asset: { version: '1.1', generator },
    geometricError: 0,
    root: { transform, boundingVolume: { box: boxJson({ min: [-1, -1, -1], max: [1, 1, 1] }) }, geometricError: 0, refine: 'REPLACE' },
  };
}
