/**
 * The city source's resources layer (tiles/source/resourceLayer.ts): GeoJSON and CSV give the same
 * resources, and a bad feature is rejected with the field named.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeature } from '../../tiles/source/layerValidators';
import { RESOURCES, readResourceCsv } from '../../tiles/source/resourceLayer';

const reason = (raw: unknown): string => {
  try {
    parseFeature(raw, RESOURCES);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};
const feature = (properties: object, coordinates = [113.6, 22.8]) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties });

describe('the resources layer', () => {
  it('reads a CSV file into the same resources as GeoJSON: numbers, skills and stock lists', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-resources-'));
    try {
      const file = path.join(dir, 'resources.csv');
      await writeFile(
        file,
        'id,kind,name,lon,lat,members,vehicles,skills,stock,capacity\n' +
          'RT-01,rescue-team,救援一队,113.61,22.81,20,3,pumping;water-rescue,,\n' +
          'SD-01,supply-depot,仓库,113.62,22.82,,,,sandbags:2000;pumps:12,\n' +
          'SH-01,shelter,学校,113.63,22.83,,,,,800\n',
      );
      const parsed = (await readResourceCsv(file, 'resources.csv')).map((raw) => parseFeature(raw, RESOURCES));
      expect(parsed.map((f) => f.properties)).toEqual([
        { id: 'RT-01', kind: 'rescue-team', name: '救援一队', members: 20, vehicles: 3, skills: ['pumping', 'water-rescue'] },
        { id: 'SD-01', kind: 'supply-depot', name: '仓库', stock: { pumps: 12, sandbags: 2000 } },
        { id: 'SH-01', kind: 'shelter', name: '学校', capacity: 800 },
      ]);
      expect(parsed[0]!.geometry.coordinates).toEqual([113.61, 22.81]);
      await writeFile(file, 'id,name,lon,lat\nX,y,1,2\n');
      await expect(readResourceCsv(file, 'resources.csv')).rejects.toThrow('resources.csv: needs a "kind" column');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects what a dispatcher could not use, naming the field', () => {
    expect(reason(feature({ id: 'A', kind: 'tank', name: 'x' }))).toMatch(/^kind must be one of rescue-team, /);
    expect(reason(feature({ id: 'A', kind: 'rescue-team', name: 'x', vehicles: 1 }))).toMatch(/^members must be an integer ≥ 1/);
    expect(reason(feature({ id: 'A', kind: 'rescue-team', name: 'x', members: 5, vehicles: 1, skills: ['juggling'] }))).toMatch(/^skills\[0\] must be one of pumping/);
    expect(reason(feature({ id: 'A', kind: 'shelter', name: 'x' }))).toMatch(/^capacity must be an integer ≥ 1/);
    expect(reason(feature({ id: 'A', kind: 'supply-depot', name: 'x', stock: {} }))).toMatch(/^stock must be an object of item → quantity/);
    expect(reason(feature({ id: 'A', kind: 'supply-depot', name: 'x', stock: { Sand: 1 } }))).toMatch(/^stock item "Sand" must be lower-case/);
    expect(reason(feature({ id: 'a b', kind: 'shelter', name: 'x', capacity: 10 }))).toMatch(/^id "a b" must be 1–64 letters/);
    expect(reason(feature({ id: 'A', kind: 'shelter', name: 'x', capacity: 10 }, [500, 22]))).toMatch(/^geometry: /);
    expect(reason(feature({ id: 'A', kind: 'shelter', name: 'x', capacity: 10 }))).toBe('accepted');
  });
});
