/**
 * Which cameras see a point (server/cameraVisibility): the frustum decides first, then buildings
 * on the line of sight; the building a target stands in never hides it; sight lines over low
 * roofs stay clear; and the grid walk finds exactly the blockers a building-by-building check
 * finds.
 */
import { describe, expect, it } from 'vitest';
import type { CameraPose } from '../../domain/cameras';
import { ecefToGeodetic, EnuFrame, type Vec3 } from '../../kernel/geodesy';
import { Rng } from '../../kernel/random';
import { buildingObstacles, type PrismSource } from '../../server/cameraVisibility/buildingObstacles';
import { CameraVisibility, type PlacedCamera } from '../../server/cameraVisibility/CameraVisibility';

const ORIGIN = { lon: 113.7, lat: 22.83, height: 5 };
const frame = new EnuFrame(ORIGIN.lon, ORIGIN.lat, ORIGIN.height);

/** Geodetic position of a point `e`, `n` metres from the origin (on the ground, +`up`). */
function at(e: number, n: number, up = 0): { lon: number; lat: number; height: number } {
  const p = frame.toEcef(e, n, up);
  return ecefToGeodetic(p[0], p[1], p[2]);
}

/** An axis-aligned box building, `w` × `d` metres centred `e`, `n` from the origin. */
function box(id: string, e: number, n: number, w: number, d: number, height: number): PrismSource {
  const o = at(e, n);
  return {
    id,
    height,
    origin: { lon: o.lon, lat: o.lat, height: ORIGIN.height },
    polygons: [
      [
        [
          [-w / 2, -d / 2],
          [w / 2, -d / 2],
          [w / 2, d / 2],
          [-w / 2, d / 2],
        ],
      ],
    ],
  };
}

function camera(id: string, e: number, n: number, over: Partial<CameraPose> = {}): PlacedCamera {
  const o = at(e, n);
  return {
    id,
    poleId: `P-${id}`,
    groundHeight: ORIGIN.height,
    pose: { lon: o.lon, lat: o.lat, heightM: 8, headingDeg: 0, pitchDeg: -10, hfovDeg: 60, aspect: 16 / 9, rangeM: 120, ...over },
  };
}

function visible(v: CameraVisibility, e: number, n: number, up = 1.5): string[] {
  const p = at(e, n, up);
  return v.visibleFrom(p.lon, p.lat, p.height).cameras.map((c) => c.cameraId);
}

describe('CameraVisibility', () => {
  it('lists the cameras whose frustum holds the point, nearest first, with where it is in their picture', () => {
    const cams = [
      camera('north-far', 0, -80), // looks north, 80 m south of the target
      camera('north-near', 0, -30),
      camera('east', 0, -30, { headingDeg: 90 }), // looks away
      camera('short', 0, -100, { rangeM: 50 }), // too short a range
    ];
    const v = new CameraVisibility(cams, buildingObstacles(frame, []), frame);
    const p = at(0, 0, 1.5);
    const answer = v.visibleFrom(p.lon, p.lat, p.height);
    expect(answer.cameras.map((c) => c.cameraId)).toEqual(['north-near', 'north-far']);
    expect(answer.cameras[0]!.distanceM).toBeCloseTo(Math.hypot(30, 6.5), 0);
    // Straight ahead: the middle column of the picture.
    expect(answer.cameras[0]!.image.x).toBeCloseTo(0.5, 6);
    expect(answer.inFrustum).toBe(2);
    expect(answer.occlusionTested).toBe(true);
  });

  it('drops a camera whose line of sight runs through a building, and names the building', () => {
    const cams = [camera('blocked', 0, -60), camera('clear', 40, -40, { headingDeg: 315 })];
    const tower = box('tower', 0, -30, 20, 10, 30);
    const v = new CameraVisibility(cams, buildingObstacles(frame, [tower]), frame);
    const p = at(0, 0, 1.5);
    const answer = v.visibleFrom(p.lon, p.lat, p.height);
    expect(answer.cameras.map((c) => c.cameraId)).toEqual(['clear']);
    expect(answer.occluded).toEqual([{ cameraId: 'blocked', buildingId: 'tower' }]);
  });

  it('sees over a low roof from a high mount, and not past a tall one', () => {
    const low = box('kiosk', 0, -30, 20, 10, 3);
    const cams = [camera('high', 0, -60, { heightM: 12 })];
    expect(visible(new CameraVisibility(cams, buildingObstacles(frame, [low]), frame), 0, 0)).toEqual(['high']);
    const tall = box('block', 0, -30, 20, 10, 14);
    expect(visible(new CameraVisibility(cams, buildingObstacles(frame, [tall]), frame), 0, 0)).toEqual([]);
  });

  it('does not let the building a target stands in hide it (a case on its facade or roof)', () => {
    const shop = box('shop', 0, 5, 20, 10, 6);
    const cams = [camera('c', 0, -40)];
    const v = new CameraVisibility(cams, buildingObstacles(frame, [shop]), frame);
    // A point on the facade facing the camera (1 m inside the footprint's edge).
    expect(visible(v, 0, 1, 3)).toEqual(['c']);
    // A point behind the shop, on the ground: the shop is in the way.
    expect(visible(v, 0, 14, 1)).toEqual([]);
  });

  it('sees through a courtyard (a footprint hole) and not through the ring around it', () => {
    const outer: Array<[number, number]> = [
      [-20, -20],
      [20, -20],
      [20, 20],
      [-20, 20],
    ];
    const hole: Array<[number, number]> = [
      [-10, -10],
      [10, -10],
      [10, 10],
      [-10, 10],
    ];
    const o = at(0, 0);
    const ring: PrismSource = { id: 'ring', height: 20, origin: { lon: o.lon, lat: o.lat, height: ORIGIN.height }, polygons: [[outer, hole]] };
    const prisms = buildingObstacles(frame, [ring]);
    // Straight down into the courtyard: clear. From outside at ground level: the ring blocks.
    const overhead = camera('drone', 0, -1, { heightM: 60, pitchDeg: -89 });
    const street = camera('street', 0, -60);
    const v = new CameraVisibility([overhead, street], prisms, frame);
    expect(visible(v, 0, 0, 0.5)).toEqual(['drone']);
  });
});

describe('buildings as sight obstacles: the grid walk', () => {
  it('finds a blocker exactly when some single building blocks (random city, random sight lines)', () => {
    const rng = new Rng(7);
    const sources: PrismSource[] = [];
    for (let i = 0; i < 300; i++) {
      sources.push(box(`b${i}`, rng.range(-900, 900), rng.range(-900, 900), rng.range(8, 60), rng.range(8, 60), rng.range(3, 60)));
    }
    const all = buildingObstacles(frame, sources);
    const singles = sources.map((s) => buildingObstacles(frame, [s]));
    let blocked = 0;
    for (let k = 0; k < 400; k++) {
      const a: Vec3 = [rng.range(-1000, 1000), rng.range(-1000, 1000), rng.range(1, 40)];
      const b: Vec3 = [a[0] + rng.range(-300, 300), a[1] + rng.range(-300, 300), rng.range(0, 20)];
      const expected = singles.some((s) => s.blocker(...a, ...b) !== undefined);
      expect(all.blocker(...a, ...b) !== undefined, `segment ${k}`).toBe(expected);
      if (expected) blocked++;
    }
    // Both answers occur, so the comparison means something.
    expect(blocked).toBeGreaterThan(20);
    expect(blocked).toBeLessThan(380);
  });
});
