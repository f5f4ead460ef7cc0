/**
 * Shapefiles (written by the test's minimal writer, GBK attributes as Chinese bureaus deliver
 * them) and FlatGeobuf, read through loaders.gl into building footprints and components.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPONENT_CLASSES } from '../../../domain/components';
import { importBuildingsFile, importComponentsFile } from '../../../tiles/import/layerFiles';
import { crsTransform } from '../../../kernel/crs/crs';
import { metresApart } from './referencePoints';
import { writeShapefile, type ShapeField } from './shapefileWriter';
import { useTmpDir } from './tmpFiles';

const tmp = useTmpDir();

/** GBK bytes of the strings the test writes (from Python's str.encode('gbk')); ASCII passes through. */
const GBK: Record<string, number[]> = {
  层数: [0xb2, 0xe3, 0xca, 0xfd],
  名称: [0xc3, 0xfb, 0xb3, 0xc6],
  用途: [0xd3, 0xc3, 0xcd, 0xbe],
  住宅: [0xd7, 0xa1, 0xd5, 0xac],
  办公楼: [0xb0, 0xec, 0xb9, 0xab, 0xc2, 0xa5],
  滨海大厦: [0xb1, 0xf5, 0xba, 0xa3, 0xb4, 0xf3, 0xcf, 0xc3],
};
const gbk = (s: string): Uint8Array => (GBK[s] ? Uint8Array.from(GBK[s]) : new TextEncoder().encode(s));

const CGCS2000_GK_114E =
  'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",' +
  'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],' +
  'PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],' +
  'PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

const FIELDS: ShapeField[] = [
  { name: 'BSM', type: 'C', length: 12 },
  { name: '层数', type: 'N', length: 4 },
  { name: '名称', type: 'C', length: 20 },
  { name: '用途', type: 'C', length: 12 },
];
const [E, N] = crsTransform('EPSG:4547').fromLonLat(113.93, 22.52);
/** A clockwise (shapefile outer ring) rectangle in metres. */
const rect = (x: number, y: number, w: number, d: number): Array<Array<[number, number]>> => [[[x, y], [x, y + d], [x + w, y + d], [x + w, y], [x, y]]];

async function buildingsShapefile(base: string, cpg?: string, languageDriver?: number): Promise<string> {
  await writeShapefile(tmp.path(base), {
    fields: FIELDS,
    encode: gbk,
    prj: CGCS2000_GK_114E,
    ...(cpg !== undefined ? { cpg } : {}),
    ...(languageDriver !== undefined ? { languageDriver } : {}),
    records: [
      { geometry: rect(E, N, 20, 12), values: ['440305-0001', 6, '滨海大厦', '住宅'] },
      { geometry: rect(E + 40, N, 30, 30), values: ['440305-0002', 12, null, '办公楼'] },
      { geometry: [[[E + 80, N], [E + 90, N + 10], [E + 90, N], [E + 80, N + 10], [E + 80, N]]], values: ['440305-0003', 3, null, null] },
    ],
  });
  return tmp.path(`${base}.shp`);
}

