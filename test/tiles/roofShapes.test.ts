/**
 * Roof tags on OSM buildings (test/fixtures/real/osm-roofs.geojson): `roof:shape=gabled` on an
 * L-shaped footprint is drawn as a gable (it used to fall back to flat), covering exactly the
 * footprint; untagged buildings of no particular use get no invented pitch.
 */
import { describe, expect, it } from 'vitest';
import { EnuFrame, pointInPolygon } from '../../kernel/geodesy';
import { importBuildingsFile } from '../../tiles/import/layerFiles';
import type { FootprintRings } from '../../tiles/pipeline/buildings/extrude';
import { MATERIAL_COUNT, facadeMaterial, roofMaterial } from '../../tiles/pipeline/architecture/facadeMaterials';
import { MaterialMesh } from '../../tiles/pipeline/architecture/materialMesh';
import { addGeneratedShell, chooseRoofShape } from '../../tiles/pipeline/architecture/shell';

const FILE = 'test/fixtures/real/osm-roofs.geojson';

/** A feature's outer ring in metres east/north of its first corner, as FootprintRings at `h` m. */
function localRings(ring: number[][], h: number): { rings: FootprintRings; xy: Array<[number, number]> } {
  const frame = new EnuFrame(ring[0]![0]!, ring[0]![1]!, 0);
  const xy = ring.slice(0, -1).map((p): [number, number] => {
    const v = frame.fromGeodetic(p[0]!, p[1]!, 0);
    return [v[0], v[1]];
  });
  return {
    xy,
    rings: {
      bottom: Float64Array.from(xy.flatMap(([x, y]) => [x, y, 0])),
      top: Float64Array.from(xy.flatMap(([x, y]) => [x, y, h])),
      ringStarts: [0, xy.length],
    },
  };
}

function roofTriangles(mesh: MaterialMesh): number[][][] {
  const material = roofMaterial('pitched');
  const list = mesh.indices[material]!;
  const p = (i: number) => [mesh.positions[3 * i]!, mesh.positions[3 * i + 1]!, mesh.positions[3 * i + 2]!];
  const out: number[][][] = [];
  for (let t = 0; t < mesh.indexCounts[material]!; t += 3) out.push([p(list[t]!), p(list[t + 1]!), p(list[t + 2]!)]);
  return out;
}

describe('roof:shape on OSM buildings', () => {
  it('draws gabled on an L-shaped footprint: two planes covering the footprint, ridge at the top, walls to the roof line', async () => {
    const layer = await importBuildingsFile(FILE, 'osm-roofs.geojson');
    const l = layer.features.find((f) => f.properties.id === 'way/1001')!;
    expect(l.properties.roofShape).toBe('gabled');
    const { rings, xy } = localRings((l.geometry.coordinates as number[][][])[0]!, l.properties.height);
    const mesh = new MaterialMesh(MATERIAL_COUNT);
    expect(addGeneratedShell(mesh, rings, { properties: l.properties, groundHeight: 0 }, 0)).toBe('gabled');

    const roof = roofTriangles(mesh);
    expect(roof.length).toBeGreaterThanOrEqual(4);
    let area = 0;
    for (const [a, b, c] of roof) {
      const twice = (b![0]! - a![0]!) * (c![1]! - a![1]!) - (c![0]! - a![0]!) * (b![1]! - a![1]!);
      // Facing up, and over the footprint.
      expect(twice).toBeGreaterThan(0);
      const cx = (a![0]! + b![0]! + c![0]!) / 3;
      const cy = (a![1]! + b![1]! + c![1]!) / 3;
      expect(pointInPolygon(cx, cy, xy)).toBe(true);
      area += twice / 2;
    }
    // The L is 20 × 8 plus 8 × 10: 240 m², covered once.
    expect(area).toBeCloseTo(240, 0);
    const zs = roof.flat().map((v) => v[2]!);
    expect(Math.max(...zs)).toBeCloseTo(l.properties.height, 6);
    expect(Math.min(...zs)).toBeLessThan(l.properties.height - 1);
    // Walls reach up to the roof (gable ends), never above the ridge.
    const walls = mesh.indexCounts[facadeMaterial(l.properties.use)]!;
    expect(walls).toBeGreaterThan(0);
  });

  it('keeps every tag and gives untagged buildings of no particular use a flat roof', async () => {
    const layer = await importBuildingsFile(FILE, 'osm-roofs.geojson');
    const byId = new Map(layer.features.map((f) => [f.properties.id, f.properties]));
    expect(byId.get('way/1002')!.roofShape).toBe('gabled');
    expect(byId.get('way/1003')!.roofShape).toBe('hipped');
    for (const id of ['way/1004', 'way/1005']) {
      const p = byId.get(id)!;
      expect(p.roofShape).toBeUndefined();
      expect(p.use).toBe('mixed');
      expect(chooseRoofShape(p, true, 150)).toBe('flat');
      expect(chooseRoofShape(p, false, 150)).toBe('flat');
    }
  });
});
