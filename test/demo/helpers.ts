/**
 * Shared helpers for the demo-city tests: generate into a temp folder, read layers back, and
 * project lon/lat to EPSG:4547 metres so distances can be checked in metres.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crsTransform } from '../../kernel/crs/crs';
import { generateDemoCity, type DemoSummary } from '../../demo/index';

export interface Feature<P> {
  type: 'Feature';
  properties: P;
  geometry:
    | { type: 'Point'; coordinates: [number, number] }
    | { type: 'LineString'; coordinates: Array<[number, number]> }
    | { type: 'Polygon'; coordinates: Array<Array<[number, number]>> };
}

export interface Generated {
  dir: string;
  summary: DemoSummary;
  read(name: string): Promise<string>;
  layer<P>(name: string): Promise<Array<Feature<P>>>;
  cleanup(): Promise<void>;
}

export async function generateInTemp(seed: number): Promise<Generated> {
  const dir = await mkdtemp(join(tmpdir(), 'citytwin-demo-'));
  const summary = await generateDemoCity({ seed, outDir: dir });
  const read = (name: string): Promise<string> => readFile(join(dir, name), 'utf8');
  return {
    dir,
    summary,
    read,
    async layer<P>(name: string) {
      const fc = JSON.parse(await read(name)) as { type: string; features: Array<Feature<P>> };
      return fc.features;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

const transform = crsTransform('EPSG:4547');

/** lon/lat → EPSG:4547 metres. */
export function toMetres([lon, lat]: [number, number]): [number, number] {
  return transform.fromLonLat(lon, lat);
}
