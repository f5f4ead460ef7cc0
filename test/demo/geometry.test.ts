import { describe, expect, it } from 'vitest';
import { lFootprint, rectFootprint, uFootprint } from '../../demo/footprints';
import { Polyline, clipPolygonToRect, convexSeparated, segmentIntersection, signedArea, type Vec2 } from '../../demo/geometry';

const square = (x: number, y: number, s: number): Vec2[] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];

describe('demo geometry', () => {
  it('measures polylines by chainage and offsets to the left', () => {
    const line = new Polyline([
      [0, 0],
      [10, 0],
      [10, 10],
    ]);
    expect(line.length).toBe(20);
    expect(line.at(15)).toMatchObject({ x: 10, y: 5, tx: 0, ty: 1 });
    expect(line.offsetPoint(5, 2)).toEqual([5, 2]);
    expect(line.slice(5, 15)).toEqual([
      [5, 0],
      [10, 0],
      [10, 5],
    ]);
  });

  it('finds crossings, and T-junctions within the slack', () => {
    expect(segmentIntersection([0, 0], [10, 0], [5, -5], [5, 5])).toMatchObject({ x: 5, y: 0 });
    expect(segmentIntersection([0, 0], [10, 0], [5, 0.5], [5, 5])).toBeUndefined();
    expect(segmentIntersection([0, 0], [10, 0], [5, 0.5], [5, 5], 1)).toBeDefined();
    expect(segmentIntersection([0, 0], [10, 0], [0, 1], [10, 1])).toBeUndefined();
  });

  it('separates convex shapes only with the clearance asked for', () => {
    expect(convexSeparated(square(0, 0, 10), square(12, 0, 10), 2)).toBe(true);
    expect(convexSeparated(square(0, 0, 10), square(11, 0, 10), 2)).toBe(false);
    expect(convexSeparated(square(0, 0, 10), square(5, 5, 10), 0)).toBe(false);
  });

  it('clips rings to a rectangle', () => {
    const clipped = clipPolygonToRect(square(-5, -5, 10), 0, 0, 100, 100);
    expect(Math.abs(signedArea(clipped))).toBeCloseTo(25, 9);
  });

  it('makes counter-clockwise footprints whose parts cover them', () => {
    const shapes = [
      rectFootprint(0, 0, 20, 10, 0.3),
      lFootprint(0, 0, 30, 20, 12, 8, -0.2, 1),
      uFootprint(0, 0, 30, 20, 8, 8, 1.1, 3),
    ];
    for (const fp of shapes) {
      const area = signedArea(fp.ring);
      expect(area).toBeGreaterThan(0);
      const partsArea = fp.parts.reduce((s, p) => s + Math.abs(signedArea(p)), 0);
      expect(partsArea).toBeCloseTo(area, 6);
    }
    expect(signedArea(lFootprint(0, 0, 30, 20, 12, 8, 0).ring)).toBeCloseTo(30 * 8 + 12 * 12, 6);
  });
});
