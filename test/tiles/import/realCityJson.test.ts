/**
 * Real CityJSON as cjio writes it (test/fixtures/real/delft-subset.json, cut from cjio's
 * tests/data/delft.json): a `.json` whose "type" comes after 14 KB of CityObjects, and LoD1
 * solids of which five have no bottom face. Footprint areas are checked against the file's own
 * RD New coordinates (shoelace over the faces at the top), not against the importer's helpers.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { importBuildingsFile } from '../../../tiles/import/layerFiles';
import { outlineOfFaces } from '../../../tiles/import/faceOutline';
import { metresApart, rdToWgs84 } from './referencePoints';

const FILE = 'test/fixtures/real/delft-subset.json';
const NO_BOTTOM = [
  'b11267a1d-00ba-11e6-b420-2bdcc4ab5d7f',
  'b1126a169-00ba-11e6-b420-2bdcc4ab5d7f',
  'b1126c87e-00ba-11e6-b420-2bdcc4ab5d7f',
  'b1126c883-00ba-11e6-b420-2bdcc4ab5d7f',
  'b112715f4-00ba-11e6-b420-2bdcc4ab5d7f',
];

interface Raw {
  transform: { scale: number[]; translate: number[] };
  vertices: number[][];
  CityObjects: Record<string, { type: string; geometry: Array<{ boundaries: number[][][][] }> }>;
}

/** Area (m², RD New) of the faces lying at the building's highest z: its flat LoD1 roof, the same ground as its footprint. */
function roofAreaM2(raw: Raw, id: string): { area: number; corners: Array<[number, number]> } {
  const v = (i: number): number[] => raw.vertices[i]!.map((c, k) => c * raw.transform.scale[k]! + raw.transform.translate[k]!);
  const faces = raw.CityObjects[id]!.geometry[0]!.boundaries[0]!.map((face) => face[0]!.map(v));
  const top = Math.max(...faces.flat().map((p) => p[2]!));
  let area = 0;
  const corners: Array<[number, number]> = [];
  for (const ring of faces.filter((f) => f.every((p) => Math.abs(p[2]! - top) < 0.01))) {
    let twice = 0;
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % ring.length]!;
      twice += a[0]! * b[1]! - b[0]! * a[1]!;
    }
    area += Math.abs(twice) / 2;
    for (const p of ring) corners.push(rdToWgs84(p[0]!, p[1]!));
  }
  return { area, corners };
}

/** Area in m² of a lon/lat ring, equirectangular about its first point (fine for a house). */
function lonLatAreaM2(ring: number[][]): number {
  const origin = ring[0]!;
  const xy = ring.map((p) => [Math.sign(p[0]! - origin[0]!) * metresApart([p[0]!, origin[1]!], origin), Math.sign(p[1]! - origin[1]!) * metresApart([origin[0]!, p[1]!], origin)]);
  let twice = 0;
  for (let i = 0; i + 1 < xy.length; i++) twice += xy[i]![0]! * xy[i + 1]![1]! - xy[i + 1]![0]! * xy[i]![1]!;
  return Math.abs(twice) / 2;
}

describe('cjio delft.json subset', () => {
  it('is read as CityJSON although named .json with "type" 14 KB in', async () => {
    const text = await readFile(FILE, 'utf8');
    expect(text.indexOf('"type":"CityJSON"')).toBeGreaterThan(4096);
    const layer = await importBuildingsFile(FILE, 'delft-subset.json');
    expect(layer.crs).toBe('EPSG:7415');
    // Eight buildings; the Road is not one.
    expect(layer.report.read).toBe(8);
  });

  it('gives every LoD1 solid a footprint, those without a bottom face the outline of their roof', async () => {
    const raw = JSON.parse(await readFile(FILE, 'utf8')) as Raw;
    const layer = await importBuildingsFile(FILE, 'delft-subset.json');
    expect(layer.report.rejected).toEqual([]);
    expect(layer.features).toHaveLength(8);
    for (const id of NO_BOTTOM) {
      const f = layer.features.find((b) => b.properties.id === id)!;
      expect(f.geometry.type, id).toBe('Polygon');
      const ring = (f.geometry.coordinates as number[][][])[0]!;
      const roof = roofAreaM2(raw, id);
      // Within 1.5 %: the reference's flat-earth metres and RD's scale differ by under 1 % here.
      expect(Math.abs(lonLatAreaM2(ring) / roof.area - 1), id).toBeLessThan(0.015);
      // Its corners are roof corners (the RD formulas are good to about a metre).
      for (const p of ring) expect(Math.min(...roof.corners.map((c) => metresApart(p, c))), id).toBeLessThan(1);
    }
  });

  it('merges a triangulated ground surface into one outline', async () => {
    const layer = await importBuildingsFile(FILE, 'delft-subset.json');
    const withBottom = layer.features.filter((f) => !NO_BOTTOM.includes(f.properties.id));
    expect(withBottom).toHaveLength(3);
    for (const f of withBottom) expect(f.geometry.type).toBe('Polygon');
  });
});

describe('outlineOfFaces', () => {
  const square = (x: number, y: number): number[][][] => [[[x, y], [x + 1e-4, y], [x + 1e-4, y + 1e-4], [x, y + 1e-4]]];
  it('joins faces that share edges, and keeps the hole a ring of faces leaves', () => {
    const two = outlineOfFaces([square(0, 50), square(1e-4, 50)])!;
    expect(two).toHaveLength(1);
    expect(two[0]).toHaveLength(1);
    expect(two[0]![0]).toHaveLength(7);
    const ring = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => [i, j])).filter(([i, j]) => !(i === 1 && j === 1));
    const donut = outlineOfFaces(ring.map(([i, j]) => square(i! * 1e-4, 50 + j! * 1e-4)))!;
    expect(donut).toHaveLength(1);
    expect(donut[0]).toHaveLength(2);
  });

  it('gives up on faces that overlap', () => {
    expect(outlineOfFaces([square(0, 50), square(0, 50)])).toBeUndefined();
  });
});
