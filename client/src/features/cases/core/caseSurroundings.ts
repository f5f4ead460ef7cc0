/**
 * What an operator needs around a case when drilling in: the cameras that can look at it and the
 * poles near it, nearest first. Pure (records in, lists out) so it runs without a viewer.
 */
import { distanceM } from '../../../../../kernel/geodesy';
import type { PoleRecord, TerminalRecord } from '../../../../../domain/twinPackage';

/** Video terminals an operator can switch to for a look at the site. */
const CAMERA_TYPES = new Set(['camera', 'traffic-camera']);

export interface NearbyPole {
  pole: PoleRecord;
  distanceM: number;
  /** Camera terminals on this pole. */
  cameraIds: string[];
}

export interface CaseSurroundings {
  /** The nearest poles, at most the limit. */
  poles: NearbyPole[];
  /** Poles with at least one camera, nearest first, at most the limit. */
  cameras: NearbyPole[];
  /** All poles and camera poles within the radius, beyond the limit too. */
  poleCount: number;
  cameraCount: number;
}

/**
 * Poles within `radiusM` of (lon, lat), nearest first, at most `limit`. A cheap degree box
 * prefilters so a city of 100k poles costs one pass of subtractions.
 */
export function caseSurroundings(
  lon: number,
  lat: number,
  poles: readonly PoleRecord[],
  terminalsById: ReadonlyMap<string, TerminalRecord>,
  radiusM = 150,
  limit = 12,
): CaseSurroundings {
  const dLat = radiusM / 111_000;
  const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  const near: NearbyPole[] = [];
  for (const pole of poles) {
    if (Math.abs(pole.lat - lat) > dLat || Math.abs(pole.lon - lon) > dLon) continue;
    const d = distanceM(lon, lat, pole.lon, pole.lat);
    if (d > radiusM) continue;
    const cameraIds = pole.terminalIds.filter((id) => CAMERA_TYPES.has(terminalsById.get(id)?.type ?? ''));
    near.push({ pole, distanceM: d, cameraIds });
  }
  near.sort((a, b) => a.distanceM - b.distanceM);
  const cameras = near.filter((p) => p.cameraIds.length > 0);
  return { poles: near.slice(0, limit), cameras: cameras.slice(0, limit), poleCount: near.length, cameraCount: cameras.length };
}
