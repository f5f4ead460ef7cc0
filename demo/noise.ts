/**
 * Smooth seeded noise for natural shapes: coastline wiggles, river meanders, terrain texture.
 * Lattice values come from the seeded PRNG, so the noise is as deterministic as the seed.
 */
import type { Rng } from '../kernel/random';

const PERIOD = 256;
const MASK = PERIOD - 1;

/** Quintic fade (Perlin 2002): C2-continuous, so slopes and curvature have no seams at lattice points. */
function fade(t: number): number {
  return t * t * t * (t * (t * 6 - 15) + 10);
}

/** 1D value noise in [-1, 1] (the bound is exact: interpolation never leaves the lattice range). */
export class Noise1D {
  private readonly values: Float64Array;

  constructor(rng: Rng) {
    this.values = new Float64Array(PERIOD);
    for (let i = 0; i < PERIOD; i++) this.values[i] = rng.range(-1, 1);
  }

  at(x: number): number {
    const i = Math.floor(x);
    const t = fade(x - i);
    const v0 = this.values[i & MASK]!;
    const v1 = this.values[(i + 1) & MASK]!;
    return v0 + (v1 - v0) * t;
  }
}

/** 2D gradient (Perlin) noise, roughly in [-1, 1]. */
export class Noise2D {
  private readonly perm: Uint8Array;
  private readonly gx: Float64Array;
  private readonly gy: Float64Array;

  constructor(rng: Rng) {
    const order = rng.shuffle(Array.from({ length: PERIOD }, (_, i) => i));
    this.perm = new Uint8Array(PERIOD * 2);
    for (let i = 0; i < PERIOD * 2; i++) this.perm[i] = order[i & MASK]!;
    this.gx = new Float64Array(PERIOD);
    this.gy = new Float64Array(PERIOD);
    for (let i = 0; i < PERIOD; i++) {
      const a = rng.range(0, Math.PI * 2);
      this.gx[i] = Math.cos(a);
      this.gy[i] = Math.sin(a);
    }
  }

  private dot(ix: number, iy: number, dx: number, dy: number): number {
    const h = this.perm[(this.perm[ix & MASK]! + (iy & MASK)) & 0x1ff]!;
    return this.gx[h]! * dx + this.gy[h]! * dy;
  }

  at(x: number, y: number): number {
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    const fx = x - ix;
    const fy = y - iy;
    const u = fade(fx);
    const v = fade(fy);
    const n00 = this.dot(ix, iy, fx, fy);
    const n10 = this.dot(ix + 1, iy, fx - 1, fy);
    const n01 = this.dot(ix, iy + 1, fx, fy - 1);
    const n11 = this.dot(ix + 1, iy + 1, fx - 1, fy - 1);
    const a = n00 + (n10 - n00) * u;
    const b = n01 + (n11 - n01) * u;
    // √2 scales the theoretical ±√½ range of 2D gradient noise up to about ±1.
    return (a + (b - a) * v) * Math.SQRT2;
  }

  /** Fractal sum of `octaves` layers, each at twice the frequency and half the amplitude; about [-1, 1]. */
  fbm(x: number, y: number, octaves: number): number {
    let sum = 0;
    let amp = 1;
    let norm = 0;
    let f = 1;
    for (let o = 0; o < octaves; o++) {
      sum += amp * this.at(x * f + o * 17.3, y * f - o * 11.1);
      norm += amp;
      amp *= 0.5;
      f *= 2;
    }
    return sum / norm;
  }
}
