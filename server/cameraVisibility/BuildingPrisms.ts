/**
 * The twin's buildings as prisms (footprint polygons extruded from their base to their roof, the
 * L2 white models) in one local east-north-up frame, with a uniform grid over their bounding
 * boxes, so "does this line of sight pass through a building" walks only the cells the segment
 * crosses (Amanatides & Woo 1987, "A fast voxel traversal algorithm for ray tracing", in 2D)
 * instead of every building. Pure: footprints in, answers out; the clock and the disk stay out.
 */
import { EnuFrame, pointInRings, type Vec3 } from '../../kernel/geodesy';

/** What a prism is made from: the interior plans' footprint records (tiles/pipeline/interiors). */
export interface PrismSource {
  id: string;
  /** Building height above its base, metres. */
  height: number;
  /** Footprint polygons in metres east/north of the origin: outer ring then holes. */
  polygons: ReadonlyArray<ReadonlyArray<ReadonlyArray<readonly [number, number]>>>;
  /** The footprint's origin; `height` is the base, metres above the ellipsoid. */
  origin: { lon: number; lat: number; height: number };
}

interface Prism {
  id: string;
  /** Polygons (outer ring then holes) in the shared frame, metres. */
  polygons: Array<Array<Array<[number, number]>>>;
  baseZ: number;
  topZ: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Grid cell side, metres: about one city block's building, so a cell holds a handful. */
export const PRISM_CELL_M = 40;
/** Cells a grid may have (a city 40 km across at 40 m): past this the cell side grows. */
const MAX_CELLS = 1_000_000;

export class BuildingPrisms {
  private readonly prisms: Prism[] = [];
  private readonly cellM: number;
  private readonly originX: number;
  private readonly originY: number;
  private readonly cols: number;
  private readonly rows: number;
  /** CSR grid: the prisms of cell c are cellItems[cellStart[c] .. cellStart[c + 1]). */
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;
  /** Per prism, the query that last tested it (each prism is tested once per query). */
  private readonly stamp: Int32Array;
  private query = 0;
  private readonly crossings: number[] = [];

