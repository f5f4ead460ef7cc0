/**
 * CityJSON 1.1 / 2.0 and CityJSONSeq import: transform, reprojection from EPSG:7415 and 2056,
 * LoD choice, semantic LoD2 surfaces of a gable roof, BuildingParts, attributes, rejections.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { importCityJson, importDocument } from '../../../tiles/import/cityjson';
import { convexHull } from '../../../tiles/import/cityjsonGeometry';
import { lv95ToWgs84, metresApart, rdToWgs84 } from './referencePoints';
import { useTmpDir } from './tmpFiles';

const FIXTURE = 'test/fixtures/import/two-buildings.city.json';
const SEQ_FIXTURE = 'test/fixtures/import/two-buildings.city.jsonl';
const tmp = useTmpDir();

type Doc = { version: string; transform: { translate: number[] }; metadata: { referenceSystem: string }; CityObjects: Record<string, Record<string, unknown>>; vertices: number[][] };
const fixture = async (): Promise<Doc> => JSON.parse(await readFile(FIXTURE, 'utf8')) as Doc;

describe('CityJSON 2.0 in EPSG:7415', () => {
  it('applies the transform and lands the house’s corner within a metre of the RD reference', async () => {
    const layer = await importCityJson(FIXTURE, 'two-buildings.city.json');
    expect(layer.crs).toBe('EPSG:7415');
    expect(layer.report).toEqual({ read: 2, written: 0, rejected: [] });
    const house = layer.features.find((f) => f.properties.id === 'house-1')!;
    // Vertex 0 is (0, 0) after scale 0.001 and translate (85000, 446000).
    const ring = (house.geometry.coordinates as number[][][])[0]!;
    expect(ring.some((p) => metresApart(p, rdToWgs84(85_000, 446_000)) < 1)).toBe(true);
    expect(ring.some((p) => metresApart(p, rdToWgs84(85_010, 446_008)) < 1)).toBe(true);
  });

  it('takes height from the LoD2 geometry’s z range and attributes from CityGML codes', async () => {
    const layer = await importCityJson(FIXTURE, 'two-buildings.city.json');
    const [house, office] = layer.features.map((f) => f.properties);
    expect(house).toMatchObject({ id: 'house-1', height: 9, floors: 3, use: 'residential', roofShape: 'gabled', name: 'Gable house' });
    // The office's geometry lives in its BuildingPart; measuredHeight (15.2) yields to the geometry (15).
    expect(office).toMatchObject({ id: 'office-1', height: 15, floors: 5, use: 'office' });
  });

  it('keeps LoD2 semantic surfaces with heights above the lowest vertex', async () => {
    const layer = await importCityJson(FIXTURE, 'two-buildings.city.json');
    const surfaces = layer.features[0]!.properties.surfaces!;
    expect(surfaces.map((s) => s.kind)).toEqual(['ground', 'wall', 'wall', 'wall', 'wall', 'roof', 'roof']);
    const roofHeights = surfaces.filter((s) => s.kind === 'roof').flatMap((s) => s.rings[0]!.map((v) => v[2]));
    // Eaves at 6 m, ridge at 9 m, although the file's ground is at −1.5 m (NAP).
    expect(new Set(roofHeights)).toEqual(new Set([6, 9]));
    const gableWall = surfaces[2]!.rings[0]!;
    expect(gableWall).toHaveLength(5);
    expect(Math.max(...gableWall.map((v) => v[2]))).toBe(9);
    expect(surfaces[0]!.rings[0]!.every((v) => v[2] === 0)).toBe(true);
  });

  it('reads the same buildings from CityJSONSeq and reports the broken line', async () => {
    const layer = await importCityJson(SEQ_FIXTURE, 'two-buildings.city.jsonl');
    expect(layer.features.map((f) => f.properties.id)).toEqual(['house-1', 'office-1']);
    expect(layer.report.read).toBe(3);
    expect(layer.report.rejected).toEqual([{ index: 1, id: 'broken', reason: expect.stringMatching(/^line 3: not valid JSON/) }]);
    const doc = await importCityJson(FIXTURE, 'two-buildings.city.json');
    expect(layer.features[0]!.geometry).toEqual(doc.features[0]!.geometry);
    expect(layer.features[0]!.properties).toEqual(doc.features[0]!.properties);
  });
});

describe('CityJSON 1.1 in EPSG:2056', () => {
  it('reprojects Swiss LV95 coordinates to within a metre of swisstopo’s formulas', async () => {
    const doc = await fixture();
    doc.version = '1.1';
    doc.metadata.referenceSystem = 'urn:ogc:def:crs:EPSG::2056';
    doc.transform.translate = [2_600_100, 1_199_900, 540];
    // The office part as a CompositeSurface: the Solid's one shell, one nesting level less.
    const part = doc.CityObjects['office-1-part']!.geometry as Array<{ type: string; boundaries: unknown[]; semantics: { values: unknown[] } }>;
    part[0] = { ...part[0]!, type: 'CompositeSurface', boundaries: part[0]!.boundaries[0] as unknown[], semantics: { ...part[0]!.semantics, values: part[0]!.semantics.values[0] as unknown[] } };
    const layer = importDocument(doc, 'bern.city.json');
    expect(layer.crs).toBe('EPSG:2056');
    expect(layer.features[1]!.properties.surfaces!.map((s) => s.kind)).toEqual(['ground', 'wall', 'wall', 'wall', 'wall', 'roof']);
    expect(layer.features[1]!.properties.height).toBe(15);
    const ring = (layer.features[0]!.geometry.coordinates as number[][][])[0]!;
    expect(ring.some((p) => metresApart(p, lv95ToWgs84(2_600_100, 1_199_900)) < 1)).toBe(true);
    expect(layer.features[0]!.properties.height).toBe(9);
  });
});

describe('CityJSON rejections', () => {
  it('rejects buildings one by one with their ids and reasons', async () => {
    const doc = await fixture();
    const house = doc.CityObjects['house-1']!;
    doc.CityObjects['no-geometry'] = { type: 'Building', attributes: {} };
    doc.CityObjects['bad-vertex'] = { type: 'Building', geometry: [{ type: 'MultiSurface', lod: '1', boundaries: [[[0, 1, 999]]] }] };
    doc.CityObjects['flat'] = { type: 'Building', geometry: [{ type: 'MultiSurface', lod: '1', boundaries: [[[0, 1, 2, 3]]] }] };
    doc.CityObjects['bowtie'] = { type: 'Building', geometry: [{ type: 'MultiSurface', lod: '1', boundaries: [[[0, 2, 1, 3]], [[4, 5, 6, 7]]] }] };
    doc.CityObjects['a-road'] = { type: 'Road', geometry: [] };
    const layer = importDocument(doc, 'x.city.json');
    expect(layer.features.map((f) => f.properties.id)).toEqual(['house-1', 'office-1']);
    expect(layer.report.read).toBe(6);
    const byId = Object.fromEntries(layer.report.rejected.map((r) => [r.id, r.reason]));
    expect(byId['no-geometry']).toMatch(/no surface or solid geometry/);
    expect(byId['bad-vertex']).toMatch(/refers to vertex 999, which does not exist/);
    expect(byId['flat']).toMatch(/missing height/);
    expect(byId['bowtie']).toMatch(/footprint: .*self-intersecting/);
    expect(house.type).toBe('Building');
  });

  it('fails the whole file, naming it, for what no building can survive', async () => {
    const doc = await fixture();
    expect(() => importDocument({ ...doc, version: '3.0' }, 'v3.city.json')).toThrow(/^v3\.city\.json: CityJSON version "3\.0" is not supported/);
    expect(() => importDocument({ ...doc, metadata: {} }, 'nocrs.city.json')).toThrow(/^nocrs\.city\.json: metadata\.referenceSystem is missing/);
    expect(() => importDocument({ ...doc, metadata: { referenceSystem: 'urn:ogc:def:crs:EPSG::2000' } }, 'odd.city.json')).toThrow(/^odd\.city\.json: unknown CRS/);
    expect(() => importDocument({ ...doc, transform: { scale: [0, 1, 1], translate: [0, 0, 0] } }, 't.city.json')).toThrow(/transform\.scale has a zero/);
    const broken = await tmp.write('broken.city.json', '{"type": "CityJSON", "version": "2.0", ');
    await expect(importCityJson(broken, 'broken.city.json')).rejects.toThrow(/^broken\.city\.json: not valid JSON/);
  });

  it('falls back to the convex hull of the vertices when no surface lies flat at the bottom', () => {
    expect(convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 0.5]])).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
  });
});

describe('the LoD2 district fixture', () => {
  it('imports every building with LoD2 roofs', async () => {
    const layer = await importCityJson('test/fixtures/import/lod2-district.city.json', 'lod2-district.city.json');
    expect(layer.crs).toBe('EPSG:4547');
    expect(layer.report.rejected).toEqual([]);
    expect(layer.features.length).toBeGreaterThanOrEqual(250);
    const shapes = new Set(layer.features.map((f) => f.properties.roofShape));
    expect(shapes).toEqual(new Set(['flat', 'gabled', 'hipped', 'skillion']));
    expect(layer.features.every((f) => f.properties.surfaces!.some((s) => s.kind === 'roof'))).toBe(true);
    const lon = layer.features.map((f) => (f.geometry.coordinates as number[][][])[0]![0]![0]!);
    expect(Math.min(...lon)).toBeGreaterThan(113.92);
    expect(Math.max(...lon)).toBeLessThan(113.95);
  });
});
