/**
 * Where things may stand: the rules every placed feature shares (inside the district, on dry
 * land behind the beach, off the river's green banks, outside the hill park).
 */
import { inDistrict, type PlanFrame } from './frame';
import type { Landform } from './landform';

/** Green strip kept free of buildings beside the river, beyond the water's edge, metres. */
export const RIVER_GREENWAY_M = 20;

export class Site {
  constructor(
    readonly landform: Landform,
    readonly frame: PlanFrame,
  ) {}

  /** A world point where a building may stand. */
  buildable(u: number, v: number, inset = 3): boolean {
    return inDistrict(u, v, inset) && this.openGround(u, v);
  }

  /** Dry land behind the beach, off the river's green banks and outside the hill park (district edge aside). */
  openGround(u: number, v: number): boolean {
    const [p, q] = this.frame.toPlan(u, v);
    const lf = this.landform;
    if (q < lf.coastQ(p) + lf.beachWidth(p) + 5) return false;
    if (lf.inHillPark(p, q, 3)) return false;
    return lf.riverDistance(p, q) > lf.riverHalfWidth(q) + RIVER_GREENWAY_M;
  }

  /** Every corner of a world ring, and points every `step` metres along its edges, pass `test`. */
  ringAll(ring: readonly (readonly [number, number])[], step: number, test: (u: number, v: number) => boolean): boolean {
    for (let i = 0; i < ring.length; i++) {
      const [ax, ay] = ring[i]!;
      const [bx, by] = ring[(i + 1) % ring.length]!;
      const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / step));
      for (let k = 0; k < n; k++) {
        const t = k / n;
        if (!test(ax + (bx - ax) * t, ay + (by - ay) * t)) return false;
      }
    }
    return true;
  }

  /** Every point of a world ring's outline is buildable. */
  ringBuildable(ring: readonly (readonly [number, number])[], step = 8, inset = 3): boolean {
    return this.ringAll(ring, step, (u, v) => this.buildable(u, v, inset));
  }
}
