/**
 * Video fusion on `window.citytwin.fusion`: what tests and kiosk scripts drive (fuse a camera,
 * set its opacity) and read (the fusion list, frames uploaded, where a camera's picture lies on
 * the screen).
 */
import type { Pinia } from 'pinia';
import { Cartesian3 } from 'cesium';
import { cameraAxesEnu, rayEnu } from '../../../../kernel/cameraProjection';
import { EnuFrame } from '../../../../kernel/geodesy';
import { useSceneStore } from '../../twin/sceneStore';
import type { FusedCamera } from './core/fusionList';
import { useVideoFusionStore, type FusionSourceKind } from './videoFusionStore';
import type { ClientCamera } from './cameraRegistry';

export interface FusionAutomation {
  fuse(cameraId: string, source?: FusionSourceKind): Promise<boolean>;
  unfuse(cameraId: string): void;
  setOpacity(cameraId: string, opacity: number): void;
  state(): { fused: FusedCamera[]; frustums: number; error: string; frames: Record<string, number> };
  /** A camera's pose on its pole's ground, or null for an id without one. */
  camera(cameraId: string): Promise<ClientCamera | null>;
  /**
   * Page positions (CSS px, as a screenshot has them) of ground points the camera sees — where the rays through picture
   * points (x, y) meet the ground at its foot — and of ground points outside its frustum (behind
   * and beside it, `offM` metres out): where a test looks for the video. Null off screen.
   */
  groundProbes(cameraId: string, picture: Array<[number, number]>, offM: number): Promise<{ inside: Array<[number, number] | null>; outside: Array<[number, number] | null> }>;
}

export function fusionAutomation(pinia: Pinia): FusionAutomation {
  const fusion = useVideoFusionStore(pinia);
  const sceneStore = useSceneStore(pinia);
  return {
    fuse: (cameraId, source) => fusion.fuse(cameraId, source),
    unfuse: (cameraId) => fusion.unfuse(cameraId),
    setOpacity: (cameraId, opacity) => fusion.setOpacity(cameraId, opacity),
    state: () => ({
      fused: fusion.fused.map((c) => ({ ...c })),
      frustums: fusion.frustumCount(),
      error: fusion.error,
      frames: Object.fromEntries(fusion.fused.map((c) => [c.cameraId, fusion.framesOf(c.cameraId) ?? 0])),
    }),
    async camera(cameraId) {
      return (await fusion.ensureCameras()).get(cameraId) ?? null;
    },
    async groundProbes(cameraId, picture, offM) {
      const camera = (await fusion.ensureCameras()).get(cameraId);
      const scene = sceneStore.scene?.widget.scene;
      if (!camera || !scene) return { inside: [], outside: [] };
      const { pose } = camera;
      const frame = new EnuFrame(pose.lon, pose.lat, camera.groundHeight);
      const toScreen = (e: number, n: number): [number, number] | null => {
        const p = frame.toEcef(e, n, 0);
        const s = scene.cartesianToCanvasCoordinates(new Cartesian3(p[0], p[1], p[2]));
        const box = scene.canvas.getBoundingClientRect();
        return s ? [box.left + s.x, box.top + s.y] : null;
      };
      const inside = picture.map(([x, y]) => {
        const d = rayEnu(pose, x, y);
        if (d[2] >= 0) return null; // above the horizon: never meets the ground
        const t = pose.heightM / -d[2];
        return toScreen(d[0] * t, d[1] * t);
      });
      const { forward } = cameraAxesEnu(pose);
      const len = Math.hypot(forward[0], forward[1]) || 1;
      const [fx, fy] = [forward[0] / len, forward[1] / len];
      // Behind the lens, and square to either side of it: never in a frustum under 180°.
      const outside = [
        toScreen(-fx * offM, -fy * offM),
        toScreen(fy * offM - fx * 2, -fx * offM - fy * 2),
        toScreen(-fy * offM - fx * 2, fx * offM - fy * 2),
        toScreen(-fx * offM * 1.5 + fy * offM * 0.5, -fy * offM * 1.5 - fx * offM * 0.5),
      ];
      return { inside, outside };
    },
  };
}
