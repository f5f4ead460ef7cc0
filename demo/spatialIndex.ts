/**
 * A uniform-grid spatial hash of items by bounding box: the candidates for distance and overlap
 * tests near a point or box. Buckets keep insertion order and queries visit cells in a fixed
 * order, so results come back in the same order on every run.
 */

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export class SpatialIndex<T> {
  private readonly buckets = new Map<number, number[]>();
  private readonly items: T[] = [];
  private readonly boxes: Box[] = [];
  /** Per-item stamp of the last query that saw it, so a query reports each item once. */
  private seen: Uint32Array = new Uint32Array(64);
  private query = 0;

  constructor(private readonly cellSize: number) {}

  get size(): number {
    return this.items.length;
  }

  private key(cx: number, cy: number): number {
    // Cells stay within ±2^15 for any district-sized extent at metre-scale cell sizes.
    return (cx + 32768) * 65536 + (cy + 32768);
  }

  insert(box: Box, item: T): void {
    const index = this.items.length;
    this.items.push(item);
    this.boxes.push(box);
    if (index >= this.seen.length) {
      const grown = new Uint32Array(this.seen.length * 2);
      grown.set(this.seen);
      this.seen = grown;
    }
    const s = this.cellSize;
    for (let cx = Math.floor(box.minX / s); cx <= Math.floor(box.maxX / s); cx++) {
      for (let cy = Math.floor(box.minY / s); cy <= Math.floor(box.maxY / s); cy++) {
        const k = this.key(cx, cy);
        const bucket = this.buckets.get(k);
        if (bucket) bucket.push(index);
        else this.buckets.set(k, [index]);
      }
    }
  }

  /** Items whose boxes overlap `box`. */
  search(box: Box): T[] {
    this.query++;
    const out: T[] = [];
    const s = this.cellSize;
    for (let cx = Math.floor(box.minX / s); cx <= Math.floor(box.maxX / s); cx++) {
      for (let cy = Math.floor(box.minY / s); cy <= Math.floor(box.maxY / s); cy++) {
        const bucket = this.buckets.get(this.key(cx, cy));
        if (!bucket) continue;
        for (const i of bucket) {
          if (this.seen[i] === this.query) continue;
          this.seen[i] = this.query;
          const b = this.boxes[i]!;
          if (b.maxX < box.minX || b.minX > box.maxX || b.maxY < box.minY || b.minY > box.maxY) continue;
          out.push(this.items[i]!);
        }
      }
    }
    return out;
  }
}

export function boxOf(points: readonly (readonly [number, number])[], pad = 0): Box {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad };
}
