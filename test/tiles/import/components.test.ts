/**
 * Components from CSV (lon/lat, or x/y with a crs column or --crs) and GeoJSON points: codes
 * checked against the 16-digit layout and the class catalogue, each bad row reported.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPONENT_CLASSES } from '../../../domain/components';
import { importComponentsFile } from '../../../tiles/import/layerFiles';
import { crsTransform } from '../../../kernel/crs/crs';
import { metresApart } from './referencePoints';
import { useTmpDir } from './tmpFiles';

const tmp = useTmpDir();
const [E, N] = crsTransform('EPSG:4547').fromLonLat(113.93, 22.52);

describe('CSV components', () => {
  it('reads lon/lat rows, derives the class from the code and rejects bad rows with reasons', async () => {
    const csv = [
      'code,lon,lat,owner',
      '4403050101000001,113.93,22.52,water',
      '4403050114000002,113.931,22.52,',
      '4403050199000003,113.932,22.52,water',
      '440305010100004,113.933,22.52,water',
      '4403050118000005,abc,22.52,lighting',
      '4403050101000001,113.934,22.52,water',
      '4403050708000006,113.935,22.52,water',
    ].join('\n');
    const layer = await importComponentsFile(await tmp.write('c.csv', csv), 'c.csv', DEFAULT_COMPONENT_CLASSES);
    expect(layer.report.read).toBe(7);
    expect(layer.features.map((f) => f.properties)).toEqual([
      { code: '4403050101000001', classCode: '0101', ownerId: 'water' },
      { code: '4403050114000002', classCode: '0114', ownerId: 'unassigned' },
    ]);
    expect(layer.features[1]!.geometry.coordinates).toEqual([113.931, 22.52]);
    const reasons = layer.report.rejected.map((r) => [r.index, r.reason]);
    expect(reasons).toEqual([
      [2, 'classCode 0199 is not in the component class catalogue'],
      [3, expect.stringMatching(/^code "440305010100004" does not match/)],
      [4, expect.stringMatching(/^geometry: point has longitude NaN/)],
      [5, 'duplicate id "4403050101000001"'],
      [6, 'classCode 0708 is not in the component class catalogue'],
    ]);
  });

  it('reads x/y rows in the CRS their crs column names, or --crs', async () => {
    const csv = ['部件编码,x,y,crs', `4403050118000001,${E},${N},EPSG:4547`, `4403050118000002,${E},${N},EPSG:2000`].join('\n');
    const layer = await importComponentsFile(await tmp.write('xy.csv', csv), 'xy.csv', DEFAULT_COMPONENT_CLASSES);
    expect(metresApart(layer.features[0]!.geometry.coordinates, [113.93, 22.52])).toBeLessThan(0.01);
    expect(layer.report.rejected).toEqual([{ index: 1, id: '4403050118000002', reason: 'row 3: unknown CRS "EPSG:2000"' }]);

    const bare = await tmp.write('bare.csv', `code,x,y\n4403050118000001,${E},${N}\n`);
    await expect(importComponentsFile(bare, 'bare.csv', DEFAULT_COMPONENT_CLASSES)).rejects.toThrow(/^bare\.csv: x\/y columns need a crs column or --crs/);
    const withCrs = await importComponentsFile(bare, 'bare.csv', DEFAULT_COMPONENT_CLASSES, 'EPSG:4547');
    expect(withCrs.crs).toBe('EPSG:4547');
    expect(withCrs.features).toHaveLength(1);
    const noPosition = await tmp.write('nopos.csv', 'code,name\n4403050118000001,a\n');
    await expect(importComponentsFile(noPosition, 'nopos.csv', DEFAULT_COMPONENT_CLASSES)).rejects.toThrow(/^nopos\.csv: needs lon and lat columns/);
  });

  it('reads the district fixture’s components without rejections', async () => {
    const layer = await importComponentsFile('test/fixtures/import/lod2-district-components.csv', 'lod2-district-components.csv', DEFAULT_COMPONENT_CLASSES);
    expect(layer.report.rejected).toEqual([]);
    expect(new Set(layer.features.map((f) => f.properties.classCode))).toEqual(new Set(['0118', '0101', '0103', '0114']));
  });
});

describe('GeoJSON components', () => {
  it('reads points and rejects other geometries', async () => {
    const file = await tmp.write('c.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '4403050114000001', ownerId: 'fire' }, geometry: { type: 'Point', coordinates: [113.93, 22.52] } },
        { type: 'Feature', properties: { code: '4403050114000002' }, geometry: { type: 'LineString', coordinates: [[113.93, 22.52], [113.94, 22.52]] } },
        { type: 'Feature', properties: { code: 4403050114000003 }, geometry: { type: 'Point', coordinates: [113.93, 22.52] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [113.93, 22.52] } },
      ],
    });
    const layer = await importComponentsFile(file, 'c.geojson', DEFAULT_COMPONENT_CLASSES);
    expect(layer.features.map((f) => f.properties.code)).toEqual(['4403050114000001', '4403050114000003']);
    expect(layer.report.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, expect.stringMatching(/^geometry: geometry type is "LineString", expected Point/)],
      [3, expect.stringMatching(/^no component code/)],
    ]);
  });
});
