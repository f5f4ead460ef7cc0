/**
 * GeoJSON footprints with OSM-style attributes: attribute mapping and documented defaults, the
 * file's `crs` member and `--crs`, and rejections with index, id and reason.
 */
import { describe, expect, it } from 'vitest';
import { buildingPropsFrom, mapUse, parseLength } from '../../../tiles/import/buildingAttributes';
import { importBuildingsFile } from '../../../tiles/import/layerFiles';
import { FeatureRejection } from '../../../tiles/source/geometryChecks';
import { metresApart, rdToWgs84 } from './referencePoints';
import { useTmpDir } from './tmpFiles';

const tmp = useTmpDir();
const square = (lon: number, lat: number, d = 0.0002): number[][][] => [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]];
const feature = (properties: Record<string, unknown> | null, coordinates: unknown, id?: string | number) => ({
  type: 'Feature',
  ...(id !== undefined ? { id } : {}),
  properties,
  geometry: { type: 'Polygon', coordinates },
});

describe('OSM attribute mapping', () => {
  it.each([
    [12, 12],
    ['12', 12],
    ['12 m', 12],
    ['12.5m', 12.5],
    ['12,5 m', 12.5],
    ['40 ft', 12.192],
    ["40'", 12.192],
    ['30米', 30],
  ])('reads height %j as %d m', (raw, metres) => {
    expect(parseLength(raw, 'height')).toBeCloseTo(metres, 6);
  });

  it.each([['tall'], [-5], [0], [Number.NaN], ['1200 m']])('rejects height %j', (raw) => {
    expect(() => parseLength(raw, 'height')).toThrow(FeatureRejection);
  });

  it.each([
    ['apartments', 'residential'],
    ['house', 'residential'],
    ['retail', 'commercial'],
    ['office', 'office'],
    ['warehouse', 'industrial'],
    ['school', 'education'],
    ['hospital', 'healthcare'],
    ['townhall', 'public'],
    ['住宅', 'residential'],
    ['办公楼', 'office'],
    ['商住楼', 'mixed'],
    ['1000', 'residential'],
    ['31001_2020', 'office'],
    ['yes', undefined],
  ])('maps use %s to %s', (raw, use) => {
    expect(mapUse(raw)).toBe(use);
  });

  it('applies the documented defaults: floors × 3 m, else 10 m; floors from height', () => {
    expect(buildingPropsFrom({ 'building:levels': '4' }, { fallbackId: 'x' })).toMatchObject({ id: 'x', height: 12, floors: 4, use: 'mixed' });
    expect(buildingPropsFrom({}, { fallbackId: 'x' })).toMatchObject({ height: 10, floors: 3 });
    expect(buildingPropsFrom({ height: '31 m', building: 'office' }, { fallbackId: 'x' })).toMatchObject({ height: 31, floors: 10, use: 'office' });
    expect(buildingPropsFrom({ height: 2 }, { fallbackId: 'x' })).toMatchObject({ floors: 1 });
    expect(buildingPropsFrom({ levels: 2.5, 'roof:shape': 'gabled', name: 'Hof' }, { fallbackId: 'x' })).toMatchObject({ floors: 3, roofShape: 'gabled', name: 'Hof' });
    expect(buildingPropsFrom({ 层数: 6, 名称: '滨海大厦', 用途: '住宅' }, { fallbackId: 'x' })).toMatchObject({ floors: 6, height: 18, name: '滨海大厦', use: 'residential' });
  });
});

