import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WaterProps } from '../../domain/citySource';
import { parseAsciiGrid } from '../../kernel/raster/asciiGrid';
import { sampleGrid, type Grid } from '../../kernel/raster/grid';
import { crsTransform, crsWkt } from '../../kernel/crs/crs';
import { generateInTemp, toMetres, type Feature, type Generated } from './helpers';

type XY = [number, number];

/** x positions where a horizontal line at y crosses a ring, sorted. */
function crossings(y: number, r: readonly XY[]): number[] {
  const xs: number[] = [];
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i]!;
    const [xj, yj] = r[j]!;
    if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
  }
  return xs.sort((a, b) => a - b);
}

describe('demo city terrain', () => {
  let g: Generated;
  let dem: Grid;
  let water: Array<Feature<WaterProps>>;

  beforeAll(async () => {
    g = await generateInTemp(3);
    dem = parseAsciiGrid(await g.read('dem.asc'), 'dem.asc');
    water = await g.layer<WaterProps>('water.geojson');
  });
  afterAll(() => g?.cleanup());

  const at = (row: number, col: number): number => dem.values[row * dem.ncols + col]!;

  it('is a 5 m grid in EPSG:4547 over the district and a 300 m margin, centred near 113.70°E 22.83°N', async () => {
    expect(dem.cellSize).toBe(5);
    expect(dem.ncols * dem.cellSize).toBe(3600);
    expect(dem.nrows * dem.cellSize).toBe(3600);
    expect(await g.read('dem.prj')).toBe(`${crsWkt('EPSG:4547')}\n`);
    const manifest = JSON.parse(await g.read('city.json')) as { demCrs: string; countyCode: string };
    expect(manifest).toMatchObject({ demCrs: 'EPSG:4547', countyCode: '441900' });
    const [lon, lat] = crsTransform('EPSG:4547').toLonLat(dem.xll + 1800, dem.yll + 1800);
    expect(Math.abs(lon - 113.7)).toBeLessThan(0.01);
    expect(Math.abs(lat - 22.83)).toBeLessThan(0.01);
    expect(dem.values.every((v) => Number.isFinite(v))).toBe(true);
    expect((await g.read('dem.asc')).split('\n')[6]!.split(' ')[0]).toMatch(/^-?\d+\.\d{2}$/);
  });

  it('has sea along the south edge, falling to about −6 m offshore', () => {
    const south = Array.from({ length: dem.ncols }, (_, c) => at(dem.nrows - 1, c));
    expect(Math.max(...south)).toBeLessThan(0);
    const min = dem.values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    expect(min).toBeGreaterThan(-7);
    expect(min).toBeLessThan(-5);
    // And land along the north edge.
    const north = Array.from({ length: dem.ncols }, (_, c) => at(0, c));
    expect(north.filter((v) => v > 0).length).toBeGreaterThan(0.95 * dem.ncols);
  });

  it('has a hill of 120–180 m in the north-west', () => {
    let max = Number.NEGATIVE_INFINITY;
    let arg = 0;
    dem.values.forEach((v, i) => {
      if (v > max) {
        max = v;
        arg = i;
      }
    });
    expect(max).toBeGreaterThan(120);
    expect(max).toBeLessThan(190);
    expect(Math.floor(arg / dem.ncols)).toBeLessThan(dem.nrows / 2);
    expect(arg % dem.ncols).toBeLessThan(dem.ncols / 2);
  });

  it('rises gently inland away from the hill and the river', () => {
    // The middle of the eastern half, between the coast and the north edge.
    const col = Math.floor(dem.ncols * 0.85);
    const heights = Array.from({ length: dem.nrows }, (_, r) => at(r, col)).filter((v) => v > 2.5);
    expect(Math.max(...heights)).toBeLessThan(20);
    expect(Math.max(...heights)).toBeGreaterThan(8);
  });

  it('cuts the river 2.5 m or more below both banks all the way to the sea', () => {
    const river = water.find((w) => w.properties.kind === 'river')!;
    expect(river).toBeDefined();
    if (river.geometry.type !== 'Polygon') throw new Error('river is not a polygon');
    const ring = river.geometry.coordinates[0]!.map(toMetres);
    let checked = 0;
    for (let y = dem.yll + 900; y < dem.yll + dem.nrows * dem.cellSize - 10; y += 100) {
      const xs = crossings(y, ring);
      if (xs.length !== 2) continue;
      const [left, right] = [xs[0]!, xs[1]!];
      const width = right - left;
      expect(width).toBeGreaterThan(45);
      expect(width).toBeLessThan(110);
      const bed = sampleGrid(dem, (left + right) / 2, y);
      const banks = [sampleGrid(dem, left - 15, y), sampleGrid(dem, right + 15, y)];
      for (const bank of banks) expect(bank - bed).toBeGreaterThan(2.5);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });
});