describe('Shapefile buildings', () => {
  it('reads GBK attributes named by the .cpg and reprojects from the .prj’s Gauss–Krüger zone', async () => {
    const layer = await importBuildingsFile(await buildingsShapefile('gbk', 'GBK'), 'gbk.shp');
    expect(layer.crs).toBe('EPSG:4547');
    expect(layer.notes).toEqual([]);
    expect(layer.features.map((f) => f.properties)).toEqual([
      { id: '440305-0001', height: 18, floors: 6, use: 'residential', name: '滨海大厦' },
      { id: '440305-0002', height: 36, floors: 12, use: 'office' },
    ]);
    expect(layer.report.rejected).toEqual([{ index: 2, id: '440305-0003', reason: expect.stringMatching(/self-intersecting/) }]);
    const ring = (layer.features[0]!.geometry.coordinates as number[][][])[0]!;
    expect(ring.some((p) => metresApart(p, [113.93, 22.52]) < 0.01)).toBe(true);
  });

  it('reads GBK without a .cpg from the language driver byte, or by falling back with a note', async () => {
    const byDriver = await importBuildingsFile(await buildingsShapefile('ldid', undefined, 0x4d), 'ldid.shp');
    expect(byDriver.features[0]!.properties.name).toBe('滨海大厦');
    expect(byDriver.notes).toEqual([]);
    const guessed = await importBuildingsFile(await buildingsShapefile('nocpg'), 'nocpg.shp');
    expect(guessed.features[0]!.properties.name).toBe('滨海大厦');
    expect(guessed.notes).toEqual([expect.stringMatching(/^nocpg\.dbf: no \.cpg and the attributes are not UTF-8; read as GBK/)]);
  });

  it('asks for --crs when the .prj is not recognised, and then uses it', async () => {
    await writeShapefile(tmp.path('local'), { fields: [{ name: 'id', type: 'C', length: 4 }], prj: 'PROJCS["Some_Local_Grid",GEOGCS["Xian_1980"]]', records: [{ geometry: rect(E, N, 10, 10), values: ['a'] }] });
    await expect(importBuildingsFile(tmp.path('local.shp'), 'local.shp')).rejects.toThrow(/^local\.shp: the \.prj names a CRS this build does not recognise.*--crs/);
    const layer = await importBuildingsFile(tmp.path('local.shp'), 'local.shp', 'EPSG:4547');
    expect(layer.features).toHaveLength(1);
  });

  it('groups rings into polygons with holes, and takes a counter-clockwise outer ring as one', async () => {
    const hole: Array<[number, number]> = [[E + 5, N + 5], [E + 10, N + 5], [E + 10, N + 10], [E + 5, N + 10], [E + 5, N + 5]];
    const ccw: Array<[number, number]> = [[E + 60, N], [E + 70, N], [E + 70, N + 10], [E + 60, N + 10], [E + 60, N]];
    await writeShapefile(tmp.path('rings'), {
      fields: [{ name: 'id', type: 'C', length: 4 }],
      prj: CGCS2000_GK_114E,
      records: [
        { geometry: [...rect(E, N, 20, 20), hole, ...rect(E + 30, N, 10, 10)], values: ['m'] },
        { geometry: [ccw], values: ['ccw'] },
      ],
    });
    const layer = await importBuildingsFile(tmp.path('rings.shp'), 'rings.shp');
    const [multi, single] = layer.features.map((f) => f.geometry);
    expect(multi!.type).toBe('MultiPolygon');
    expect((multi!.coordinates as number[][][][]).map((p) => p.length)).toEqual([2, 1]);
    expect(single!.type).toBe('Polygon');
  });

  it('names the file when the .shp is not a shapefile', async () => {
    const junk = await tmp.write('junk.shp', 'not a shapefile at all, just text');
    await expect(importBuildingsFile(junk, 'junk.shp')).rejects.toThrow(/^junk\.shp: /);
  });
});

describe('Shapefile components', () => {
  it('reads points with codes and checks them against the class catalogue', async () => {
    await writeShapefile(tmp.path('covers'), {
      fields: [{ name: 'BJBM', type: 'C', length: 16 }],
      prj: CGCS2000_GK_114E,
      records: [
        { geometry: [E, N], values: ['4403050101000001'] },
        { geometry: [E + 5, N], values: ['4403050199000001'] },
      ],
    });
    const layer = await importComponentsFile(tmp.path('covers.shp'), 'covers.shp', DEFAULT_COMPONENT_CLASSES);
    expect(layer.features.map((f) => f.properties)).toEqual([{ code: '4403050101000001', classCode: '0101', ownerId: 'unassigned' }]);
    expect(metresApart(layer.features[0]!.geometry.coordinates, [113.93, 22.52])).toBeLessThan(0.01);
    expect(layer.report.rejected).toEqual([{ index: 1, id: '4403050199000001', reason: 'classCode 0199 is not in the component class catalogue' }]);
  });
});

describe('FlatGeobuf buildings', () => {
  it('reads the fixture’s OSM-style footprints through loaders.gl', async () => {
    const layer = await importBuildingsFile('test/fixtures/import/footprints.fgb', 'footprints.fgb');
    expect(layer.crs).toBe('EPSG:4326');
    expect(layer.features.map((f) => f.properties)).toEqual([
      { id: 'w1', height: 18, floors: 6, use: 'residential', name: '滨海花园' },
      { id: 'w2', height: 45, floors: 15, use: 'office' },
    ]);
    expect(layer.report.rejected).toEqual([{ index: 2, id: 'w3', reason: 'height "tall" is not a height in metres (> 0 and ≤ 1000)' }]);
  });
});
