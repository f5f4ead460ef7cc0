/**
 * Building footprints for the analyses: the package's `interiors/plans.json` (written by
 * tiles/pipeline/interiors: every building's footprint in metres around its centroid, its height
 * and ground height), fetched once. Packages without it have no footprints to analyse.
 */
import type { TwinManifest } from '../../../../domain/twinPackage';
import { getJson } from '../../shared/http';
import { twinUrl } from '../../shared/twinApi';
import type { Footprint } from './core/sightModel';

let cached: { path: string; footprints: Promise<Footprint[]> } | undefined;

/** The package's footprints, or null when it has none. */
export function loadFootprints(manifest: TwinManifest): Promise<Footprint[]> | null {
  const path = manifest.files.interiorPlans;
  if (!path) return null;
  if (cached?.path !== path) cached = { path, footprints: getJson<Footprint[]>(twinUrl(path)) };
  return cached.footprints;
}
