/**
 * Spatial quadtree over points (building centroids, local metres): cells split into four until
 * each leaf holds at most `maxPerLeaf` points. Cells are squares addressed by (level, x, y)
 * from the root square's south-west corner, so output names are stable for the same input.
 * Empty quadrants are dropped and a cell with a single non-empty child is replaced by it.
 */

export interface QuadNode {
  level: number;
  x: number;
  y: number;
  /** Side of this cell in metres. */
  size: number;
  /** Point indices, in input order; only leaves have them. */
  items: number[];
  children: QuadNode[];
}

/** Deepest level: 2^20 cells per side splits a 100 km district into 10 cm cells. */
const MAX_LEVEL = 20;

/** Builds the tree over points (xs[i], ys[i]); deterministic for the same input. */
export function buildQuadtree(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPerLeaf: number): QuadNode {
  if (!(maxPerLeaf >= 1)) throw new RangeError(`maxPerLeaf must be ≥ 1, got ${maxPerLeaf}`);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  if (xs.length === 0) {
    minX = minY = 0;
    maxX = maxY = 0;
  }
  // A little margin so the east and north-most points fall inside, not on the edge.
  const size = Math.max(maxX - minX, maxY - minY, 1) * 1.000001;
  const all = Array.from({ length: xs.length }, (_, i) => i);
  return split({ level: 0, x: 0, y: 0, size, items: all, children: [] }, xs, ys, minX, minY, maxPerLeaf);
}

function split(node: QuadNode, xs: ArrayLike<number>, ys: ArrayLike<number>, ox: number, oy: number, maxPerLeaf: number): QuadNode {
  if (node.items.length <= maxPerLeaf || node.level >= MAX_LEVEL) return node;
  const half = node.size / 2;
  const west = ox + node.x * node.size;
  const south = oy + node.y * node.size;
  const quadrants: number[][] = [[], [], [], []];
  for (const i of node.items) {
    const qx = xs[i]! >= west + half ? 1 : 0;
    const qy = ys[i]! >= south + half ? 1 : 0;
    quadrants[qy * 2 + qx]!.push(i);
  }
  const children: QuadNode[] = [];
  quadrants.forEach((items, q) => {
    if (items.length === 0) return;
    const child: QuadNode = { level: node.level + 1, x: node.x * 2 + (q % 2), y: node.y * 2 + (q >> 1), size: half, items, children: [] };
    children.push(split(child, xs, ys, ox, oy, maxPerLeaf));
  });
  if (children.length === 1) return children[0]!;
  return { ...node, items: [], children };
}

/** Leaves in depth-first order. */
export function quadLeaves(root: QuadNode): QuadNode[] {
  const out: QuadNode[] = [];
  const walk = (n: QuadNode): void => {
    if (n.children.length === 0) out.push(n);
    else n.children.forEach(walk);
  };
  walk(root);
  return out;
}
