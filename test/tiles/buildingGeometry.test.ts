/**
 * Pure parts of the building tiler: extrusion (roof, walls, normals, winding), the quadtree,
 * the tileset's boxes and errors, and the GLB writer's layout.
 */
import { describe, expect, it } from 'vitest';
import { buildingTileGlb } from '../../tiles/pipeline/buildings/buildingGlb';
import { extrudePolygon, type FootprintRings } from '../../tiles/pipeline/buildings/extrude';
import { MeshBuffer } from '../../tiles/pipeline/buildings/meshBuffer';
import { writePyramid, type ContentResult } from '../../tiles/pipeline/tiling/pyramid';
import { buildQuadtree, quadLeaves, type QuadNode } from '../../tiles/pipeline/tiling/quadtree';
import { positionsBox, type TileJson } from '../../tiles/pipeline/tiling/tileset';
import { GlbWriter } from '../../tiles/pipeline/gltf/glbWriter';
import { validateGlb } from '../support/gltfValidator';
import { parseGlb, readAccessor, readPropertyTable } from './glbReader';


/** Rings in local metres on flat ground (z = 0 bottom, z = h top). */
function rings(polys: Array<Array<[number, number]>>, h: number): FootprintRings {
  const n = polys.reduce((s, r) => s + r.length, 0);
  const bottom = new Float64Array(3 * n);
  const top = new Float64Array(3 * n);
  const ringStarts: number[] = [];
  let v = 0;
  for (const ring of polys) {
    ringStarts.push(v);
    for (const [x, y] of ring) {
      bottom.set([x, y, 0], 3 * v);
      top.set([x, y, h], 3 * v);
      v++;
    }
  }
  ringStarts.push(v);
  return { bottom, top, ringStarts };
}

const UP = [0, 0, 1];
const L_SHAPE: Array<[number, number]> = [[0, 0], [30, 0], [30, 10], [10, 10], [10, 25], [0, 25]];

/** Checks each triangle's winding against its stored normal; counts roof (up-facing) triangles and their area. */
function triangleStats(mesh: MeshBuffer): { upFacing: number; roofArea: number } {
  let upFacing = 0;
  let roofArea = 0;
  const p = mesh.positions;
  for (let t = 0; t < mesh.indexCount; t += 3) {
    const [a, b, c] = [mesh.indices[t]!, mesh.indices[t + 1]!, mesh.indices[t + 2]!];
    const ux = p[3 * b]! - p[3 * a]!, uy = p[3 * b + 1]! - p[3 * a + 1]!, uz = p[3 * b + 2]! - p[3 * a + 2]!;
    const vx = p[3 * c]! - p[3 * a]!, vy = p[3 * c + 1]! - p[3 * a + 1]!, vz = p[3 * c + 2]! - p[3 * a + 2]!;
    const n = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
    // The geometric normal from the winding agrees with the stored normal.
    const stored = [mesh.normals[3 * a]!, mesh.normals[3 * a + 1]!, mesh.normals[3 * a + 2]!];
    expect(n[0]! * stored[0]! + n[1]! * stored[1]! + n[2]! * stored[2]!).toBeGreaterThan(0);
    if (n[2]! > 0) {
      upFacing++;
      roofArea += n[2]! / 2;
    }
  }
  return { upFacing, roofArea };
}

