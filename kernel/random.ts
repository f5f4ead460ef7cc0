/**
 * Seeded pseudo-random numbers: the same seed gives the same sequence in Node and browsers,
 * on every platform, so generated cities, simulated devices and benchmark layouts repeat.
 *
 * Two generators, each kept because its users' outputs are pinned to it (the demo city's bytes,
 * the device simulator's readings, benchmark layouts):
 * - `Rng`, for the demo city and the traffic demand: sfc32 (Chris Doty-Humphrey's small fast
 *   counting generator) seeded through splitmix32, plain 32-bit integer arithmetic. Each part of
 *   the generator forks its own stream by label, so adding a draw to one part does not reshuffle
 *   the others.
 * - `mulberry32`, a single function of a seed, for the device simulator, synthetic client loads
 *   and benchmark layouts.
 */
import { fnv1a } from './hash';

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly key: number;

  /** `seed` is any safe integer; negative and large seeds are folded into 32 bits without collisions for |seed| < 2^32. */
  constructor(seed: number, label = '') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    this.key = (lo ^ Math.imul(hi, 0x9e3779b1) ^ fnv1a(label)) >>> 0;
    const mix = splitmix32(this.key);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    // Discard the first outputs: sfc32 needs a few rounds to decorrelate nearby seeds.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent stream for one part of the generator; does not advance this one. */
  fork(label: string): Rng {
    return new Rng(this.key, label);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Either -1 or +1. */
  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by non-negative weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/** Mulberry32: a small, fast seeded generator; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
