import { describe, expect, it } from 'vitest';
import { fnv1a, fnv1aBytes } from '../../kernel/hash';

describe('fnv1a', () => {
  it('gives the published FNV-1a 32-bit test vectors', () => {
    // From the reference test suite (Landon Curt Noll, fnv-test-vectors): "", "a", "foobar".
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(fnv1aBytes(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });

  it('is unsigned and hashes UTF-16 code units, so ASCII text hashes as its bytes', () => {
    for (const text of ['T-0001', 'building/42', 'roads', 'x'.repeat(1000)]) {
      const h = fnv1a(text);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
      expect(fnv1aBytes(Buffer.from(text, 'latin1'))).toBe(h);
    }
  });

  it('chains through the seed', () => {
    expect(fnv1a('bc', fnv1a('a'))).toBe(fnv1a('abc'));
  });
});
