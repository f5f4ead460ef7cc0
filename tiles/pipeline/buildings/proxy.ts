/**
 * Parent-tile proxies of buildings: each building reduced to one box, oriented along its
 * footprint's longest outer edge, from its base to its roof. Four corners instead of the full
 * footprint keep the parent tiles (seen from far away) small while the skyline stays right.
 */
import type { FootprintRings } from './extrude';

/** A single four-corner ring (counter-clockwise from above), bottom and top. */
export class BoxRings implements FootprintRings {
  readonly bottom = new Float64Array(12);
  readonly top = new Float64Array(12);
  readonly ringStarts = [0, 4];
}

/** Collects a building's footprint vertices (all its polygons) and fits the oriented box. */
export class BoxFitter {
  private xs: number[] = [];
  private ys: number[] = [];
  private zs: number[] = [];
  private dir: [number, number] | undefined;
  private rise: [number, number, number] = [0, 0, 0];

  reset(): void {
    this.xs.length = 0;
    this.ys.length = 0;
    this.zs.length = 0;
    this.dir = undefined;
  }

  /** Adds one polygon's rings; the first polygon's longest outer edge sets the box's axis. */
  add(rings: FootprintRings): void {
    const n = rings.ringStarts[rings.ringStarts.length - 1]!;
    const outer = rings.ringStarts[1]!;
    const b = rings.bottom;
    if (!this.dir) {
      let best = -1;
      for (let i = 0; i < outer; i++) {
        const j = i + 1 === outer ? 0 : i + 1;
        const dx = b[3 * j]! - b[3 * i]!;
        const dy = b[3 * j + 1]! - b[3 * i + 1]!;
        const len = Math.hypot(dx, dy);
        if (len > best) {
          best = len;
          this.dir = [dx / len, dy / len];
        }
      }
      for (let k = 0; k < 3; k++) this.rise[k] = rings.top[k]! - b[k]!;
    }
    for (let i = 0; i < n; i++) {
      this.xs.push(b[3 * i]!);
      this.ys.push(b[3 * i + 1]!);
      this.zs.push(b[3 * i + 2]!);
    }
  }

  /** Writes the box into `out`; false when nothing was added. */
  fit(out: BoxRings): boolean {
    const n = this.xs.length;
    if (n < 3 || !this.dir) return false;
    const [ux, uy] = this.dir;
    let u0 = Infinity;
    let u1 = -Infinity;
    let v0 = Infinity;
    let v1 = -Infinity;
    let z = 0;
    for (let i = 0; i < n; i++) {
      const u = this.xs[i]! * ux + this.ys[i]! * uy;
      const v = -this.xs[i]! * uy + this.ys[i]! * ux;
      u0 = Math.min(u0, u);
      u1 = Math.max(u1, u);
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
      z += this.zs[i]!;
    }
    z /= n;
    // Corners (u, v) counter-clockwise: (u0,v0) (u1,v0) (u1,v1) (u0,v1); back to x, y.
    const corners: Array<[number, number]> = [[u0, v0], [u1, v0], [u1, v1], [u0, v1]];
    corners.forEach(([u, v], k) => {
      const x = u * ux - v * uy;
      const y = u * uy + v * ux;
      out.bottom.set([x, y, z], 3 * k);
      out.top.set([x + this.rise[0], y + this.rise[1], z + this.rise[2]], 3 * k);
    });
    return true;
  }
}
