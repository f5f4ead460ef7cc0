/**
 * FNV-1a (Fowler–Noll–Vo, variant 1a), 32 bits: a fast, stable, non-cryptographic hash for
 * deterministic choices (roof shapes, random-stream labels, simulator keys), rendezvous hashing
 * and message keys. Strings hash their UTF-16 code units, not UTF-8 bytes.
 *
 * Every step works modulo 2^32 (`Math.imul` and `^` both read their operands as 32-bit
 * integers), so whether the state is taken `>>> 0` after each step or only at the end, the
 * result is the same unsigned 32-bit number.
 */

/** The FNV-1a 32-bit offset basis. */
export const FNV1A_OFFSET_BASIS = 0x811c9dc5;
/** The FNV 32-bit prime. */
const FNV1A_PRIME = 0x01000193;

/** 32-bit FNV-1a of a string's UTF-16 code units; `seed` replaces the offset basis (chained hashes). */
export function fnv1a(text: string, seed = FNV1A_OFFSET_BASIS): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV1A_PRIME);
  return h >>> 0;
}

/** 32-bit FNV-1a of bytes (message payloads). */
export function fnv1aBytes(bytes: Uint8Array): number {
  let h = FNV1A_OFFSET_BASIS;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, FNV1A_PRIME);
  return h >>> 0;
}