  constructor(
    readonly frame: EnuFrame,
    sources: Iterable<PrismSource>,
  ) {
    const p: Vec3 = [0, 0, 0];
    for (const s of sources) {
      const local = new EnuFrame(s.origin.lon, s.origin.lat, s.origin.height);
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      const polygons = s.polygons.map((rings) =>
        rings.map((ring) =>
          ring.map(([e, n]): [number, number] => {
            local.toEcef(e, n, 0, p);
            frame.fromEcef(p[0], p[1], p[2], p);
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
            return [p[0], p[1]];
          }),
        ),
      );
      if (!(minX <= maxX)) continue; // no vertices
      local.toEcef(0, 0, 0, p);
      const baseZ = frame.fromEcef(p[0], p[1], p[2], p)[2];
      local.toEcef(0, 0, s.height, p);
      const topZ = frame.fromEcef(p[0], p[1], p[2], p)[2];
      this.prisms.push({ id: s.id, polygons, baseZ, topZ, minX, minY, maxX, maxY });
    }
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const b of this.prisms) {
      minX = Math.min(minX, b.minX);
      minY = Math.min(minY, b.minY);
      maxX = Math.max(maxX, b.maxX);
      maxY = Math.max(maxY, b.maxY);
    }
    if (this.prisms.length === 0) minX = minY = maxX = maxY = 0;
    const span = Math.max(maxX - minX, maxY - minY, 1);
    this.cellM = Math.max(PRISM_CELL_M, span / Math.sqrt(MAX_CELLS));
    this.originX = minX;
    this.originY = minY;
    this.cols = Math.floor((maxX - minX) / this.cellM) + 1;
    this.rows = Math.floor((maxY - minY) / this.cellM) + 1;
    const counts = new Int32Array(this.cols * this.rows + 1);
    const eachCell = (b: Prism, visit: (cell: number) => void): void => {
      const c0 = this.col(b.minX);
      const c1 = this.col(b.maxX);
      const r0 = this.row(b.minY);
      const r1 = this.row(b.maxY);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * this.cols + c);
    };
    for (const b of this.prisms) eachCell(b, (cell) => counts[cell + 1]!++);
    for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
    this.cellStart = counts;
    this.cellItems = new Int32Array(counts[counts.length - 1]!);
    const fill = counts.slice(0, -1);
    this.prisms.forEach((b, i) => eachCell(b, (cell) => (this.cellItems[fill[cell]!++] = i)));
    this.stamp = new Int32Array(this.prisms.length);
  }

  get size(): number {
    return this.prisms.length;
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.originX) / this.cellM)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.originY) / this.cellM)));
  }

  /** Ids of the buildings whose footprint contains (x, y) in the shared frame. */
  containing(x: number, y: number): string[] {
    if (this.prisms.length === 0) return [];
    const c = this.row(y) * this.cols + this.col(x);
    const ids: string[] = [];
    for (let k = this.cellStart[c]!; k < this.cellStart[c + 1]!; k++) {
      const b = this.prisms[this.cellItems[k]!]!;
      if (x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY && b.polygons.some((rings) => pointInRings(x, y, rings))) ids.push(b.id);
    }
    return ids;
  }

  /**
   * The first building (in grid order, not necessarily the nearest) that the segment a → b
   * passes through, or undefined when the line of sight is clear. Points in the shared frame.
   * `ignore`: building ids that never block (the one the target stands in).
   */
  blocker(a: Vec3, b: Vec3, ignore: readonly string[] = []): string | undefined {
    if (this.prisms.length === 0) return undefined;
    this.query += 1;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    // Only the part of the segment over the grid can meet a building.
    const span = clipToBox(a, dx, dy, this.originX, this.originY, this.originX + this.cols * this.cellM, this.originY + this.rows * this.cellM);
    if (!span) return undefined;
    // Grid walk: the cell where the segment enters, then each cell boundary it crosses, in order of t.
    let c = this.col(a[0] + span[0] * dx);
    let r = this.row(a[1] + span[0] * dy);
    const cEnd = this.col(a[0] + span[1] * dx);
    const rEnd = this.row(a[1] + span[1] * dy);
    const stepC = dx > 0 ? 1 : -1;
    const stepR = dy > 0 ? 1 : -1;
    // t at which the segment crosses the next column / row boundary, and the t per cell.
    const tDeltaC = dx !== 0 ? this.cellM / Math.abs(dx) : Infinity;
    const tDeltaR = dy !== 0 ? this.cellM / Math.abs(dy) : Infinity;
    const nextX = this.originX + (c + (dx > 0 ? 1 : 0)) * this.cellM;
    const nextY = this.originY + (r + (dy > 0 ? 1 : 0)) * this.cellM;
    let tMaxC = dx !== 0 ? (nextX - a[0]) / dx : Infinity;
    let tMaxR = dy !== 0 ? (nextY - a[1]) / dy : Infinity;
    // The walk ends in b's cell; the step cap guards against a rounding miss of that cell.
    for (let steps = this.cols + this.rows + 2; steps > 0; steps--) {
      const cell = r * this.cols + c;
      for (let k = this.cellStart[cell]!; k < this.cellStart[cell + 1]!; k++) {
        const i = this.cellItems[k]!;
        if (this.stamp[i] === this.query) continue;
        this.stamp[i] = this.query;
        const prism = this.prisms[i]!;
        if (!ignore.includes(prism.id) && this.crosses(prism, a, b)) return prism.id;
      }
      if (c === cEnd && r === rEnd) break;
      if (tMaxC < tMaxR) {
        c += stepC;
        tMaxC += tDeltaC;
      } else {
        r += stepR;
        tMaxR += tDeltaR;
      }
      if (c < 0 || c >= this.cols || r < 0 || r >= this.rows) break;
    }
    return undefined;
  }

  /**
   * Whether segment a → b runs through the prism: split the segment at every crossing of a
   * footprint edge; on each piece whose midpoint is inside the footprint, the segment's height
   * (linear in t) must overlap [base, top].
   */
  private crosses(prism: Prism, a: Vec3, b: Vec3): boolean {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const dz = b[2] - a[2];
    // Clip to the bounding box first: most candidates stop here.
    const span = clipToBox(a, dx, dy, prism.minX, prism.minY, prism.maxX, prism.maxY);
    if (!span) return false;
    const [t0, t1] = span;
    const zLow = Math.min(a[2] + t0 * dz, a[2] + t1 * dz);
    const zHigh = Math.max(a[2] + t0 * dz, a[2] + t1 * dz);
    if (zLow >= prism.topZ || zHigh <= prism.baseZ) return false;

    const ts = this.crossings;
    ts.length = 0;
    ts.push(t0, t1);
    for (const rings of prism.polygons) {
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [px, py] = ring[j]!;
          const ex = ring[i]![0] - px;
          const ey = ring[i]![1] - py;
          const denom = dx * ey - dy * ex;
          // Parallel edges cannot be crossed at a single point; a piece's midpoint test covers them.
          if (denom === 0) continue;
          const wx = px - a[0];
          const wy = py - a[1];
          const t = (wx * ey - wy * ex) / denom;
          const s = (wx * dy - wy * dx) / denom;
          if (t > t0 && t < t1 && s >= 0 && s <= 1) ts.push(t);
        }
      }
    }
    ts.sort((x, y) => x - y);
    for (let k = 0; k + 1 < ts.length; k++) {
      const ta = ts[k]!;
      const tb = ts[k + 1]!;
      if (tb - ta < 1e-9) continue;
      const tm = (ta + tb) / 2;
      if (!prism.polygons.some((rings) => pointInRings(a[0] + tm * dx, a[1] + tm * dy, rings))) continue;
      const za = a[2] + ta * dz;
      const zb = a[2] + tb * dz;
      if (Math.min(za, zb) < prism.topZ && Math.max(za, zb) > prism.baseZ) return true;
    }
    return false;
  }
}

/**
 * Liang–Barsky: the parameter range [t0, t1] ⊆ [0, 1] over which a + t·(dx, dy) lies in the box,
 * or undefined when it misses it.
 */
function clipToBox(a: Vec3, dx: number, dy: number, minX: number, minY: number, maxX: number, maxY: number): [number, number] | undefined {
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, a[0] - minX],
    [dx, maxX - a[0]],
    [-dy, a[1] - minY],
    [dy, maxY - a[1]],
  ] as const) {
    if (p === 0) {
      if (q < 0) return undefined;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return undefined;
  }
  return [t0, t1];
}
