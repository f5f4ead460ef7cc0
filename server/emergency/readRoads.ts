/** The twin's roads layer (GeoJSON LineStrings) as routing input; an absent file is no roads. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RoadInput } from './core/roadGraph';

export async function readRoads(dir: string, file: string): Promise<RoadInput[]> {
  const text = await readFile(path.join(dir, file), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const fc = JSON.parse(text) as { features?: Array<{ geometry?: { type?: string; coordinates?: number[][] }; properties?: { id?: string; class?: string; speedKmh?: number } }> };
  return (fc.features ?? []).flatMap((f) =>
    f.geometry?.type === 'LineString' && Array.isArray(f.geometry.coordinates) && typeof f.properties?.id === 'string'
      ? [{ id: f.properties.id, class: f.properties.class, speedKmh: f.properties.speedKmh, coordinates: f.geometry.coordinates }]
      : [],
  );
}
