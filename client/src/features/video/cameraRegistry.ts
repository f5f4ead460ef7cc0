/**
 * The twin's cameras for the client: the camera terminals of the package's terminals layer with
 * their pose and streams (domain/cameras.ts), joined to their pole's road, grid cell and ground
 * height. Loaded once, on first use; the package is public, so no login is needed to list them.
 */
import type { CameraInfo } from '../../../../domain/cameras';
import type { TerminalRecord, TwinManifest } from '../../../../domain/twinPackage';
import { getJson } from '../../shared/http';
import { twinUrl } from '../../shared/twinApi';
import { useTwinStore } from '../../twin/twinStore';

export interface CameraEntry {
  id: string;
  poleId: string;
  type: 'camera' | 'traffic-camera';
  model: string;
  camera: CameraInfo;
  roadId?: string;
  gridCode?: string;
  /** Ground under the pole, metres above the ellipsoid (the pose's height is above this). */
  groundHeight: number;
}

let loading: Promise<CameraEntry[]> | undefined;

async function load(manifest: TwinManifest): Promise<CameraEntry[]> {
  const twin = useTwinStore();
  const terminals = await getJson<TerminalRecord[]>(twinUrl(manifest.files.terminals));
  const out: CameraEntry[] = [];
  for (const t of terminals) {
    if (!t.camera || (t.type !== 'camera' && t.type !== 'traffic-camera')) continue;
    const pole = twin.poleById.get(t.poleId);
    out.push({
      id: t.id,
      poleId: t.poleId,
      type: t.type,
      model: t.model,
      camera: t.camera,
      ...(pole?.roadId ? { roadId: pole.roadId } : {}),
      ...(pole?.gridCode ? { gridCode: pole.gridCode } : {}),
      groundHeight: pole?.groundHeight ?? 0,
    });
  }
  return out;
}

/** Every camera of the twin (cached after the first call). */
export function loadCameras(): Promise<CameraEntry[]> {
  const manifest = useTwinStore().manifest;
  if (!manifest) return Promise.resolve([]);
  loading ??= load(manifest).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
