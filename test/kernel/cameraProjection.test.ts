/**
 * The camera model every part shares (kernel/cameraProjection.ts): its axes equal Cesium's
 * camera after `setView({ orientation: { heading, pitch } })`, points land where the pinhole
 * model says, rays and projection invert each other, and the geodetic projector agrees with the
 * ENU one.
 */
import { describe, expect, it } from 'vitest';
import Cartesian3 from '@cesium/engine/Source/Core/Cartesian3.js';
import HeadingPitchRoll from '@cesium/engine/Source/Core/HeadingPitchRoll.js';
import Matrix3 from '@cesium/engine/Source/Core/Matrix3.js';
import Quaternion from '@cesium/engine/Source/Core/Quaternion.js';
import type { CameraPose } from '../../domain/cameras';
import {
  cameraAxesEnu,
  CameraProjector,
  cesiumFovRad,
  frustumOutlineEnu,
  inPicture,
  projectEnu,
  rayEnu,
  verticalFovDeg,
} from '../../kernel/cameraProjection';
import { EnuFrame } from '../../kernel/geodesy';

const pose = (over: Partial<CameraPose> = {}): CameraPose => ({
  lon: 113.7,
  lat: 22.83,
  heightM: 8,
  headingDeg: 0,
  pitchDeg: 0,
  hfovDeg: 60,
  aspect: 16 / 9,
  rangeM: 150,
  ...over,
});

const TAN30 = Math.tan(Math.PI / 6);

describe('camera axes', () => {
  it("equal Cesium's camera direction, up and right after setView with the same heading and pitch", () => {
    for (const [h, p] of [
      [0, 0],
      [37, -20],
      [200, -65],
      [315, 10],
      [90, -90],
    ] as const) {
      // Camera.setView in 3D (Camera.js setView3D): heading − π/2, quaternion → columns 0 and 2.
      const hpr = new HeadingPitchRoll((h * Math.PI) / 180 - Math.PI / 2, (p * Math.PI) / 180, 0);
      const m = Matrix3.fromQuaternion(Quaternion.fromHeadingPitchRoll(hpr));
      const direction = Matrix3.getColumn(m, 0, new Cartesian3());
      const up = Matrix3.getColumn(m, 2, new Cartesian3());
      const right = Cartesian3.cross(direction, up, new Cartesian3());
      const axes = cameraAxesEnu({ headingDeg: h, pitchDeg: p });
      for (const [ours, theirs] of [
        [axes.forward, direction],
        [axes.up, up],
        [axes.right, right],
      ] as const) {
        expect(ours[0]).toBeCloseTo(theirs.x, 12);
        expect(ours[1]).toBeCloseTo(theirs.y, 12);
        expect(ours[2]).toBeCloseTo(theirs.z, 12);
      }
    }
  });
});

