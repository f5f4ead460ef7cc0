import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInTemp, type Generated } from './helpers';

describe('demo city determinism', () => {
  let a: Generated;
  let b: Generated;
  let c: Generated;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([generateInTemp(7), generateInTemp(7), generateInTemp(8)]);
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((g) => g?.cleanup()));
  });

  it('writes every layer the manifest names, and the manifest last', async () => {
    const manifest = JSON.parse(await a.read('city.json')) as { layers: Record<string, string>; generator: { seed: number } };
    expect(a.summary.files[a.summary.files.length - 1]).toBe('city.json');
    for (const file of Object.values(manifest.layers)) expect(a.summary.files).toContain(file);
    expect(a.summary.files).toContain('dem.prj');
    expect(manifest.generator.seed).toBe(7);
  });

  it('gives byte-identical files for the same seed', async () => {
    expect(b.summary).toEqual(a.summary);
    for (const file of a.summary.files) {
      const [x, y] = await Promise.all([a.read(file), b.read(file)]);
      expect(y === x, `${file} differs between runs`).toBe(true);
    }
  });

  it('gives a different city for a different seed', async () => {
    const [x, y] = await Promise.all([a.read('buildings.geojson'), c.read('buildings.geojson')]);
    expect(x).not.toBe(y);
    expect(await a.read('dem.asc')).not.toBe(await c.read('dem.asc'));
  });

  it('rejects seeds that are not safe integers', async () => {
    const { generateDemoCity } = await import('../../demo/index');
    await expect(generateDemoCity({ seed: 1.5, outDir: a.dir })).rejects.toThrow(RangeError);
  });
});
