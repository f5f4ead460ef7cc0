/**
 * Pure parts of L3 and L5: roof choice and generated roof geometry, LoD2 surfaces triangulated
 * in their plane, facade texture coordinates, floor plans and their areas, the interior glb.
 */
import { describe, expect, it } from 'vitest';
import type { BuildingProps } from '../../domain/citySource';
import { EnuFrame, ecefToGeodetic } from '../../kernel/geodesy';
import type { FootprintRings } from '../../tiles/pipeline/buildings/extrude';
import { BAY_WIDTH_M, MATERIAL_COUNT, facadeMaterial, roofMaterial } from '../../tiles/pipeline/architecture/facadeMaterials';
import { MaterialMesh } from '../../tiles/pipeline/architecture/materialMesh';
import { addGeneratedShell, addLod2Surfaces, chooseRoofShape } from '../../tiles/pipeline/architecture/shell';
import { planFloor, ringArea } from '../../tiles/pipeline/interiors/floorPlan';
import { buildingInteriorGlb } from '../../tiles/pipeline/interiors/interiorGlb';
import { glbProblems } from '../support/gltfValidator';
import { parseGlb, readPropertyTable } from './glbReader';

/** One ring on flat ground: bottom at z = 0, top at z = h. */
function rectRings(w: number, d: number, h: number): FootprintRings {
  const pts = [[0, 0], [w, 0], [w, d], [0, d]];
  return {
    bottom: Float64Array.from(pts.flatMap(([x, y]) => [x!, y!, 0])),
    top: Float64Array.from(pts.flatMap(([x, y]) => [x!, y!, h])),
    ringStarts: [0, 4],
  };
}

const props = (p: Partial<BuildingProps>): BuildingProps => ({ id: 'X1', height: 9, floors: 3, use: 'residential', ...p });

/** Every triangle of `material`: its winding's normal (unnormalised) and its vertices. */
function triangles(mesh: MaterialMesh, material: number): Array<{ n: number[]; v: number[][] }> {
  const out: Array<{ n: number[]; v: number[][] }> = [];
  const list = mesh.indices[material]!;
  const p = (i: number) => [mesh.positions[3 * i]!, mesh.positions[3 * i + 1]!, mesh.positions[3 * i + 2]!];
  for (let t = 0; t < mesh.indexCounts[material]!; t += 3) {
    const [a, b, c] = [p(list[t]!), p(list[t + 1]!), p(list[t + 2]!)];
    const u = [b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!];
    const w = [c[0]! - a[0]!, c[1]! - a[1]!, c[2]! - a[2]!];
    out.push({ n: [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!], v: [a, b, c] });
  }
  return out;
}

describe('chooseRoofShape', () => {
  it('keeps the source’s shape on any footprint; chooses by use and size otherwise', () => {
    expect(chooseRoofShape(props({ roofShape: 'hipped' }), true, 200)).toBe('hipped');
    expect(chooseRoofShape(props({ roofShape: 'gabled' }), false, 200)).toBe('gabled');
    expect(chooseRoofShape(props({ use: 'office', floors: 20 }), true, 900)).toBe('flat');
    expect(chooseRoofShape(props({ use: 'industrial' }), true, 400)).toBe('gabled');
    expect(chooseRoofShape(props({ use: 'industrial' }), true, 120)).toBe('skillion');
    expect(['gabled', 'hipped']).toContain(chooseRoofShape(props({}), true, 200));
    expect(chooseRoofShape(props({}), false, 200)).toBe('flat');
    // Deterministic: the same building always gets the same roof.
    expect(chooseRoofShape(props({ id: 'H-7' }), true, 200)).toBe(chooseRoofShape(props({ id: 'H-7' }), true, 200));
  });
});

