/**
 * What blocks a line of sight or a sun ray over a district: buildings as prisms (a footprint
 * ring extruded from a base to a top height) and, optionally, the terrain as a height grid.
 * Everything is in one local frame of metres (x east, y north, z up — the same height datum as
 * the grid, usually metres above the ellipsoid).
 *
 * A segment A→B is blocked by a prism when, over some stretch of it whose plan view lies inside
 * the footprint, its height is between the prism's base and top. Height is linear along the
 * segment, so over each stretch inside the footprint the extremes are at its two ends: the
 * crossings of the footprint's edges are all that needs computing (exact, no sampling). Prisms
 * are found through a uniform grid of cells walked along the segment (Amanatides & Woo, "A Fast
 * Voxel Traversal Algorithm for Ray Tracing", Eurographics 1987). The terrain is sampled along
 * the segment every half grid cell.
 */
import { pointInRings } from '../../kernel/geodesy';
import { sampleGrid, type Grid } from '../../kernel/raster/grid';

export interface Prism {
  /** Outer ring in local metres, [x, y] vertices, no repeated closing vertex. */
  ring: ReadonlyArray<readonly [number, number]>;
  /** Holes in it (courtyards), same form: a sight line through a hole passes. */
  holes?: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  baseM: number;
  topM: number;
  /** Whatever the caller uses to name it (a building id, "proposed"). */
  id: string;
}

/** Index cell size, m: a few typical footprints wide. */
const DEFAULT_CELL_M = 25;
/** Cells the index may have (a city 25 km across at 25 m): past this the cell side grows. */
const MAX_CELLS = 1_000_000;
/** Terrain tolerance, m: a ray grazing the ground within this is not taken as blocked by it (DEM noise). */
const GROUND_TOLERANCE_M = 0.5;

export class Obstacles {
  readonly prisms: readonly Prism[];
  /** The highest top of any prism or ground point, m: above it nothing blocks. */
  readonly maxHeightM: number;
  /** The highest ground point (−∞ without terrain): a segment above it cannot touch the ground. */
  private readonly maxGroundM: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellM: number;
  private readonly cellStart: Uint32Array;
  private readonly cellItems: Uint32Array;
  private readonly bbox: Float64Array;
  /** Highest prism top per index cell: a segment above it there skips the cell's prisms. */
  private readonly cellTop: Float32Array;
  private readonly seen: Uint32Array;
  private epoch = 0;
  /** Crossing parameters of the prism under test (scratch, no allocation per ray). */
  private crossings = new Float64Array(64);

