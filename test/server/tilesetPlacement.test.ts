/**
 * `serve --tileset dir@lon,lat,height[,heading]`: a CesiumGS 3D Tiles 1.1 sample without a root
 * transform (test/fixtures/real/3d-tiles-samples, CC0) sits at the Earth's centre; placed, the
 * served tileset.json carries a root transform that puts its origin at the point, and the check
 * that the banner uses tells the two apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ecefToGeodetic } from '../../kernel/geodesy';
import extraTilesetsPlugin from '../../server/twin/extraTilesets';
import { hasGeographicPlacement, parseTilesetArg, placeTileset, placementMatrix } from '../../server/twin/tilesetPlacement';
import { REPO_ROOT } from '../support/cliServer';

const SAMPLE = path.join(REPO_ROOT, 'test/fixtures/real/3d-tiles-samples/MultipleFeatureIdsAndProperties');
const sample = JSON.parse(readFileSync(path.join(SAMPLE, 'tileset.json'), 'utf8')) as { root: { transform?: number[] } };

/** Applies a column-major 4×4 to a point. */
const apply = (m: readonly number[], [x, y, z]: [number, number, number]): [number, number, number] =>
  [0, 1, 2].map((r) => m[r]! * x + m[4 + r]! * y + m[8 + r]! * z + m[12 + r]!) as [number, number, number];

describe('tileset placement', () => {
  it('parses dir@lon,lat,height[,heading] and names what is wrong', () => {
    expect(parseTilesetArg('samples/a')).toEqual({ dir: 'samples/a' });
    expect(parseTilesetArg('/x/me@host/t')).toEqual({ dir: '/x/me@host/t' });
    expect(parseTilesetArg('t@102.71,25.04,1900')).toEqual({ dir: 't', placement: { lon: 102.71, lat: 25.04, height: 1900, headingDeg: 0 } });
    expect(parseTilesetArg('t@-0.5,51.5,10,90').placement).toMatchObject({ headingDeg: 90 });
    expect(() => parseTilesetArg('t@102.71,25.04')).toThrow(/@lon,lat,height\[,heading\]/);
    expect(() => parseTilesetArg('t@102.71,95,0')).toThrow(/latitude must be between -90 and 90, got 95/);
    expect(() => parseTilesetArg('t@1,2,3,4,5')).toThrow(/placement/);
  });

  it('sees that the sample has no geographic placement, and that a placed one has', () => {
    expect(sample.root.transform).toBeUndefined();
    expect(hasGeographicPlacement(sample)).toBe(false);
    const placed = placeTileset(sample, { lon: 102.71, lat: 25.04, height: 1900, headingDeg: 0 });
    expect(hasGeographicPlacement(placed)).toBe(true);
    expect(hasGeographicPlacement({ root: { boundingVolume: { region: [0, 0, 0.1, 0.1, 0, 10] } } })).toBe(true);
  });

  it('puts the local origin at the point, +x east and +y north turned by the heading', () => {
    const m = placementMatrix({ lon: 102.71, lat: 25.04, height: 1900, headingDeg: 0 });
    const origin = ecefToGeodetic(...apply(m, [0, 0, 0]));
    expect(origin.lon).toBeCloseTo(102.71, 9);
    expect(origin.lat).toBeCloseTo(25.04, 9);
    expect(origin.height).toBeCloseTo(1900, 3);
    const north = ecefToGeodetic(...apply(m, [0, 100, 0]));
    expect(north.lat).toBeGreaterThan(25.04);
    expect(north.lon).toBeCloseTo(102.71, 7);
    // Heading 90°: the tileset's north (+y) points east.
    const turned = placementMatrix({ lon: 102.71, lat: 25.04, height: 1900, headingDeg: 90 });
    const east = ecefToGeodetic(...apply(turned, [0, 100, 0]));
    expect(east.lon).toBeGreaterThan(102.71);
    expect(east.lat).toBeCloseTo(25.04, 7);
  });

  it('serves the placed tileset.json and leaves the content as it is on disk', async () => {
    const app = Fastify();
    await app.register(extraTilesetsPlugin, { dirs: [{ dir: SAMPLE, placement: { lon: 102.71, lat: 25.04, height: 1900, headingDeg: 30 } }, SAMPLE] });
    await app.ready();
    try {
      const placed = (await app.inject('/tilesets/0/tileset.json')).json<{ root: { transform: number[]; content: { uri: string } } }>();
      expect(placed.root.transform).toEqual(placementMatrix({ lon: 102.71, lat: 25.04, height: 1900, headingDeg: 30 }));
      expect(placed.root.content.uri).toBe('MultipleFeatureIdsAndProperties.gltf');
      const unplaced = (await app.inject('/tilesets/1/tileset.json')).json<{ root: { transform?: number[] } }>();
      expect(unplaced.root.transform).toBeUndefined();
      const gltf = await app.inject('/tilesets/0/MultipleFeatureIdsAndProperties.gltf');
      expect(gltf.statusCode).toBe(200);
      expect(gltf.body).toBe(readFileSync(path.join(SAMPLE, 'MultipleFeatureIdsAndProperties.gltf'), 'utf8'));
    } finally {
      await app.close();
    }
  });
});