describe('projection', () => {
  it('puts a point on the optical axis at the centre and one on the edge of the field of view at x = 1', () => {
    const p = pose({ headingDeg: 0, pitchDeg: 0 });
    expect(projectEnu(p, 0, 50, 8)).toEqual({ x: 0.5, y: 0.5, depthM: 50 });
    const edge = projectEnu(p, 50 * TAN30, 50, 8)!;
    expect(edge.x).toBeCloseTo(1, 12);
    expect(edge.y).toBeCloseTo(0.5, 12);
    // The vertical field follows from the aspect: the top edge is tan30 / aspect above the axis.
    const top = projectEnu(p, 0, 50, 8 + (50 * TAN30) / p.aspect)!;
    expect(top.y).toBeCloseTo(0, 12);
    expect(verticalFovDeg(p)).toBeCloseTo((2 * Math.atan(TAN30 / p.aspect) * 180) / Math.PI, 12);
  });

  it('turns with the heading: a camera facing east sees east, north is to its left', () => {
    const p = pose({ headingDeg: 90 });
    expect(projectEnu(p, 40, 0, 8)!.x).toBeCloseTo(0.5, 12);
    expect(projectEnu(p, 40, 5, 8)!.x).toBeLessThan(0.5);
    expect(projectEnu(p, -40, 0, 8)).toBeNull();
  });

  it('puts the ground below the horizon for a camera looking down, and north at the top when straight down', () => {
    const down = pose({ pitchDeg: -30 });
    const ground = projectEnu(down, 0, 8 / Math.tan(Math.PI / 6), 0)!;
    expect(ground.x).toBeCloseTo(0.5, 12);
    expect(ground.y).toBeCloseTo(0.5, 12);
    expect(ground.depthM).toBeCloseTo(16, 12);
    const nadir = pose({ pitchDeg: -90 });
    expect(projectEnu(nadir, 0, 2, 0)!.y).toBeLessThan(0.5);
    expect(projectEnu(nadir, 2, 0, 0)!.x).toBeGreaterThan(0.5);
  });

  it('inverts rayEnu: a point along the ray through (x, y) projects back to (x, y)', () => {
    const p = pose({ headingDeg: 123, pitchDeg: -25, hfovDeg: 75, aspect: 4 / 3 });
    for (const [x, y] of [
      [0.1, 0.2],
      [0.5, 0.5],
      [0.93, 0.71],
      [0, 1],
    ] as const) {
      const d = rayEnu(p, x, y);
      const back = projectEnu(p, d[0] * 30, d[1] * 30, 8 + d[2] * 30)!;
      expect(back.x).toBeCloseTo(x, 10);
      expect(back.y).toBeCloseTo(y, 10);
    }
  });

  it("names Cesium's fov for the larger side", () => {
    expect(cesiumFovRad(pose({ hfovDeg: 60, aspect: 2 }))).toBeCloseTo(Math.PI / 3, 12);
    const portrait = pose({ hfovDeg: 40, aspect: 0.5 });
    expect(cesiumFovRad(portrait)).toBeCloseTo((verticalFovDeg(portrait) * Math.PI) / 180, 12);
    expect(verticalFovDeg(portrait)).toBeGreaterThan(40);
  });

  it('keeps points beyond the range or off the picture out of it', () => {
    const p = pose();
    expect(inPicture(projectEnu(p, 0, 149, 8), p)).toBe(true);
    expect(inPicture(projectEnu(p, 0, 151, 8), p)).toBe(false);
    expect(inPicture(projectEnu(p, 100, 50, 8), p)).toBe(false);
    expect(inPicture(null, p)).toBe(false);
  });
});

describe('frustum outline', () => {
  it('ends the downward corner rays on the ground and the upward ones on the far plane; each corner projects to its picture corner', () => {
    const p = pose({ headingDeg: 45, pitchDeg: -20 });
    const { apex, corners } = frustumOutlineEnu(p);
    expect(apex).toEqual([0, 0, 8]);
    const expected = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    corners.forEach((c, i) => {
      const q = projectEnu(p, c[0], c[1], c[2])!;
      expect(q.x).toBeCloseTo(expected[i]![0]!, 9);
      expect(q.y).toBeCloseTo(expected[i]![1]!, 9);
    });
    // Top corners look above the horizon (20° down, 16.9° half vertical field): far plane.
    expect(projectEnu(p, corners[0][0], corners[0][1], corners[0][2])!.depthM).toBeCloseTo(150, 9);
    // Bottom corners reach the ground well before 150 m.
    expect(corners[2][2]).toBeCloseTo(0, 9);
    expect(corners[3][2]).toBeCloseTo(0, 9);
  });
});

describe('CameraProjector', () => {
  it('projects geodetic points as projectEnu does in the frame at the foot', () => {
    const p = pose({ headingDeg: 250, pitchDeg: -15 });
    const ground = 4.2;
    const projector = new CameraProjector(p, ground);
    const frame = new EnuFrame(p.lon, p.lat, ground);
    const target = frame.toEcef(-60, -20, 1.5);
    const a = projector.projectEcef(target[0], target[1], target[2])!;
    const b = projectEnu(p, -60, -20, 1.5)!;
    expect(a.x).toBeCloseTo(b.x, 9);
    expect(a.y).toBeCloseTo(b.y, 9);
    expect(a.depthM).toBeCloseTo(b.depthM, 6);
    const g = new EnuFrame(p.lon, p.lat, ground);
    const out = { x: 0, y: 0, depthM: 0 };
    const geo = g.fromEcef(target[0], target[1], target[2]);
    expect(geo[2]).toBeCloseTo(1.5, 6);
    expect(projector.projectEcef(target[0], target[1], target[2], out)).toBe(out);
    expect(CameraProjector.toPixel(out, 640, 360).px).toBeCloseTo(out.x * 640, 12);
  });
});