  constructor(
    prisms: readonly Prism[],
    readonly ground?: Grid,
    cellM = DEFAULT_CELL_M,
  ) {
    this.prisms = prisms;
    this.bbox = new Float64Array(prisms.length * 4);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let maxH = -Infinity;
    prisms.forEach((p, k) => {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (const [x, y] of p.ring) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
      this.bbox.set([x0, y0, x1, y1], k * 4);
      minX = Math.min(minX, x0);
      minY = Math.min(minY, y0);
      maxX = Math.max(maxX, x1);
      maxY = Math.max(maxY, y1);
      maxH = Math.max(maxH, p.topM);
    });
    let maxGround = -Infinity;
    if (ground) for (const v of ground.values) if (v > maxGround) maxGround = v;
    this.maxGroundM = maxGround;
    this.maxHeightM = Math.max(maxH, maxGround);
    if (prisms.length === 0) {
      minX = minY = 0;
      maxX = maxY = 1;
    }
    this.minX = minX;
    this.minY = minY;
    this.cellM = Math.max(cellM, Math.max(maxX - minX, maxY - minY) / Math.sqrt(MAX_CELLS));
    this.cols = Math.max(1, Math.ceil((maxX - minX) / this.cellM) + 1);
    this.rows = Math.max(1, Math.ceil((maxY - minY) / this.cellM) + 1);
    // Counting sort of prisms into the cells their boxes touch (CSR layout).
    const counts = new Uint32Array(this.cols * this.rows + 1);
    const each = (k: number, fn: (cell: number) => void): void => {
      const c0 = this.col(this.bbox[k * 4]!);
      const r0 = this.row(this.bbox[k * 4 + 1]!);
      const c1 = this.col(this.bbox[k * 4 + 2]!);
      const r1 = this.row(this.bbox[k * 4 + 3]!);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) fn(r * this.cols + c);
    };
    for (let k = 0; k < prisms.length; k++) each(k, (cell) => counts[cell + 1]!++);
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1]!;
    this.cellStart = counts.slice();
    this.cellItems = new Uint32Array(counts[counts.length - 1]!);
    const fill = counts.slice();
    this.cellTop = new Float32Array(this.cols * this.rows).fill(-Infinity);
    for (let k = 0; k < prisms.length; k++) {
      each(k, (cell) => {
        this.cellItems[fill[cell]!++] = k;
        this.cellTop[cell] = Math.max(this.cellTop[cell]!, prisms[k]!.topM);
      });
    }
    this.seen = new Uint32Array(prisms.length);
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.cellM)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cellM)));
  }

  /** The top of the highest prism whose footprint holds (x, y), or NaN. */
  roofAt(x: number, y: number): number {
    const cell = this.row(y) * this.cols + this.col(x);
    let top = -Infinity;
    for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) {
      const p = this.prisms[this.cellItems[i]!]!;
      if (p.topM <= top || !inFootprint(p, x, y)) continue;
      top = p.topM;
    }
    return top === -Infinity ? Number.NaN : top;
  }

  /** Ground height at (x, y), m; NaN without terrain or outside it. */
  groundAt(x: number, y: number): number {
    return this.ground ? sampleGrid(this.ground, x, y) : Number.NaN;
  }

  /** Ids of the prisms whose footprint holds (x, y). */
  containing(x: number, y: number): string[] {
    const cell = this.row(y) * this.cols + this.col(x);
    const ids: string[] = [];
    for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) {
      const p = this.prisms[this.cellItems[i]!]!;
      if (inFootprint(p, x, y)) ids.push(p.id);
    }
    return ids;
  }

  /** Whether anything stands between A and B (both ends excluded from the terrain test). */
  blocked(ax: number, ay: number, az: number, bx: number, by: number, bz: number): boolean {
    return this.firstBlocker(ax, ay, az, bx, by, bz) >= 0 || this.groundBlocks(ax, ay, az, bx, by, bz);
  }

  /**
   * The id of a prism (the first in grid order, not necessarily the nearest) that stands between
   * A and B, or undefined; prisms named in `ignore` never block (the building a target stands in).
   */
  blocker(ax: number, ay: number, az: number, bx: number, by: number, bz: number, ignore: readonly string[] = []): string | undefined {
    const k = this.firstBlocker(ax, ay, az, bx, by, bz, ignore);
    return k < 0 ? undefined : this.prisms[k]!.id;
  }

  private firstBlocker(ax: number, ay: number, az: number, bx: number, by: number, bz: number, ignore: readonly string[] = []): number {
    if (this.prisms.length === 0) return -1;
    if (++this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const dx = bx - ax;
    const dy = by - ay;
    // Grid walk from A's cell to B's cell (cells outside the index are clamped onto its border,
    // which holds no prism beyond it, so the walk stays correct).
    let c = this.col(ax);
    let r = this.row(ay);
    const cEnd = this.col(bx);
    const rEnd = this.row(by);
    const stepC = dx > 0 ? 1 : -1;
    const stepR = dy > 0 ? 1 : -1;
    const tDeltaC = dx !== 0 ? this.cellM / Math.abs(dx) : Infinity;
    const tDeltaR = dy !== 0 ? this.cellM / Math.abs(dy) : Infinity;
    const nextX = this.minX + (c + (dx > 0 ? 1 : 0)) * this.cellM;
    const nextY = this.minY + (r + (dy > 0 ? 1 : 0)) * this.cellM;
    let tMaxC = dx !== 0 ? (nextX - ax) / dx : Infinity;
    let tMaxR = dy !== 0 ? (nextY - ay) / dy : Infinity;
    const dz = bz - az;
    let tEnter = 0;
    for (let guard = this.cols + this.rows + 2; guard > 0; guard--) {
      const cell = r * this.cols + c;
      // Where the segment is within this cell, its lowest point; above the cell's tallest prism
      // nothing here can block it (sun rays and most sight lines climb away from the ground).
      const tExit = Math.min(1, tMaxC, tMaxR);
      const zLow = az + Math.min(tEnter * dz, tExit * dz);
      if (zLow < this.cellTop[cell]!) {
        for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) {
          const k = this.cellItems[i]!;
          if (this.seen[k] === this.epoch) continue;
          this.seen[k] = this.epoch;
          if (this.segmentInPrism(k, ax, ay, az, dx, dy, dz) && !ignore.includes(this.prisms[k]!.id)) return k;
        }
      }
      if (c === cEnd && r === rEnd) break;
      tEnter = tExit;
      if (tMaxC < tMaxR) {
        c += stepC;
        tMaxC += tDeltaC;
      } else {
        r += stepR;
        tMaxR += tDeltaR;
      }
      if (c < 0 || r < 0 || c >= this.cols || r >= this.rows) break;
    }
    return -1;
  }

  /** Segment A + t·(dx, dy, dz), t ∈ [0, 1], against prism k. */
  private segmentInPrism(k: number, ax: number, ay: number, az: number, dx: number, dy: number, dz: number): boolean {
    const p = this.prisms[k]!;
    const zMin = Math.min(az, az + dz);
    const zMax = Math.max(az, az + dz);
    if (zMin >= p.topM || zMax <= p.baseM) return false;
    // Plan-view box test first.
    const b = this.bbox;
    if (Math.max(ax, ax + dx) < b[k * 4]! || Math.min(ax, ax + dx) > b[k * 4 + 2]! || Math.max(ay, ay + dy) < b[k * 4 + 1]! || Math.min(ay, ay + dy) > b[k * 4 + 3]!) return false;
    const rings = p.holes ? [p.ring, ...p.holes] : [p.ring];
    let n = 0;
    for (const ring of rings) n += ring.length;
    if (this.crossings.length < n + 2) this.crossings = new Float64Array(n * 2 + 2);
    const ts = this.crossings;
    let count = 0;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [px, py] = ring[j]!;
        const ex = ring[i]![0] - px;
        const ey = ring[i]![1] - py;
        const denom = dx * ey - dy * ex;
        if (denom === 0) continue; // parallel: touching along an edge is not entering
        const wx = px - ax;
        const wy = py - ay;
        const t = (wx * ey - wy * ex) / denom;
        const s = (wx * dy - wy * dx) / denom;
        // Half-open on the edge so a crossing exactly at a shared vertex counts once.
        if (t >= 0 && t <= 1 && s >= 0 && s < 1) ts[count++] = t;
      }
    }
    let inside = pointInRings(ax, ay, rings);
    if (count === 0) return inside; // wholly inside (heights already overlap) or wholly outside
    ts.subarray(0, count).sort();
    let t0 = 0;
    for (let i = 0; i <= count; i++) {
      const t1 = i < count ? ts[i]! : 1;
      if (inside && t1 > t0) {
        const z0 = az + t0 * dz;
        const z1 = az + t1 * dz;
        if (Math.min(z0, z1) < p.topM && Math.max(z0, z1) > p.baseM) return true;
      }
      inside = !inside;
      t0 = t1;
    }
    return false;
  }

  private groundBlocks(ax: number, ay: number, az: number, bx: number, by: number, bz: number): boolean {
    const g = this.ground;
    if (!g) return false;
    const length = Math.hypot(bx - ax, by - ay);
    // Only where the segment is no higher than the highest ground can the ground block it (sun
    // rays leave that band within metres; this bounds the march to it).
    const top = this.maxGroundM + GROUND_TOLERANCE_M;
    const dz = bz - az;
    let t0 = 0;
    let t1 = 1;
    if (dz > 0) t1 = Math.min(1, (top - az) / dz);
    else if (dz < 0) t0 = Math.max(0, (top - az) / dz);
    else if (az > top) return false;
    if (t1 < t0) return false;
    const step = g.cellSize / 2;
    // The first and last cell and a half are where the ends themselves stand on the ground.
    const skip = g.cellSize * 1.5;
    for (let s = Math.max(skip, t0 * length); s < Math.min(length - skip, t1 * length); s += step) {
      const t = s / length;
      const h = sampleGrid(g, ax + t * (bx - ax), ay + t * (by - ay));
      if (h - GROUND_TOLERANCE_M > az + t * dz) return true;
    }
    return false;
  }
}

/** Whether (x, y) is inside the prism's footprint (in its ring and in none of its holes). */
function inFootprint(p: Prism, x: number, y: number): boolean {
  return pointInRings(x, y, p.holes ? [p.ring, ...p.holes] : [p.ring]);
}

/**
 * A planner's box: `widthM` across and `depthM` along `headingDeg` (clockwise from north),
 * centred on (cx, cy), standing from `baseM` to `baseM + heightM`.
 */
export function boxPrism(id: string, cx: number, cy: number, widthM: number, depthM: number, headingDeg: number, baseM: number, heightM: number): Prism {
  const h = (headingDeg * Math.PI) / 180;
  const d = [Math.sin(h) * (depthM / 2), Math.cos(h) * (depthM / 2)] as const;
  const w = [Math.cos(h) * (widthM / 2), -Math.sin(h) * (widthM / 2)] as const;
  const ring: Array<[number, number]> = [
    [cx - w[0] - d[0], cy - w[1] - d[1]],
    [cx + w[0] - d[0], cy + w[1] - d[1]],
    [cx + w[0] + d[0], cy + w[1] + d[1]],
    [cx - w[0] + d[0], cy - w[1] + d[1]],
  ];
  return { id, ring, baseM, topM: baseM + heightM };
}
