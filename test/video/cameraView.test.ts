/** The embedded renderer's per-pixel camera and the fusion's camera model put a point on the same pixel. */
import { describe, expect, it } from 'vitest';
import type { CameraPose } from '../../domain/cameras';
import { projectEnu, rayEnu } from '../../kernel/cameraProjection';
import { CameraView } from '../../server/video/cameraView';

const pose: CameraPose = { lon: 113.3, lat: 22.8, heightM: 7.5, headingDeg: 37, pitchDeg: -18, hfovDeg: 62, aspect: 16 / 9, rangeM: 120 };

describe('CameraView', () => {
  it('projects as kernel/cameraProjection does, in pixels', () => {
    const view = new CameraView(pose, 640, 360);
    const out: [number, number, number] = [0, 0, 0];
    for (const [e, n, u] of [[10, 30, 0], [-4, 18, 2], [25, 60, 0.5], [0, 8, 0]] as const) {
      const k = projectEnu(pose, e, n, u)!;
      expect(view.project(e, n, u, out)).toBe(true);
      expect(out[0] / 640).toBeCloseTo(k.x, 9);
      expect(out[1] / 360).toBeCloseTo(k.y, 9);
      expect(out[2]).toBeCloseTo(k.depthM, 9);
    }
  });

  it('casts a pixel ray to the ground along the kernel ray', () => {
    const view = new CameraView(pose, 640, 360);
    const g: [number, number, number] = [0, 0, 0];
    expect(view.ground(400, 300, g)).toBe(true);
    const d = rayEnu(pose, 400.5 / 640, 300.5 / 360);
    const t = pose.heightM / -d[2];
    expect(g[0]).toBeCloseTo(d[0] * t, 6);
    expect(g[1]).toBeCloseTo(d[1] * t, 6);
  });
});