describe('GeoJSON buildings file', () => {
  it('imports WGS84 footprints with OSM attributes and rejects bad ones with reasons', async () => {
    const file = await tmp.write('osm.geojson', {
      type: 'FeatureCollection',
      features: [
        feature({ '@id': 'way/1', building: 'apartments', 'building:levels': '8', name: 'Block A' }, square(113.9, 22.5)),
        feature({ building: 'office', height: '45 m', 'roof:shape': 'flat' }, square(113.901, 22.5), 'way/2'),
        feature({ building: 'yes' }, square(113.902, 22.5)),
        feature({ building: 'yes' }, [[[113.903, 22.5], [113.9032, 22.5], [113.9032, 22.5002], [113.903, 22.5002]]], 'open'),
        feature({ building: 'yes' }, [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]], 'bowtie'),
        feature({ building: 'yes', height: 'tall' }, square(113.904, 22.5), 'badheight'),
        feature({ building: 'yes' }, [[[113.905, 22.5], ['x', 22.5], [113.9052, 22.5002], [113.905, 22.5]]], 'nan'),
        { type: 'Point' },
        feature({ '@id': 'way/1' }, square(113.906, 22.5)),
      ],
    });
    const layer = await importBuildingsFile(file, 'osm.geojson');
    expect(layer.crs).toBe('EPSG:4326');
    expect(layer.report.read).toBe(9);
    expect(layer.features.map((f) => f.properties)).toEqual([
      { id: 'way/1', height: 24, floors: 8, use: 'residential', name: 'Block A' },
      { id: 'way/2', height: 45, floors: 15, use: 'office', roofShape: 'flat' },
      { id: 'b3', height: 10, floors: 3, use: 'mixed' },
    ]);
    const reasons = Object.fromEntries(layer.report.rejected.map((r) => [r.index, `${r.id ?? ''}: ${r.reason}`]));
    expect(reasons[3]).toMatch(/^open: geometry: ring 0 is not closed/);
    expect(reasons[4]).toMatch(/^bowtie: geometry: .*self-intersecting/);
    expect(reasons[5]).toMatch(/^badheight: height "tall" is not a height/);
    expect(reasons[6]).toMatch(/^nan: geometry: .*longitude/);
    expect(reasons[7]).toBe(': not a GeoJSON Feature');
    expect(reasons[8]).toBe('way/1: duplicate id "way/1"');
  });

  it('reprojects from the CRS the file declares (RD New) to within a metre', async () => {
    const [x, y] = [121_000, 487_000];
    const file = await tmp.write('rd.geojson', {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } },
      features: [feature({ id: 'dam', height: 20 }, [[[x, y], [x + 20, y], [x + 20, y + 15], [x, y + 15], [x, y]]])],
    });
    const layer = await importBuildingsFile(file, 'rd.geojson');
    expect(layer.crs).toBe('EPSG:28992');
    const first = (layer.features[0]!.geometry.coordinates as number[][][])[0]![0]!;
    expect(metresApart(first, rdToWgs84(x, y))).toBeLessThan(1);
  });

  it('uses --crs for files that declare none, and names the file for whole-file failures', async () => {
    const plain = await tmp.write('plain.geojson', { type: 'FeatureCollection', features: [feature({ id: 'a' }, [[[121_000, 487_000], [121_020, 487_000], [121_020, 487_015], [121_000, 487_000]]])] });
    const layer = await importBuildingsFile(plain, 'plain.geojson', 'EPSG:28992');
    expect(layer.features).toHaveLength(1);
    // Without --crs the metres read as degrees and fail the range check, one feature at a time.
    const wgs = await importBuildingsFile(plain, 'plain.geojson');
    expect(wgs.report.rejected[0]!.reason).toMatch(/longitude 121000/);

    const unknown = await tmp.write('unknown.geojson', { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:2000' } }, features: [] });
    await expect(importBuildingsFile(unknown, 'unknown.geojson')).rejects.toThrow(/^unknown\.geojson: unknown CRS "EPSG:2000".*--crs/);
    const broken = await tmp.write('broken.geojson', '{"type": "FeatureCollection", "features": [');
    await expect(importBuildingsFile(broken, 'broken.geojson')).rejects.toThrow(/^broken\.geojson: not valid JSON/);
    await expect(importBuildingsFile(tmp.path('missing.geojson'), 'missing.geojson')).rejects.toThrow(/^missing\.geojson: file not found/);
    await expect(importBuildingsFile(plain, 'plain.kml')).rejects.toThrow(/^plain\.kml: unknown buildings format/);
  });
});
