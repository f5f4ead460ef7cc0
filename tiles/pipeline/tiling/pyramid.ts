/**
 * A quadtree of tiles with simplified parent content (3D Tiles 1.1, refine REPLACE): leaves hold
 * the full content of their items; every inner tile holds a proxy of the `proxyCount` most
 * important items of its subtree (the biggest buildings as boxes, the tallest components), so the
 * whole city shows from above after loading a handful of tiles, and a tile is replaced by its
 * children as the camera comes closer.
 *
 * Geometric error of an inner tile: the tallest item its proxy leaves out (that much of the city
 * is missing on screen), plus a term from its cell size (the proxy's simplification, and what
 * makes errors strictly decrease down the tree). A child leaves out a subset of what its parent
 * leaves out, so the first term never grows downwards either. Leaves are exact: 0.
 *
 * Content is written as the walk goes (leaves first, then parents bottom-up): only the proxy
 * candidates (at most `proxyCount` indices per open node) stay in memory, never a glb.
 * One walk can write several tilesets over the same tree (L2 and L3 share their buildings'
 * geometry work): the writers return one content per tileset, in the same order.
 */
import type { QuadNode } from './quadtree';
import { boxJson, round3, unionBox, type Box3, type TileJson, type TilesetJson } from './tileset';

export interface ContentResult {
  /** Relative to the tileset. */
  uri: string;
  /** Bounds of every vertex of the content, in the root frame (metres). */
  box: Box3;
}

export interface PyramidSource {
  root: QuadNode;
  /** Importance of each item: parents show their subtree's highest scores. */
  score: ArrayLike<number>;
  /** Height of each item in metres: what goes missing on screen when a tile leaves it out. */
  height: ArrayLike<number>;
  /** Items in a parent tile's proxy. */
  proxyCount: number;
  /** One content per tileset written, always in the same order. */
  writeLeaf(node: QuadNode, items: readonly number[]): Promise<ContentResult[]>;
  writeProxy(node: QuadNode, items: readonly number[]): Promise<ContentResult[]>;
  onLeaf?: (done: number, total: number) => void;
}

export interface PyramidResult {
  /** One per content the writers return. */
  tilesets: TilesetJson[];
  /** Content files written: leaves + proxies. */
  contents: number;
  maxLevel: number;
}

/** Metres of geometric error per metre of cell half-diagonal (see the module comment). */
export const ERROR_PER_CELL_METRE = 0.1;

interface Walked {
  /** Per tileset. */
  tiles: TileJson[];
  boxes: Box3[];
  /** The subtree's top items by score, best first. */
  candidates: number[];
  /** Tallest item of the subtree that is not in `candidates`; 0 when none is left out. */
  omittedHeight: number;
}

/** Sorts item indices best first (higher score; the lower index on ties, so output is stable). */
function byScore(score: ArrayLike<number>): (a: number, b: number) => number {
  return (a, b) => score[b]! - score[a]! || a - b;
}

export async function writePyramid(src: PyramidSource, transform: number[], generator: string): Promise<PyramidResult> {
  if (!(src.proxyCount >= 1)) throw new RangeError(`proxyCount must be ≥ 1, got ${src.proxyCount}`);
  const order = byScore(src.score);
  const leafTotal = countLeaves(src.root);
  let leavesDone = 0;
  let contents = 0;
  let maxLevel = 0;

  const walk = async (node: QuadNode): Promise<Walked> => {
    maxLevel = Math.max(maxLevel, node.level);
    if (node.children.length === 0) {
      const content = await src.writeLeaf(node, node.items);
      contents += content.length;
      src.onLeaf?.(++leavesDone, leafTotal);
      const sorted = [...node.items].sort(order);
      return {
        tiles: content.map((c) => ({ boundingVolume: { box: boxJson(c.box) }, geometricError: 0, content: { uri: c.uri } })),
        boxes: content.map((c) => c.box),
        candidates: sorted.slice(0, src.proxyCount),
        omittedHeight: maxHeight(src.height, sorted, src.proxyCount),
      };
    }
    const kids: Walked[] = [];
    for (const child of node.children) kids.push(await walk(child));
    const merged = kids.flatMap((k) => k.candidates).sort(order);
    const candidates = merged.slice(0, src.proxyCount);
    const omittedHeight = Math.max(maxHeight(src.height, merged, src.proxyCount), ...kids.map((k) => k.omittedHeight));
    const content = await src.writeProxy(node, candidates);
    contents += content.length;
    const boxes = content.map((c, t) => unionBox([c.box, ...kids.map((k) => k.boxes[t]!)]));
    const childError = Math.max(...kids.map((k) => k.tiles[0]!.geometricError));
    // Rounding to millimetres must not make a parent's error equal to its child's.
    const geometricError = round3(Math.max(round3(omittedHeight + ERROR_PER_CELL_METRE * node.size * Math.SQRT1_2), childError + 0.001));
    return {
      tiles: content.map((c, t) => ({
        boundingVolume: { box: boxJson(boxes[t]!) },
        geometricError,
        content: { uri: c.uri },
        children: kids.map((k) => k.tiles[t]!),
      })),
      boxes,
      candidates,
      omittedHeight,
    };
  };

  const top = await walk(src.root);
  // From farther than the tileset's error, nothing shows: twice the root's, or the root cell's
  // size when the root is a single exact leaf.
  const rootError = top.tiles[0]!.geometricError || ERROR_PER_CELL_METRE * src.root.size * Math.SQRT1_2 + maxHeight(src.height, src.root.items, 0);
  const tilesets = top.tiles.map((tile): TilesetJson => ({
    asset: { version: '1.1', generator },
    geometricError: round3(2 * rootError),
    root: { transform, ...tile, refine: 'REPLACE' },
  }));
  return { tilesets, contents, maxLevel };
}

/** Tallest of `items[from…]`, 0 when there are none. */
function maxHeight(height: ArrayLike<number>, items: readonly number[], from: number): number {
  let h = 0;
  for (let i = from; i < items.length; i++) h = Math.max(h, height[items[i]!]!);
  return h;
}

function countLeaves(node: QuadNode): number {
  return node.children.length === 0 ? 1 : node.children.reduce((n, c) => n + countLeaves(c), 0);
}
