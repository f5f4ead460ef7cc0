/** The underground mode's excavation box as the ring the globe is clipped by. */
import { describe, expect, it } from 'vitest';
import { distanceM } from '../../kernel/geodesy';
import { clampSide, cutRing } from '../../client/src/features/underground/core/cutBox';

describe('cut box', () => {
  it('is a rectangle of the asked sides around its centre, turned to its heading', () => {
    for (const headingDeg of [0, 30, 90]) {
      const ring = cutRing({ lon: 113.7, lat: 22.83, widthM: 40, lengthM: 60, headingDeg });
      const side = (i: number): number => distanceM(ring[i]![0], ring[i]![1], ring[(i + 1) % 4]![0], ring[(i + 1) % 4]![1]);
      expect(side(0)).toBeCloseTo(40, 0);
      expect(side(1)).toBeCloseTo(60, 0);
      expect(side(2)).toBeCloseTo(40, 0);
      expect(distanceM(ring[0]![0], ring[0]![1], ring[2]![0], ring[2]![1])).toBeCloseTo(Math.hypot(40, 60), 0);
      const mid = [(ring[0]![0] + ring[2]![0]) / 2, (ring[0]![1] + ring[2]![1]) / 2];
      expect(mid[0]).toBeCloseTo(113.7, 7);
      expect(mid[1]).toBeCloseTo(22.83, 7);
    }
    // Heading 0: the length runs north, so the second side goes from south to north.
    const north = cutRing({ lon: 113.7, lat: 22.83, widthM: 40, lengthM: 60, headingDeg: 0 });
    expect(north[2]![1]).toBeGreaterThan(north[1]![1]);
    expect(north[1]![0]).toBeCloseTo(north[2]![0], 9);
  });

  it('keeps sides between 1 m and 2 km', () => {
    expect([clampSide(0), clampSide(50), clampSide(1e6), clampSide(Number.NaN)]).toEqual([1, 50, 2000, 1]);
  });
});
