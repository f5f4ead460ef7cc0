/**
 * Which instance of a cluster looks after a key (a terminal's silence watch): rendezvous
 * (highest random weight) hashing, so when an instance joins or leaves only the keys it held
 * move, and every instance computes the same answer from the same member list without talking.
 */
import { fnv1a } from '../../kernel/hash';

/** Final avalanche (murmur3 fmix32) so members whose ids differ in one character still spread. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The member with the highest weight for `key`; ties (vanishingly rare) go to the smaller id. */
export function ownerOf(key: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  const keyHash = fnv1a(key);
  for (const member of members) {
    const weight = mix(fnv1a(member, keyHash));
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && member < best)) {
      best = member;
      bestWeight = weight;
    }
  }
  return best;
}