describe('extrudePolygon', () => {
  it('extrudes an L-shape: roof up, one outward quad per edge', () => {
    const mesh = new MeshBuffer();
    const tris = extrudePolygon(mesh, rings([L_SHAPE], 12), UP, 0);
    // Roof: n − 2 = 4 triangles; walls: 6 quads.
    expect(tris).toBe(4 + 12);
    expect(mesh.vertexCount).toBe(6 + 24);
    const { upFacing, roofArea } = triangleStats(mesh);
    expect(upFacing).toBe(4);
    expect(roofArea).toBeCloseTo(30 * 10 + 10 * 15, 6);
    // Walls point away from the footprint: check the wall on x = 30 (east) and on y = 10 inside the L's notch.
    for (let v = 6; v < mesh.vertexCount; v += 4) {
      const [nx, ny, nz] = [mesh.normals[3 * v]!, mesh.normals[3 * v + 1]!, mesh.normals[3 * v + 2]!];
      expect(Math.hypot(nx, ny, nz)).toBeCloseTo(1, 6);
      expect(nz).toBeCloseTo(0, 9);
      const mx = (mesh.positions[3 * v]! + mesh.positions[3 * v + 3]!) / 2;
      const my = (mesh.positions[3 * v + 1]! + mesh.positions[3 * v + 4]!) / 2;
      // Half a metre outside the wall's midpoint is outside the L; half a metre inside is inside.
      const inside = (x: number, y: number) => x > 0 && y > 0 && ((x < 30 && y < 10) || (x < 10 && y < 25));
      expect(inside(mx + 0.5 * nx, my + 0.5 * ny)).toBe(false);
      expect(inside(mx - 0.5 * nx, my - 0.5 * ny)).toBe(true);
    }
  });

  it('gives the same mesh for either winding, and walls facing into a courtyard', () => {
    const outer: Array<[number, number]> = [[0, 0], [40, 0], [40, 40], [0, 40]];
    const hole: Array<[number, number]> = [[10, 10], [10, 30], [30, 30], [30, 10]];
    const a = new MeshBuffer();
    extrudePolygon(a, rings([outer, hole], 10), UP, 0);
    const b = new MeshBuffer();
    extrudePolygon(b, rings([[...outer].reverse(), [...hole].reverse()], 10), UP, 0);
    expect(a.indexCount).toBe(b.indexCount);
    expect(triangleStats(a).roofArea).toBeCloseTo(1600 - 400, 6);
    expect(triangleStats(b).roofArea).toBeCloseTo(1600 - 400, 6);
    // Walls of the hole face its centre (20, 20).
    let holeWalls = 0;
    for (let v = 8; v < a.vertexCount; v += 4) {
      const mx = (a.positions[3 * v]! + a.positions[3 * v + 3]!) / 2;
      const my = (a.positions[3 * v + 1]! + a.positions[3 * v + 4]!) / 2;
      if (mx > 5 && mx < 35 && my > 5 && my < 35) {
        holeWalls++;
        expect(a.normals[3 * v]! * (20 - mx) + a.normals[3 * v + 1]! * (20 - my)).toBeGreaterThan(0);
      }
    }
    expect(holeWalls).toBe(4);
  });

  it('skips zero-length edges', () => {
    const mesh = new MeshBuffer();
    extrudePolygon(mesh, rings([[[0, 0], [10, 0], [10, 0], [10, 10], [0, 10]]], 5), UP, 3);
    expect(mesh.vertexCount).toBe(5 + 4 * 4);
    expect([...mesh.featureIds.subarray(0, mesh.vertexCount)].every((f) => f === 3)).toBe(true);
  });
});

describe('buildQuadtree', () => {
  it('splits until leaves hold at most maxPerLeaf, each point once', () => {
    const n = 1000;
    const xs = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) * 3.1);
    const ys = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 997) * 2.3);
    const root = buildQuadtree(xs, ys, 50);
    const leaves = quadLeaves(root);
    const all = leaves.flatMap((l) => l.items).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const l of leaves) expect(l.items.length).toBeLessThanOrEqual(50);
    expect(buildQuadtree(xs, ys, 50)).toEqual(root);
  });

  it('stops on points it cannot separate', () => {
    const root = buildQuadtree(new Float64Array(10).fill(5), new Float64Array(10).fill(5), 2);
    expect(quadLeaves(root).map((l) => l.items.length)).toEqual([10]);
  });
});

