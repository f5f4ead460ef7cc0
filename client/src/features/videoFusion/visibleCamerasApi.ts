/** `GET /api/cameras/visible`: the cameras that see a point, nearest first. */
import type { VisibleCamerasAnswer } from '../../../../domain/cameraVisibility';
import { getJson } from '../../shared/http';

export function camerasSeeing(lon: number, lat: number, height?: number, limit = 12): Promise<VisibleCamerasAnswer> {
  const q = new URLSearchParams({ lon: String(lon), lat: String(lat), limit: String(limit) });
  if (height !== undefined) q.set('height', String(height));
  return getJson<VisibleCamerasAnswer>(`/api/cameras/visible?${q}`);
}
