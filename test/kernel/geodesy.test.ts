import { describe, expect, it } from 'vitest';
import { boxAround, distanceM, pointInPolygon, pointInRings } from '../../kernel/geodesy';

describe('point in polygon', () => {
  const open: [number, number][] = [[0, 0], [10, 0], [10, 10], [0, 10]];
  const closed = [...open, open[0]!];
  const hole: [number, number][] = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]];

  it('answers the same for an open ring and the same ring closed', () => {
    for (let i = 0; i < 400; i++) {
      const x = -2 + ((i * 0.6180339887) % 1) * 14;
      const y = -2 + ((i * 0.4142135623) % 1) * 14;
      expect(pointInPolygon(x, y, closed)).toBe(pointInPolygon(x, y, open));
    }
    expect(pointInPolygon(5, 5, open)).toBe(true);
    expect(pointInPolygon(11, 5, open)).toBe(false);
  });

  it('counts holes by the even-odd rule', () => {
    expect(pointInRings(2, 2, [closed, hole])).toBe(true);
    expect(pointInRings(5, 5, [closed, hole])).toBe(false);
    expect(pointInRings(12, 5, [closed, hole])).toBe(false);
  });
});

describe('boxAround', () => {
  it('holds every point within the radius', () => {
    const [lon, lat] = [113.95, 22.53];
    const box = boxAround(lon, lat, 100);
    expect(distanceM(lon, lat, lon, box.north)).toBeCloseTo(100, 6);
    expect(distanceM(lon, lat, box.east, lat)).toBeGreaterThanOrEqual(100);
  });
});