describe('writePyramid', () => {
  // Six items: two pairs close together, two alone; item i is i + 1 m² big and 10·(i + 1) m tall.
  const xs = Float64Array.from([0, 10, 500, 510, 0, 1000]);
  const ys = Float64Array.from([0, 10, 500, 510, 1000, 0]);
  const height = Float64Array.from([10, 20, 30, 40, 50, 60]);
  const contentBox = (items: readonly number[]): ContentResult['box'] => ({
    min: [Math.min(...items.map((i) => xs[i]!)) - 5, Math.min(...items.map((i) => ys[i]!)) - 5, 0],
    max: [Math.max(...items.map((i) => xs[i]!)) + 5, Math.max(...items.map((i) => ys[i]!)) + 5, Math.max(...items.map((i) => height[i]!))],
  });

  it('gives parents the most important items, errors from what they leave out, boxes holding children', async () => {
    const root = buildQuadtree(xs, ys, 2);
    const written: Array<{ node: QuadNode; items: number[]; leaf: boolean }> = [];
    const write = (leaf: boolean) => async (node: QuadNode, items: readonly number[]) => {
      written.push({ node, items: [...items], leaf });
      return [{ uri: `${node.level}_${node.x}_${node.y}.glb`, box: contentBox(items) }];
    };
    const { tilesets, contents } = await writePyramid(
      { root, score: height, height, proxyCount: 2, writeLeaf: write(true), writeProxy: write(false) },
      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      'test',
    );
    const ts = tilesets[0]!;
    expect(contents).toBe(written.length);
    expect(ts.root.refine).toBe('REPLACE');
    // The root's proxy holds the two tallest of all six; the tallest it leaves out is 40 m.
    const rootProxy = written[written.length - 1]!;
    expect(rootProxy.leaf).toBe(false);
    expect(rootProxy.items).toEqual([5, 4]);
    expect(ts.root.geometricError).toBeCloseTo(40 + 0.1 * root.size * Math.SQRT1_2, 3);
    expect(ts.geometricError).toBeCloseTo(2 * ts.root.geometricError, 3);
    // Every item is in exactly one leaf; every tile has content.
    expect(written.filter((w) => w.leaf).flatMap((w) => w.items).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const check = (t: TileJson, parent?: TileJson) => {
      expect(t.content).toBeDefined();
      if (parent) expect(t.geometricError).toBeLessThan(parent.geometricError);
      if (!t.children) expect(t.geometricError).toBe(0);
      t.children?.forEach((c) => check(c, t));
    };
    check(ts.root);
    const [cx, cy, , hx, , , , hy] = ts.root.boundingVolume.box;
    expect(cx! - hx!).toBeLessThanOrEqual(-5);
    expect(cx! + hx!).toBeGreaterThanOrEqual(1005);
    expect(cy! - hy!).toBeLessThanOrEqual(-5);
    expect(cy! + hy!).toBeGreaterThanOrEqual(1005);
  });
});

describe('GlbWriter and building tiles', () => {
  it('writes a valid, 8-byte aligned GLB whose property table reads back', async () => {
    const mesh = new MeshBuffer();
    extrudePolygon(mesh, rings([L_SHAPE], 12), UP, 0);
    const second = rings([[[50, 0], [60, 0], [60, 10], [50, 10]]], 30);
    extrudePolygon(mesh, second, UP, 1);
    const box = positionsBox(mesh.positions, mesh.vertexCount);
    const centre = [0, 1, 2].map((k) => (box.min[k]! + box.max[k]!) / 2);
    const bytes = buildingTileGlb(
      mesh,
      [
        { properties: { id: '甲-1', height: 12, floors: 4, use: 'office', name: '写字楼' }, groundHeight: 3.25 },
        { properties: { id: 'B-2', height: 30, floors: 10, use: 'residential', gridCode: '44190000100101' }, groundHeight: -1.5 },
      ],
      centre,
    );
    const report = await validateGlb(bytes);
    expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
    const glb = parseGlb(bytes);
    expect(glb.jsonChunkEnd % 8).toBe(0);
    expect(glb.json.bufferViews!.every((v) => v.byteOffset % 8 === 0)).toBe(true);
    expect(readPropertyTable(glb)).toEqual([
      { id: '甲-1', name: '写字楼', use: 'office', height: 12, floors: 4, groundHeight: 3.25, gridCode: '' },
      { id: 'B-2', name: '', use: 'residential', height: 30, floors: 10, groundHeight: -1.5, gridCode: '44190000100101' },
    ]);
    const prim = glb.json.meshes![0]!.primitives[0]!;
    // Small tiles use 16-bit indices.
    expect(glb.json.accessors![prim.indices!]!.componentType).toBe(5123);
    const pos = readAccessor(glb, prim.attributes.POSITION!);
    expect(Math.max(...pos.filter((_, i) => i % 3 === 1)) - Math.min(...pos.filter((_, i) => i % 3 === 1))).toBeCloseTo(30, 5);
  });

  it('pads JSON with spaces and BIN with zeros', () => {
    const w = new GlbWriter();
    w.addAccessor(new Float32Array([1, 2, 3]), 'VEC3', { minMax: true });
    const bytes = w.toGlb();
    const glb = parseGlb(bytes);
    const jsonText = new TextDecoder().decode(bytes.subarray(20, glb.jsonChunkEnd));
    expect(jsonText.trimEnd().endsWith('}')).toBe(true);
    expect(/^ *$/.test(jsonText.slice(jsonText.lastIndexOf('}') + 1))).toBe(true);
    expect(glb.bin.byteLength).toBe(16);
    expect([...glb.bin.subarray(12)]).toEqual([0, 0, 0, 0]);
    expect(glb.json.accessors![0]).toMatchObject({ min: [1, 2, 3], max: [1, 2, 3], count: 1 });
  });
});
