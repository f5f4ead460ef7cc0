import { describe, expect, it } from 'vitest';
import { Rng } from '../../kernel/random';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('seeded PRNG', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    expect(draw(new Rng(42), 50)).toEqual(draw(new Rng(42), 50));
    expect(draw(new Rng(42), 50)).not.toEqual(draw(new Rng(43), 50));
    expect(draw(new Rng(-1), 10)).not.toEqual(draw(new Rng(0xffffffff), 10));
  });

  it('forks independent streams by label without advancing the parent', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const fork = a.fork('roads');
    expect(draw(a, 5)).toEqual(draw(b, 5));
    expect(draw(fork, 5)).toEqual(draw(new Rng(7).fork('roads'), 5));
    expect(draw(new Rng(7).fork('roads'), 5)).not.toEqual(draw(new Rng(7).fork('poles'), 5));
  });

  it('keeps draws in range and roughly uniform', () => {
    const rng = new Rng(1);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]!++;
    }
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });

  it('refuses seeds that are not safe integers', () => {
    expect(() => new Rng(0.5)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });
});
