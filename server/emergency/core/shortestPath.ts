/**
 * Dijkstra's shortest travel times on a RoadGraph (roadGraph.ts) with a binary min-heap (kernel) and lazy
 * deletion: a node may sit in the heap several times, and stale entries (a key larger than the
 * node's settled time) are skipped when popped. O((V + E) log V).
 *
 * Roads are usable both ways, so the times from a site to every node are also the times from
 * every node to the site: one search from the incident's site ranks all resources at once
 * (`searchFrom`), instead of one search per resource (`timeBetween`, the bench's baseline).
 * `closed` marks edges that cannot be used (flooded: floodClosure.ts).
 */
import { MinHeap } from '../../../kernel/minHeap';
import type { RoadGraph } from './roadGraph';

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
    const n = heap.pop();
    const key = heap.lastKey;
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
