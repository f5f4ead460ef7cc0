/**
 * The demo's camera poses: every security and enforcement camera has one, mounted on its pole,
 * looking down at the road within the pitch, field-of-view and range a street camera has.
 */
import { describe, expect, it } from 'vitest';
import { buildDemoCityModel } from '../../demo/demoCity';
import { headingOf } from '../../demo/cameraPoses';

describe('demo camera poses', () => {
  const model = buildDemoCityModel(7);
  const cameras = model.terminals.filter((t) => t.type === 'camera' || t.type === 'traffic-camera');

  it('gives every camera terminal, and only those, a plausible pose on its pole', () => {
    expect(cameras.length).toBeGreaterThan(100);
    expect(model.terminals.filter((t) => t.camera).length).toBe(cameras.length);
    for (const t of cameras) {
      const c = t.camera!;
      expect([c.x, c.y]).toEqual([t.pole.x, t.pole.y]);
      expect(c.heightM).toBeLessThan(t.pole.heightM);
      expect(c.heightM).toBeGreaterThan(3);
      expect(c.pitchDeg).toBeGreaterThanOrEqual(-25);
      expect(c.pitchDeg).toBeLessThanOrEqual(-10);
      expect(c.hfovDeg).toBeGreaterThanOrEqual(50);
      expect(c.hfovDeg).toBeLessThanOrEqual(70);
      expect(c.rangeM).toBeGreaterThanOrEqual(80);
      expect(c.rangeM).toBeLessThanOrEqual(150);
      expect(c.headingDeg).toBeGreaterThanOrEqual(0);
      expect(c.headingDeg).toBeLessThan(360);
    }
  });

  it('points security cameras along their road and enforcement cameras at their junction', () => {
    const angleBetween = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);
    for (const t of cameras) {
      const { tx, ty } = t.pole.road.line.at(t.pole.chainage);
      const along = headingOf(tx, ty);
      const offRoad = Math.min(angleBetween(t.camera!.headingDeg, along), angleBetween(t.camera!.headingDeg, along + 180));
      if (t.type === 'camera') expect(offRoad).toBeLessThan(25);
    }
    const enforcement = cameras.filter((t) => t.type === 'traffic-camera');
    const aimedAtJunction = enforcement.filter((t) =>
      model.signals.some((s) => Math.hypot(s.x - t.pole.x, s.y - t.pole.y) > 5 && angleBetween(headingOf(s.x - t.pole.x, s.y - t.pole.y), t.camera!.headingDeg) < 0.2),
    );
    expect(aimedAtJunction.length).toBeGreaterThan(enforcement.length * 0.9);
  });

  it('measures headings clockwise from north', () => {
    expect(headingOf(0, 1)).toBe(0);
    expect(headingOf(1, 0)).toBe(90);
    expect(headingOf(0, -1)).toBe(180);
    expect(headingOf(-1, 0)).toBe(270);
  });
});
