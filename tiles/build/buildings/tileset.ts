/**
 * The explicit 3D Tiles 1.1 tileset for the building quadtree. Pure: takes the tree, each
 * leaf's content box and uri, returns tileset.json.
 *
 * Bounding volumes are axis-aligned `box`es in the root's ENU frame (root `transform`): centre
 * then three half-axes, 12 numbers. Only leaves have content (glb); inner tiles are an index for
 * culling, so refinement is ADD and an inner tile's geometric error is the error of drawing
 * nothing: its tallest building, plus a term from its cell size that makes errors strictly
 * decrease down the tree. Leaves are exact: 0.
 */
import type { QuadNode } from './quadtree';

export interface Box3 {
  min: [number, number, number];
  max: [number, number, number];
}

export interface LeafContent {
  uri: string;
  /** Bounds of every vertex of the leaf's content, in the root frame (metres). */
  box: Box3;
  /** Tallest building in the leaf (metres). */
  maxHeight: number;
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

/** Metres of geometric error per metre of cell half-diagonal (see the module comment). */
const ERROR_PER_CELL_METRE = 0.1;
/** Boxes grow by this much on each side so float32 content and rounding stay inside (metres). */
const BOX_MARGIN_M = 0.01;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

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

function unionBox(boxes: Box3[]): Box3 {
  const out: Box3 = { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
  for (const b of boxes) {
    for (let k = 0; k < 3; k++) {
      out.min[k] = Math.min(out.min[k]!, b.min[k]!);
      out.max[k] = Math.max(out.max[k]!, b.max[k]!);
    }
  }
  return out;
}

/**
 * Builds tileset.json. `content` maps each leaf of `root` to its content; `transform` is the
 * root's column-major 4×4 (ENU frame → ECEF).
 */
export function buildTileset(root: QuadNode, content: Map<QuadNode, LeafContent>, transform: number[], generator = 'citytwin'): TilesetJson {
  const walk = (node: QuadNode): { tile: TileJson; box: Box3; maxHeight: number } => {
    if (node.children.length === 0) {
      const leaf = content.get(node);
      if (!leaf) throw new Error(`no content for quadtree leaf ${node.level}/${node.x}/${node.y}`);
      return {
        tile: { boundingVolume: { box: boxJson(leaf.box) }, geometricError: 0, content: { uri: leaf.uri } },
        box: leaf.box,
        maxHeight: leaf.maxHeight,
      };
    }
    const kids = node.children.map(walk);
    const box = unionBox(kids.map((k) => k.box));
    const maxHeight = Math.max(...kids.map((k) => k.maxHeight));
    const geometricError = round3(maxHeight + ERROR_PER_CELL_METRE * node.size * Math.SQRT1_2);
    return { tile: { boundingVolume: { box: boxJson(box) }, geometricError, children: kids.map((k) => k.tile) }, box, maxHeight };
  };
  const top = walk(root);
  const rootError = top.tile.geometricError > 0 ? top.tile.geometricError : round3(top.maxHeight + ERROR_PER_CELL_METRE * root.size * Math.SQRT1_2);
  const rootTile: TileJson = { transform, ...top.tile, refine: 'ADD' };
  return { asset: { version: '1.1', generator }, geometricError: round3(rootError * 2), root: rootTile };
}
