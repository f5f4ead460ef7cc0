/**
 * Per-building limits of the L5 interiors stage, on a countries layer handed over as buildings
 * (test/fixtures/real/countries.fgb): each is refused with a reason that names the limit, at
 * once, instead of planning hundreds of thousands of rooms a floor; a long thin hall under the
 * area limit is refused by the room limit; ordinary buildings still get their interior.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingProps } from '../../domain/citySource';
import { importBuildingsFile } from '../../tiles/import/layerFiles';
import { placeBuildings } from '../../tiles/pipeline/ground';
import { buildInteriors } from '../../tiles/pipeline/interiors/index';
import { MAX_INTERIOR_FOOTPRINT_M2, MAX_INTERIOR_ROOMS, buildingInterior } from '../../tiles/pipeline/interiors/interiorGlb';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'citytwin-interior-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const flat = (): number => 0;

/** A rectangle of `w` × `d` metres at (lon, lat), as a placed building. */
function box(id: string, lon: number, lat: number, w: number, d: number, floors: number): Parameters<typeof placeBuildings>[0][number] {
  const dLon = w / 101_000;
  const dLat = d / 111_000;
  const props: BuildingProps = { id, height: floors * 3, floors, use: 'office' };
  return {
    index: 0,
    properties: props,
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]]] },
  };
}

describe('interior limits', () => {
  it('refuses country-sized footprints at once, naming the area limit', async () => {
    const layer = await importBuildingsFile('test/fixtures/real/countries.fgb', 'countries.fgb');
    expect(layer.features.map((f) => f.properties.id)).toHaveLength(3);
    const placed = placeBuildings(layer.features, flat, undefined);
    const t0 = performance.now();
    const result = await buildInteriors(placed, dir, 2_000);
    // Refused before any plan is drawn (the timing is only a guard against planning them).
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(result.written.size).toBe(0);
    expect(result.skipped).toBe(3);
    expect(result.refused).toHaveLength(3);
    for (const r of result.refused) expect(r.reason).toMatch(/^footprint of [\d,]+ m² is over the 400,000 m² limit for a generated interior \(MAX_INTERIOR_FOOTPRINT_M2\)$/);
    expect(MAX_INTERIOR_FOOTPRINT_M2).toBe(400_000);
    expect(await readdir(path.join(dir, 'interiors'))).toEqual(['plans.json']);
  });

  it('refuses a footprint under the area limit whose rooms over all floors pass the room limit, and builds ordinary ones', async () => {
    const placed = placeBuildings(
      [box('hall', 102.7, 25.0, 6_000, 10, 60), box('office', 102.71, 25.0, 30, 14, 6)],
      flat,
      undefined,
    );
    const result = await buildInteriors(placed, path.join(dir, 'b'), 2_000);
    expect([...result.written]).toEqual(['office']);
    expect(result.refused).toEqual([{ id: 'hall', reason: expect.stringMatching(new RegExp(`^\\d+ rooms a floor × 60 floors is over the ${MAX_INTERIOR_ROOMS.toLocaleString('en')} rooms limit`)) }]);
  });

  it('is the same limit for interiors made on demand', () => {
    const [hall] = placeBuildings([box('hall', 102.7, 25.0, 6_000, 10, 60)], flat, undefined);
    const polygons = [[[[0, 0], [6_000, 0], [6_000, 10], [0, 10]]]] as Array<Array<Array<[number, number]>>>;
    const made = buildingInterior({ id: 'hall', use: 'office', height: 180, floors: 60, polygons, origin: { lon: hall!.lon, lat: hall!.lat, height: 0 } });
    expect(made.built).toBeUndefined();
    expect(made.refused).toMatch(/rooms limit/);
  });
});
