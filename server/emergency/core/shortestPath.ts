/**
 * Dijkstra's shortest travel times on a RoadGraph (roadGraph.ts) with a binary min-heap and lazy
 * deletion: a node may sit in the heap several times, and stale entries (a key larger than the
 * node's settled time) are skipped when popped. O((V + E) log V).
 *
 * Roads are usable both ways, so the times from a site to every node are also the times from
 * every node to the site: one search from the incident's site ranks all resources at once
 * (`searchFrom`), instead of one search per resource (`timeBetween`, the bench's baseline).
 * `closed` marks edges that cannot be used (flooded: floodClosure.ts).
 */
import type { RoadGraph } from './roadGraph';

/** A min-heap of (key, node) pairs over typed arrays, grown by doubling. */
export class MinHeap {
  private keys = new Float64Array(64);
  private nodes = new Int32Array(64);
  size = 0;

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.nodes);
      [this.keys, this.nodes] = [keys, nodes];
    }
    let i = this.size++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.nodes[i] = this.nodes[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
  }

  /** The smallest key (call only when size > 0). */
  peekKey(): number {
    return this.keys[0]!;
  }

  /** Removes the entry with the smallest key and returns its node. */
  pop(): number {
    const top = this.nodes[0]!;
    const last = --this.size;
    const key = this.keys[last]!;
    const node = this.nodes[last]!;
    let i = 0;
    // Sift the last entry down from the root.
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.keys[child + 1]! < this.keys[child]!) child += 1;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.nodes[i] = this.nodes[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
    return top;
  }
}

export interface SearchResult {
  source: number;
  /** Seconds from the source to each node; Infinity when unreachable. */
  timeS: Float64Array;
  /** The edge each node was reached by (-1 for the source and unreached nodes). */
  viaEdge: Int32Array;
}

export interface SearchOptions {
  /** 1 for each edge that cannot be used. */
  closed?: Uint8Array;
  /** Stop once this node is settled (a point-to-point search). */
  target?: number;
}

/** Travel times from `source` to every node it reaches (or until `target` is settled). */
export function searchFrom(g: RoadGraph, source: number, opts: SearchOptions = {}): SearchResult {
  const timeS = new Float64Array(g.nodeCount).fill(Infinity);
  const viaEdge = new Int32Array(g.nodeCount).fill(-1);
  const { closed, target } = opts;
  const heap = new MinHeap();
  timeS[source] = 0;
  heap.push(0, source);
  while (heap.size > 0) {
    const key = heap.peekKey();
    const n = heap.pop();
    if (key > timeS[n]!) continue; // stale entry
    if (n === target) break;
    for (let h = g.offsets[n]!; h < g.offsets[n + 1]!; h++) {
      const e = g.halfEdge[h]!;
      if (closed && closed[e]) continue;
      const m = g.to[h]!;
      const t = key + g.timeS[e]!;
      if (t < timeS[m]!) {
        timeS[m] = t;
        viaEdge[m] = e;
        heap.push(t, m);
      }
    }
  }
  return { source, timeS, viaEdge };
}

/** Nodes from the search's source to `node` (empty when unreachable). */
export function pathTo(g: RoadGraph, result: SearchResult, node: number): number[] {
  if (!Number.isFinite(result.timeS[node]!)) return [];
  const path = [node];
  let n = node;
  while (n !== result.source) {
    const e = result.viaEdge[n]!;
    n = g.edgeA[e] === n ? g.edgeB[e]! : g.edgeA[e]!;
    path.push(n);
  }
  return path.reverse();
}

/** Metres along a path of nodes. */
export function pathLengthM(g: RoadGraph, path: readonly number[]): number {
  let m = 0;
  for (let i = 1; i < path.length; i++) m += Math.hypot(g.x[path[i]!]! - g.x[path[i - 1]!]!, g.y[path[i]!]! - g.y[path[i - 1]!]!);
  return m;
}

/** One point-to-point search: the time from `a` to `b` (Infinity when cut off). */
export function timeBetween(g: RoadGraph, a: number, b: number, closed?: Uint8Array): number {
  return searchFrom(g, a, { closed, target: b }).timeS[b]!;
}
