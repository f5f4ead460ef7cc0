/**
 * Routes by travel time: Dijkstra over links (not nodes), so turn permissions hold. Link costs
 * start at free-flow time and are replaced, period by period, by the times vehicles measured
 * (TravelTimes.update); routes found in one period are cached until the next.
 */
import { MinHeap } from '../../kernel/minHeap';
import type { CompiledNetwork } from './compiledNetwork';

/** Costs per link, seconds, with the measurements of the current period. */
export class TravelTimes {
  readonly cost: Float64Array;
  private readonly freeFlow: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Int32Array;

  constructor(net: CompiledNetwork) {
    const n = net.lengthM.length;
    this.freeFlow = new Float64Array(n);
    for (let i = 0; i < n; i++) this.freeFlow[i] = net.lengthM[i]! / net.speedLimitMps[i]!;
    this.cost = Float64Array.from(this.freeFlow);
    this.sum = new Float64Array(n);
    this.count = new Int32Array(n);
  }

  freeFlowSeconds(link: number): number {
    return this.freeFlow[link]!;
  }

  /** A vehicle took `seconds` to traverse `link`. */
  record(link: number, seconds: number): void {
    this.sum[link]! += seconds;
    this.count[link]! += 1;
  }

  /** Vehicles still on a link for `seconds` count too, so a jammed link does not look free. */
  recordOngoing(link: number, seconds: number): void {
    if (seconds > this.cost[link]!) {
      this.sum[link]! += seconds;
      this.count[link]! += 1;
    }
  }

  /**
   * Ends a period: links measured in it take the mean of their measurements blended half-and-half
   * with the previous estimate (damps route flapping); links nobody used drift back to free flow.
   */
  update(): void {
    for (let i = 0; i < this.cost.length; i++) {
      const measured = this.count[i]! > 0 ? Math.max(this.freeFlow[i]!, this.sum[i]! / this.count[i]!) : this.freeFlow[i]!;
      this.cost[i] = 0.5 * this.cost[i]! + 0.5 * measured;
      this.sum[i] = 0;
      this.count[i] = 0;
    }
  }
}

export class Router {
  private readonly dist: Float64Array;
  private readonly prev: Int32Array;
  private readonly heap = new MinHeap();
  private cache = new Map<number, Int32Array | null>();

  constructor(
    private readonly net: CompiledNetwork,
    private readonly times: TravelTimes,
  ) {
    this.dist = new Float64Array(net.lengthM.length);
    this.prev = new Int32Array(net.lengthM.length);
  }

  /** Forget cached routes: link costs changed. */
  newPeriod(): void {
    this.cache = new Map();
  }

  /** Fastest link sequence from node `from` to node `to` (indices), or null when unreachable. */
  route(from: number, to: number): Int32Array | null {
    const key = from * this.net.nodeOut.length + to;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const found = this.search(from, to);
    this.cache.set(key, found);
    return found;
  }

  private search(from: number, to: number): Int32Array | null {
    const { dist, prev, heap, net } = this;
    const cost = this.times.cost;
    dist.fill(Infinity);
    heap.size = 0;
    for (const l of net.nodeOut[from]!) {
      dist[l] = cost[l]!;
      prev[l] = -1;
      heap.push(cost[l]!, l);
    }
    while (heap.size > 0) {
      const l = heap.pop();
      if (heap.lastKey > dist[l]!) continue;
      if (net.linkTo[l] === to) {
        const path: number[] = [];
        for (let k = l; k >= 0; k = prev[k]!) path.push(k);
        return Int32Array.from(path.reverse());
      }
      for (const s of net.successors[l]!) {
        const d = dist[l]! + cost[s]!;
        if (d < dist[s]!) {
          dist[s] = d;
          prev[s] = l;
          heap.push(d, s);
        }
      }
    }
    return null;
  }
}
