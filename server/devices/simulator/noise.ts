/**
 * Seeded, stateless randomness for the simulator: a value is a function of (seed, keys), not of
 * how many numbers were drawn before, so a reading depends only on the terminal and the time.
 */
import { fnv1a } from '../../../kernel/hash';

/** 32-bit integer hash of a seed and up to three integer keys (murmur3-style mixing). */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  // Keys are taken modulo 2^32 (`>>> 0`), so large time-slot numbers wrap instead of losing bits.
  return mix(mix(mix((seed ^ 0x9e3779b9) >>> 0, a), b), c);
}

function mix(h: number, k: number): number {
  h = Math.imul(h ^ (k >>> 0), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [0, 1) from the hash. */
export function hash01(seed: number, a: number, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4_294_967_296;
}

/**
 * Smooth value noise in [0, 1): hashed values at multiples of `periodMs`, blended with a
 * smoothstep, so a reading drifts instead of jumping between reports.
 */
export function smoothNoise(seed: number, key: number, timeMs: number, periodMs: number): number {
  const x = timeMs / periodMs;
  const i = Math.floor(x);
  const f = x - i;
  const w = f * f * (3 - 2 * f);
  return hash01(seed, key, i) * (1 - w) + hash01(seed, key, i + 1) * w;
}

/** Stable integer key for a string id (FNV-1a). */
export const keyOf = fnv1a;