describe('addGeneratedShell', () => {
  it('draws a gabled roof: eaves at the 30° pitch, ridge along the long side at the full height', () => {
    const mesh = new MaterialMesh(MATERIAL_COUNT);
    expect(addGeneratedShell(mesh, rectRings(20, 10, 9), { properties: props({ roofShape: 'gabled' }), groundHeight: 0 }, 0)).toBe('gabled');
    const rise = 5 * Math.tan(Math.PI / 6);
    const roof = triangles(mesh, roofMaterial('pitched'));
    expect(roof).toHaveLength(4);
    for (const t of roof) expect(t.n[2]).toBeGreaterThan(0);
    const zs = roof.flatMap((t) => t.v.map((v) => v[2]!));
    expect(Math.max(...zs)).toBeCloseTo(9, 9);
    expect(Math.min(...zs)).toBeCloseTo(9 - rise, 9);
    // Ridge vertices lie over the middle of the short sides (y = 5).
    for (const v of roof.flatMap((t) => t.v)) if (Math.abs(v[2]! - 9) < 1e-9) expect(v[1]).toBeCloseTo(5, 9);
    // Walls (facade) reach the eaves, and the gable ends the ridge; all face out.
    const walls = triangles(mesh, facadeMaterial('residential'));
    expect(Math.max(...walls.flatMap((t) => t.v.map((v) => v[2]!)))).toBeCloseTo(9, 9);
    for (const t of walls) {
      const c = [0, 1].map((k) => (t.v[0]![k]! + t.v[1]![k]! + t.v[2]![k]!) / 3);
      expect(t.n[0]! * (c[0]! - 10) + t.n[1]! * (c[1]! - 5)).toBeGreaterThan(0);
    }
  });

  it('pulls a hipped ridge in by half the short side and a pyramid to one apex', () => {
    const hipped = new MaterialMesh(MATERIAL_COUNT);
    addGeneratedShell(hipped, rectRings(20, 10, 9), { properties: props({ roofShape: 'hipped' }), groundHeight: 0 }, 0);
    const ridge = triangles(hipped, roofMaterial('pitched')).flatMap((t) => t.v).filter((v) => Math.abs(v[2]! - 9) < 1e-9);
    expect(Math.min(...ridge.map((v) => v[0]!))).toBeCloseTo(5, 9);
    expect(Math.max(...ridge.map((v) => v[0]!))).toBeCloseTo(15, 9);
    const pyramid = new MaterialMesh(MATERIAL_COUNT);
    addGeneratedShell(pyramid, rectRings(10, 10, 6), { properties: props({ height: 6, floors: 2, roofShape: 'pyramidal' }), groundHeight: 0 }, 0);
    const apex = triangles(pyramid, roofMaterial('pitched')).flatMap((t) => t.v).filter((v) => v[2]! > 5.99);
    expect(apex.length).toBe(4);
    for (const v of apex) expect([v[0], v[1]]).toEqual([5, 5]);
  });

  it('gives a flat roof a deck below a parapet whose inner face looks inwards, and facades floor-by-floor UVs', () => {
    const mesh = new MaterialMesh(MATERIAL_COUNT);
    expect(addGeneratedShell(mesh, rectRings(20, 10, 9), { properties: props({ use: 'office', roofShape: 'flat' }), groundHeight: 0 }, 4)).toBe('flat');
    const roof = triangles(mesh, roofMaterial('flat'));
    const deck = roof.filter((t) => t.n[2]! > 0);
    expect(deck.reduce((a, t) => a + t.n[2]! / 2, 0)).toBeCloseTo(200, 6);
    for (const t of deck) for (const v of t.v) expect(v[2]).toBeCloseTo(8.1, 9);
    const parapet = roof.filter((t) => Math.abs(t.n[2]!) < 1e-9);
    expect(parapet).toHaveLength(8);
    for (const t of parapet) {
      const c = [0, 1].map((k) => (t.v[0]![k]! + t.v[1]![k]! + t.v[2]![k]!) / 3);
      expect(t.n[0]! * (c[0]! - 10) + t.n[1]! * (c[1]! - 5)).toBeLessThan(0);
    }
    // Facade v = −height / floor height (3 m): −3 at the top of a 9 m wall; u = metres / bay.
    let maxU = 0;
    let minV = 0;
    for (let i = 0; i < mesh.vertexCount; i++) {
      if (mesh.featureIds[i] !== 4) throw new Error('feature id lost');
      maxU = Math.max(maxU, mesh.uvs[2 * i]!);
      minV = Math.min(minV, mesh.uvs[2 * i + 1]!);
    }
    expect(maxU).toBeCloseTo(20 / BAY_WIDTH_M, 6);
    expect(minV).toBeCloseTo(-3, 6);
  });
});

