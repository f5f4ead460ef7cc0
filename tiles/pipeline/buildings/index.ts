/**
 * L2 white models and L3 architecture as OGC 3D Tiles 1.1, in one pass: buildings placed on the
 * ground are split by a quadtree over their centroids; each leaf becomes one L2 glb (extruded
 * footprints) and one L3 glb (textured facades, LoD2 or generated roofs), each inner tile a
 * proxy of its subtree's biggest buildings as boxes (tiling/pyramid.ts), and an explicit
 * tileset.json per level ties them together in the package's ENU frame. Tiles are written as
 * they are made: memory holds one tile's mesh at a time, never the glbs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RoofShape } from '../../../domain/citySource';
import type { EnuFrame, Vec3 } from '../../../kernel/geodesy';
import { architectureTileGlb, type ArchitectureBuilding } from '../architecture/architectureGlb';
import { MATERIAL_COUNT } from '../architecture/facadeMaterials';
import { MaterialMesh } from '../architecture/materialMesh';
import { addBoxShell, addGeneratedShell, addLod2Surfaces } from '../architecture/shell';
import { metresPerDegree, type PlacedBuilding } from '../ground';
import { writePyramid, type ContentResult } from '../tiling/pyramid';
import { buildQuadtree, type QuadNode } from '../tiling/quadtree';
import { boxCentre, emptyTileset, positionsBox, type TilesetJson } from '../tiling/tileset';
import { buildingTileGlb } from './buildingGlb';
import { extrudePolygon, type FootprintRings } from './extrude';
import { MeshBuffer } from './meshBuffer';
import { BoxFitter, BoxRings } from './proxy';

export const TILESET_FILE = 'tileset.json';
export const DEFAULT_BUILDINGS_PER_TILE = 400;
const GENERATOR = 'citytwin tiles build';

export interface BuildingTilesOptions {
  buildings: readonly PlacedBuilding[];
  /** The package's ENU frame: the tilesets' root transform. */
  frame: EnuFrame;
  /** Folder for L2's tileset.json and tiles (`<package>/buildings`). */
  outDir: string;
  /** Folder for L3's (`<package>/architecture`); L3 is skipped when absent. */
  architectureDir?: string;
  maxPerTile?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BuildingTilesResult {
  /** Buildings written into tiles. */
  written: number;
  /** Content files written per level (leaves + parent proxies). */
  tiles: number;
  /** Deepest quadtree level with content. */
  maxLevel: number;
  /** Bytes of L2 and of L3 (glbs + tileset.json). */
  bytes: number;
  architectureBytes: number;
}

/** Scratch rings for one polygon at a time, grown as needed: no per-vertex allocation. */
class RingScratch implements FootprintRings {
  bottom = new Float64Array(3 * 256);
  top = new Float64Array(3 * 256);
  ringStarts: number[] = [];

  ensure(vertices: number): void {
    if (3 * vertices <= this.bottom.length) return;
    this.bottom = new Float64Array(3 * vertices * 2);
    this.top = new Float64Array(3 * vertices * 2);
  }
}

const scratchVec: Vec3 = [0, 0, 0];
const scratchUp: Vec3 = [0, 0, 0];

/** Fills `rings` with one polygon's vertices at the building's base and roof, in the ENU frame. */
function fillRings(rings: RingScratch, polygon: number[][][], frame: EnuFrame, base: number, roof: number): void {
  let total = 0;
  for (const ring of polygon) total += ring.length;
  rings.ensure(total);
  rings.ringStarts.length = 0;
  let v = 0;
  for (const ring of polygon) {
    rings.ringStarts.push(v);
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    // GeoJSON rings repeat the first position at the end; the mesh wants each corner once.
    const n = ring.length > 1 && first[0] === last[0] && first[1] === last[1] ? ring.length - 1 : ring.length;
    for (let i = 0; i < n; i++) {
      const lon = ring[i]![0]!;
      const lat = ring[i]![1]!;
      frame.fromGeodetic(lon, lat, base, scratchVec);
      rings.bottom.set(scratchVec, 3 * v);
      frame.fromGeodetic(lon, lat, roof, scratchVec);
      rings.top.set(scratchVec, 3 * v);
      v++;
    }
  }
  rings.ringStarts.push(v);
}

/** Local vertical at a point, as a unit vector in the frame (roof normal). */
function upAt(frame: EnuFrame, lon: number, lat: number, height: number, out: Vec3): Vec3 {
  frame.fromGeodetic(lon, lat, height, scratchVec);
  frame.fromGeodetic(lon, lat, height + 1, out);
  out[0] -= scratchVec[0];
  out[1] -= scratchVec[1];
  out[2] -= scratchVec[2];
  const len = Math.hypot(out[0], out[1], out[2]);
  out[0] /= len;
  out[1] /= len;
  out[2] /= len;
  return out;
}

function tileName(node: QuadNode): string {
  return `tiles/${node.level}_${node.x}_${node.y}.glb`;
}

/** Footprint area (m², outer rings) × height: a building's importance for parent tiles. */
function volumeScore(b: PlacedBuilding): number {
  const [mx, my] = metresPerDegree(b.lat);
  const polygons = b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : b.geometry.coordinates;
  let area = 0;
  for (const polygon of polygons) {
    const ring = polygon[0]!;
    let a = 0;
    for (let i = 0; i + 1 < ring.length; i++) a += (ring[i]![0]! - b.lon) * (ring[i + 1]![1]! - b.lat) - (ring[i + 1]![0]! - b.lon) * (ring[i]![1]! - b.lat);
    area += Math.abs(a / 2) * mx * my;
  }
  return area * b.properties.height;
}

