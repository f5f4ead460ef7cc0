/**
 * The cameras fusion and frustums need: each camera's pose on its pole's ground, from the video
 * feature's registry (features/video/cameraRegistry.ts: the package's terminals layer, loaded once).
 */
import { loadCameras as loadCameraEntries } from '../video/cameraRegistry';
import type { PlacedPose } from './VideoProjection';

export interface ClientCamera extends PlacedPose {
  id: string;
  poleId: string;
}

let cameras: Promise<Map<string, ClientCamera>> | undefined;

export function loadCameras(): Promise<Map<string, ClientCamera>> {
  cameras ??= loadCameraEntries().then(
    (entries) => new Map(entries.map((e) => [e.id, { id: e.id, poleId: e.poleId, pose: e.camera.pose, groundHeight: e.groundHeight }])),
  );
  return cameras;
}