describe('addLod2Surfaces', () => {
  it('triangulates tilted planar surfaces in their plane, facing where their rings say', () => {
    const frame = new EnuFrame(113.7, 22.83, 10);
    const ll = (e: number, n: number): [number, number] => {
      const p = frame.toEcef(e, n, 0);
      const g = ecefToGeodetic(p[0], p[1], p[2]);
      return [g.lon, g.lat];
    };
    const at = (e: number, n: number, h: number): [number, number, number] => [...ll(e, n), h];
    // A mono-pitch roof over 12 × 8 m rising from 6 m (south) to 9 m (north), with a skylight hole.
    const roof = {
      kind: 'roof' as const,
      rings: [
        [at(0, 0, 6), at(12, 0, 6), at(12, 8, 9), at(0, 8, 9)],
        [at(4, 2, 6.75), at(4, 4, 7.5), at(6, 4, 7.5), at(6, 2, 6.75)],
      ],
    };
    const wall = { kind: 'wall' as const, rings: [[at(0, 0, 0), at(12, 0, 0), at(12, 0, 6), at(0, 0, 6)]] };
    const ground = { kind: 'ground' as const, rings: [[at(0, 0, 0), at(0, 8, 0), at(12, 8, 0), at(12, 0, 0)]] };
    const mesh = new MaterialMesh(MATERIAL_COUNT);
    const b = { properties: props({ height: 9, floors: 3, surfaces: [roof, wall, ground] }), groundHeight: 10 };
    expect(addLod2Surfaces(mesh, [roof, wall, ground], frame, b, 2)).toBe(true);
    const roofTris = triangles(mesh, roofMaterial('lod2'));
    const area = roofTris.reduce((a, t) => a + Math.hypot(...t.n) / 2, 0);
    const slope = Math.hypot(8, 3);
    // 12 m × the slope's length, less the 2 m × 2 m (in plan) skylight.
    expect(area).toBeCloseTo(12 * slope - 2 * ((2 * slope) / 8), 2);
    for (const t of roofTris) {
      // Up and towards the low (south) side: the ring is counter-clockwise from above.
      expect(t.n[2]).toBeGreaterThan(0);
      expect(t.n[1]).toBeLessThan(0);
    }
    const wallTris = triangles(mesh, facadeMaterial('residential'));
    expect(wallTris).toHaveLength(2);
    for (const t of wallTris) expect(t.n[1]).toBeLessThan(0);
    // The ground surface is left to the terrain.
    const total = [...Array(MATERIAL_COUNT).keys()].reduce((n, m) => n + mesh.indexCounts[m]!, 0) / 3;
    expect(total).toBe(roofTris.length + wallTris.length);
  });
});

describe('planFloor', () => {
  it('lays a wide block out double-loaded: rooms either side of a corridor, one core, areas adding up', () => {
    const plan = planFloor([[0, 0], [40, 0], [40, 16], [0, 16]]);
    const kinds = plan.cells.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'corridor')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'core')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'room')).toHaveLength(2 * 6 - 1);
    // Each area is rounded to 0.01 m².
    expect(plan.cells.reduce((a, c) => a + c.areaM2, 0)).toBeCloseTo(640, 1);
    expect(plan.cells.find((c) => c.kind === 'corridor')!.areaM2).toBeCloseTo(80, 2);
    for (const c of plan.cells) expect(ringArea(c.ring)).toBeGreaterThan(0);
    expect(plan.core!.lengthM).toBeCloseTo(40 / 6, 6);
  });

  it('gives a narrow block one row of rooms, and an L-shape rooms clipped to it', () => {
    const narrow = planFloor([[0, 0], [30, 0], [30, 8], [0, 8]]);
    expect(narrow.cells.map((c) => c.kind).filter((k) => k === 'corridor')).toHaveLength(0);
    expect(narrow.cells).toHaveLength(5);
    const l = planFloor([[0, 0], [30, 0], [30, 10], [10, 10], [10, 25], [0, 25]]);
    expect(l.cells.reduce((a, c) => a + c.areaM2, 0)).toBeCloseTo(30 * 10 + 10 * 15, 1);
    expect(l.cells.filter((c) => c.kind === 'core')).toHaveLength(1);
  });
});

describe('buildingInteriorGlb', () => {
  it('writes a valid glb: one row per room and floor, courtyard area taken off', async () => {
    const built = buildingInteriorGlb({
      id: '中学',
      use: 'education',
      height: 12,
      floors: 3,
      polygons: [[[[0, 0], [30, 0], [30, 30], [0, 30]], [[10, 10], [10, 20], [20, 20], [20, 10]]]],
      origin: { lon: 113.7, lat: 22.83, height: 5 },
    })!;
    expect(await glbProblems(built.glb)).toEqual([]);
    const rows = readPropertyTable(parseGlb(built.glb));
    expect(rows).toHaveLength(built.rooms);
    for (const f of [0, 1, 2]) {
      const floor = rows.filter((r) => r.floor === f);
      expect(floor.reduce((a, r) => a + (r.areaM2 as number), 0)).toBeCloseTo(900 - 100, 0);
      expect(floor.every((r) => r.elevationM === 4 * f && r.buildingId === '中学')).toBe(true);
      expect(floor.some((r) => r.use === 'classroom')).toBe(true);
    }
    expect(buildingInteriorGlb({ id: 'tiny', use: 'office', height: 3, floors: 1, polygons: [[[[0, 0], [1, 0], [1, 1]]]], origin: { lon: 0, lat: 0, height: 0 } })).toBeUndefined();
  });
});