/** Writes L2 (and L3 when asked) tilesets and tiles for the buildings. */
export async function buildBuildingTiles(opts: BuildingTilesOptions): Promise<BuildingTilesResult> {
  const { buildings, frame, outDir, architectureDir } = opts;
  const maxPerTile = opts.maxPerTile ?? DEFAULT_BUILDINGS_PER_TILE;
  const dirs = architectureDir ? [outDir, architectureDir] : [outDir];
  for (const dir of dirs) await mkdir(path.join(dir, 'tiles'), { recursive: true });
  const writeTileset = async (dir: string, tileset: TilesetJson): Promise<number> => {
    const json = JSON.stringify(tileset, null, 2) + '\n';
    await writeFile(path.join(dir, TILESET_FILE), json);
    return json.length;
  };

  if (buildings.length === 0) {
    let bytes = 0;
    for (const dir of dirs) bytes = await writeTileset(dir, emptyTileset(frame.matrix, GENERATOR));
    return { written: 0, tiles: 0, maxLevel: 0, bytes, architectureBytes: architectureDir ? bytes : 0 };
  }

  const xs = new Float64Array(buildings.length);
  const ys = new Float64Array(buildings.length);
  const score = new Float64Array(buildings.length);
  const height = new Float64Array(buildings.length);
  buildings.forEach((b, i) => {
    frame.fromGeodetic(b.lon, b.lat, b.groundHeight, scratchVec);
    xs[i] = scratchVec[0];
    ys[i] = scratchVec[1];
    score[i] = volumeScore(b);
    height[i] = b.properties.height;
  });

  const mesh = new MeshBuffer();
  const textured = new MaterialMesh(MATERIAL_COUNT);
  const rings = new RingScratch();
  const fitter = new BoxFitter();
  const box = new BoxRings();
  const bytes = [0, 0];

  /** Writes one content per level; `draw` fills both meshes for building i as feature `fid`. */
  const writeContents = async (node: QuadNode, items: readonly number[], draw: (b: PlacedBuilding, fid: number) => ArchitectureBuilding): Promise<ContentResult[]> => {
    mesh.reset();
    textured.reset();
    const tileBuildings = items.map((i, fid) => draw(buildings[i]!, fid));
    const uri = tileName(node);
    const results: ContentResult[] = [];
    const l2Box = positionsBox(mesh.positions, mesh.vertexCount);
    const l2 = buildingTileGlb(mesh, tileBuildings, boxCentre(l2Box));
    await writeFile(path.join(outDir, uri), l2);
    bytes[0] += l2.byteLength;
    results.push({ uri, box: l2Box });
    if (architectureDir) {
      const l3Box = positionsBox(textured.positions, textured.vertexCount);
      const l3 = architectureTileGlb(textured, tileBuildings, boxCentre(l3Box));
      await writeFile(path.join(architectureDir, uri), l3);
      bytes[1] += l3.byteLength;
      results.push({ uri, box: l3Box });
    }
    return results;
  };

  const polygonsOf = (b: PlacedBuilding) => (b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : b.geometry.coordinates);

  const pyramid = await writePyramid(
    {
      root: buildQuadtree(xs, ys, maxPerTile),
      score,
      height,
      proxyCount: maxPerTile,
      onLeaf: opts.onProgress,
      writeLeaf: (node, items) =>
        writeContents(node, items, (b, fid) => {
          const base = b.groundHeight;
          const roof = base + b.properties.height;
          upAt(frame, b.lon, b.lat, roof, scratchUp);
          const lod2 = architectureDir !== undefined && b.properties.surfaces !== undefined && addLod2Surfaces(textured, b.properties.surfaces, frame, b, fid);
          let roofShape: RoofShape | undefined = lod2 ? 'flat' : undefined;
          for (const polygon of polygonsOf(b)) {
            fillRings(rings, polygon, frame, base, roof);
            extrudePolygon(mesh, rings, scratchUp, fid);
            if (architectureDir && !lod2) {
              const shape = addGeneratedShell(textured, rings, b, fid);
              roofShape ??= shape;
            }
          }
          return { ...b, roofShape: roofShape ?? 'flat', lod2 };
        }),
      writeProxy: (node, items) =>
        writeContents(node, items, (b, fid) => {
          const base = b.groundHeight;
          const roof = base + b.properties.height;
          upAt(frame, b.lon, b.lat, roof, scratchUp);
          fitter.reset();
          for (const polygon of polygonsOf(b)) {
            fillRings(rings, polygon, frame, base, roof);
            fitter.add(rings);
          }
          if (fitter.fit(box)) {
            extrudePolygon(mesh, box, scratchUp, fid);
            if (architectureDir) addBoxShell(textured, box, b, fid);
          }
          return { ...b, roofShape: 'flat', lod2: false };
        }),
    },
    frame.matrix,
    GENERATOR,
  );
  for (let t = 0; t < dirs.length; t++) bytes[t] += await writeTileset(dirs[t]!, pyramid.tilesets[t]!);
  return { written: buildings.length, tiles: pyramid.contents / dirs.length, maxLevel: pyramid.maxLevel, bytes: bytes[0]!, architectureBytes: bytes[1]! };
}
