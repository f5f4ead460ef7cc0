/**
 * Tools a zone generator uses inside one block: its usable rectangle, lattices of lots in a
 * turned local frame, rows of buildings along a street edge, and first-fit placement of single
 * large buildings. Every footprint goes through Placement, which has the last word.
 */
import type { BuildingUse } from '../domain/citySource';
import type { PlanFrame } from './frame';
import { rectFootprint, type Footprint } from './footprints';
import type { Vec2 } from './geometry';
import { innerRect, type Block } from './plan';
import type { Placement } from './placement';
import type { Rng } from '../kernel/random';
import { RIVER_GREENWAY_M } from './site';
import { buildingHeight } from './storeys';

export interface PlanRect {
  p0: number;
  p1: number;
  q0: number;
  q1: number;
}

export type Edge = 'west' | 'east' | 'south' | 'north';

export class BlockWork {
  constructor(
    readonly placement: Placement,
    readonly block: Block,
    readonly frame: PlanFrame,
    readonly rng: Rng,
  ) {}

  /** World angle of the plan's p axis: buildings square to the streets use it. */
  get streetAngle(): number {
    return this.frame.thetaRad;
  }

  rect(setback: number): PlanRect {
    return innerRect(this.block, setback);
  }

  /**
   * The usable rectangle as open-space parcels: split where the river's green corridor crosses
   * it, keeping only parts at least `minWidth` wide that lie wholly on open ground. They may
   * reach past the district's edge: land-use areas are clipped to it when recorded.
   */
  openParcels(setback: number, minWidth = 20): PlanRect[] {
    const r = this.rect(setback);
    const lf = this.placement.site.landform;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let q = r.q0; q <= r.q1 + 5; q += 5) {
      // The corridor is measured square to the course; across p it is wider where the course slants.
      const slope = (lf.riverP(q + 1) - lf.riverP(q - 1)) / 2;
      const reach = (lf.riverHalfWidth(q) + RIVER_GREENWAY_M + 2) * Math.hypot(1, slope);
      lo = Math.min(lo, lf.riverP(q) - reach);
      hi = Math.max(hi, lf.riverP(q) + reach);
    }
    const parts = hi < r.p0 || lo > r.p1 ? [r] : [{ ...r, p1: Math.min(lo, r.p1) }, { ...r, p0: Math.max(hi, r.p0) }];
    const site = this.placement.site;
    return parts.filter(
      (part) => part.p1 - part.p0 >= minWidth && part.q1 - part.q0 >= minWidth && site.ringAll(this.planRing(part), 10, (u, v) => site.openGround(u, v)),
    );
  }

  planRing(r: PlanRect): Vec2[] {
    return [this.frame.toWorld(r.p0, r.q0), this.frame.toWorld(r.p1, r.q0), this.frame.toWorld(r.p1, r.q1), this.frame.toWorld(r.p0, r.q1)];
  }

  /** Width of the street along an edge of the block. */
  edgeWidth(edge: Edge): number {
    const b = this.block;
    return edge === 'west' ? b.widthL : edge === 'east' ? b.widthR : edge === 'south' ? b.low.widthM : b.high.widthM;
  }

  add(fp: Footprint, use: BuildingUse, floors: number, setback: number, gap: number, opts: { name?: string; extra?: number } = {}): boolean {
    const draft = { footprint: fp, use, floors, height: buildingHeight(use, floors, opts.extra ?? 0), ...(opts.name ? { name: opts.name } : {}) };
    return this.placement.tryAdd(draft, this.block, setback, gap);
  }

  /**
   * Walks lots over the block's usable rectangle in a local frame turned to world `angle`:
   * rows of `rowPitch()` metres, each cut into lots of `colPitch(row)` metres; `make` gets each
   * lot's world centre and size.
   */
  lattice(
    setback: number,
    angle: number,
    rowPitch: (row: number) => number,
    colPitch: (row: number, col: number) => number,
    make: (cx: number, cy: number, w: number, h: number, row: number, col: number) => void,
  ): void {
    const f = this.localFrame(setback, angle);
    if (!f) return;
    let row = 0;
    for (let y = f.ymin; y < f.ymax; row++) {
      const h = rowPitch(row);
      let col = 0;
      for (let x = f.xmin; x < f.xmax; col++) {
        const w = colPitch(row, col);
        const [cx, cy] = f.toWorld(x + w / 2, y + h / 2);
        make(cx, cy, w, h, row, col);
        x += w;
      }
      y += h;
    }
  }

  /**
   * A regular array of lots, `pitchX` × `pitchY` metres centre to centre, centred in the usable
   * rectangle so that the margins on opposite sides match; `make` gets each lot's world centre.
   * Lots are laid out for footprints of `fw` × `fh`, the array's outer rows touching the setback.
   */
  array(setback: number, angle: number, fw: number, fh: number, pitchX: number, pitchY: number, make: (cx: number, cy: number, i: number, j: number) => void): void {
    const f = this.localFrame(setback, angle);
    if (!f) return;
    const nx = Math.floor((f.xmax - f.xmin - fw) / pitchX) + 1;
    const ny = Math.floor((f.ymax - f.ymin - fh) / pitchY) + 1;
    const x0 = (f.xmin + f.xmax) / 2 - ((nx - 1) * pitchX) / 2;
    const y0 = (f.ymin + f.ymax) / 2 - ((ny - 1) * pitchY) / 2;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const [cx, cy] = f.toWorld(x0 + i * pitchX, y0 + j * pitchY);
        make(cx, cy, i, j);
      }
    }
  }

  /** The usable rectangle seen from a local frame turned to world `angle`, centred on it. */
  private localFrame(
    setback: number,
    angle: number,
  ): { xmin: number; xmax: number; ymin: number; ymax: number; toWorld: (x: number, y: number) => Vec2 } | undefined {
    const r = this.rect(setback);
    if (r.p1 <= r.p0 || r.q1 <= r.q0) return undefined;
    const [cx, cy] = this.frame.toWorld((r.p0 + r.p1) / 2, (r.q0 + r.q1) / 2);
    const ex: Vec2 = [Math.cos(angle), Math.sin(angle)];
    const ey: Vec2 = [-ex[1], ex[0]];
    let xmin = Number.POSITIVE_INFINITY;
    let xmax = Number.NEGATIVE_INFINITY;
    let ymin = Number.POSITIVE_INFINITY;
    let ymax = Number.NEGATIVE_INFINITY;
    for (const [u, v] of this.planRing(r)) {
      const lx = (u - cx) * ex[0] + (v - cy) * ex[1];
      const ly = (u - cx) * ey[0] + (v - cy) * ey[1];
      xmin = Math.min(xmin, lx);
      xmax = Math.max(xmax, lx);
      ymin = Math.min(ymin, ly);
      ymax = Math.max(ymax, ly);
    }
    const toWorld = (x: number, y: number): Vec2 => [cx + ex[0] * x + ey[0] * y, cy + ex[1] * x + ey[1] * y];
    return { xmin, xmax, ymin, ymax, toWorld };
  }

  /**
   * A row of buildings along one street edge, `setback` metres behind it, facing the street.
   * `next` gives each building's frontage, depth and what it is; gaps come from `gap()`.
   */
  streetRow(
    edge: Edge,
    setback: number,
    next: () => { width: number; depth: number; use: BuildingUse; floors: number },
    gap: () => number,
    minGap: number,
  ): void {
    const r = this.rect(setback);
    const alongP = edge === 'south' || edge === 'north';
    const start = alongP ? r.p0 : r.q0;
    const end = alongP ? r.p1 : r.q1;
    for (let s = start; s < end; ) {
      const b = next();
      const mid = s + b.width / 2;
      let p: number;
      let q: number;
      if (alongP) {
        p = mid;
        const line = edge === 'south' ? this.block.low : this.block.high;
        // The street may bend a little under the building: clear it at both ends.
        const ends = [line.q(p - b.width / 2), line.q(p), line.q(p + b.width / 2)];
        q =
          edge === 'south'
            ? Math.max(...ends) + line.halfWidth + setback + b.depth / 2
            : Math.min(...ends) - line.halfWidth - setback - b.depth / 2;
      } else {
        q = mid;
        p = edge === 'west' ? this.block.pl + this.block.widthL / 2 + setback + b.depth / 2 : this.block.pr - this.block.widthR / 2 - setback - b.depth / 2;
      }
      const [u, v] = this.frame.toWorld(p, q);
      const angle = alongP ? this.streetAngle : this.streetAngle + Math.PI / 2;
      this.add(rectFootprint(u, v, b.width, b.depth, angle), b.use, b.floors, setback - 0.01, minGap);
      s += b.width + gap();
    }
  }

  /**
   * Places one building at the first spot that fits, trying spots on a 6 m raster in order of
   * distance from a preferred point given as fractions of the usable rectangle.
   */
  placeFirst(
    make: (cx: number, cy: number) => Footprint,
    use: BuildingUse,
    floors: number,
    setback: number,
    gap: number,
    prefer: [number, number],
    opts: { name?: string; extra?: number } = {},
  ): Footprint | undefined {
    const r = this.rect(setback);
    if (r.p1 <= r.p0 || r.q1 <= r.q0) return undefined;
    const target: Vec2 = [r.p0 + (r.p1 - r.p0) * prefer[0], r.q0 + (r.q1 - r.q0) * prefer[1]];
    const spots: Array<[number, number, number]> = [];
    for (let p = r.p0; p <= r.p1; p += 6) {
      for (let q = r.q0; q <= r.q1; q += 6) spots.push([Math.hypot(p - target[0], q - target[1]), p, q]);
    }
    // Sort by distance, then by position, so ties resolve the same way every run.
    spots.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    for (const [, p, q] of spots) {
      const [u, v] = this.frame.toWorld(p, q);
      const fp = make(u, v);
      if (this.add(fp, use, floors, setback, gap, opts)) return fp;
    }
    return undefined;
  }
}
