/**
 * The twin's cameras as the client knows them: each camera terminal's pose (from the package's
 * terminals layer, domain/cameras.ts) on its pole's ground, fetched once.
 */
import type { TerminalRecord } from '../../../../domain/twinPackage';
import { getJson } from '../../shared/http';
import { twinUrl } from '../../shared/twinApi';
import { useTwinStore } from '../../twin/twinStore';
import type { PlacedPose } from './VideoProjection';

export interface ClientCamera extends PlacedPose {
  id: string;
  poleId: string;
}

let cameras: Promise<Map<string, ClientCamera>> | undefined;

export function loadCameras(): Promise<Map<string, ClientCamera>> {
  const twin = useTwinStore();
  const manifest = twin.manifest;
  if (!manifest) return Promise.reject(new Error('twin not loaded'));
  cameras ??= getJson<TerminalRecord[]>(twinUrl(manifest.files.terminals)).then((terminals) => {
    const byId = new Map<string, ClientCamera>();
    for (const t of terminals) {
      const pole = twin.poleById.get(t.poleId);
      if (t.camera && pole) byId.set(t.id, { id: t.id, poleId: t.poleId, pose: t.camera.pose, groundHeight: pole.groundHeight });
    }
    return byId;
  });
  return cameras;
}
