/**
 * L2 white models as OGC 3D Tiles 1.1: buildings placed on the ground are split by a quadtree
 * over their centroids, each leaf becomes one glb (extruded footprints + per-building metadata)
 * and an explicit tileset.json ties them together in the package's ENU frame.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EnuFrame, Vec3 } from '../../../domain/geo';
import type { PlacedBuilding } from '../ground';
import { buildingTileGlb, meshBounds } from './buildingGlb';
import { extrudePolygon, type FootprintRings } from './extrude';
import { MeshBuffer } from './meshBuffer';
import { buildQuadtree, quadLeaves, type QuadNode } from './quadtree';
import { buildTileset, boxJson, type LeafContent, type TilesetJson } from './tileset';

export const TILESET_FILE = 'tileset.json';
export const DEFAULT_BUILDINGS_PER_TILE = 400;

export interface BuildingTilesOptions {
  buildings: readonly PlacedBuilding[];
  /** The package's ENU frame: the tileset's root transform. */
  frame: EnuFrame;
  /** Folder for tileset.json and the tiles (`<package>/buildings`). */
  outDir: string;
  maxPerTile?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BuildingTilesResult {
  /** Buildings written into tiles. */
  written: number;
  /** glb files written (quadtree leaves). */
  tiles: number;
  /** Deepest quadtree level with content. */
  maxLevel: number;
  bytes: number;
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

/** Writes `<outDir>/tileset.json` and one glb per quadtree leaf. */
export async function buildBuildingTiles(opts: BuildingTilesOptions): Promise<BuildingTilesResult> {
  const { buildings, frame, outDir } = opts;
  const maxPerTile = opts.maxPerTile ?? DEFAULT_BUILDINGS_PER_TILE;
  await mkdir(path.join(outDir, 'tiles'), { recursive: true });

  const xs = new Float64Array(buildings.length);
  const ys = new Float64Array(buildings.length);
  buildings.forEach((b, i) => {
    frame.fromGeodetic(b.lon, b.lat, b.groundHeight, scratchVec);
    xs[i] = scratchVec[0];
    ys[i] = scratchVec[1];
  });

  if (buildings.length === 0) {
    const empty: TilesetJson = {
      asset: { version: '1.1', generator: 'citytwin tiles build' },
      geometricError: 0,
      root: { transform: frame.matrix, boundingVolume: { box: boxJson({ min: [-1, -1, -1], max: [1, 1, 1] }) }, geometricError: 0, refine: 'ADD' },
    };
    await writeFile(path.join(outDir, TILESET_FILE), JSON.stringify(empty, null, 2) + '\n');
    return { written: 0, tiles: 0, maxLevel: 0, bytes: 0 };
  }

  const root = buildQuadtree(xs, ys, maxPerTile);
  const leaves = quadLeaves(root);
  const content = new Map<QuadNode, LeafContent>();
  const mesh = new MeshBuffer();
  const rings = new RingScratch();
  let bytes = 0;
  let maxLevel = 0;
  for (let l = 0; l < leaves.length; l++) {
    const leaf = leaves[l]!;
    mesh.reset();
    let maxHeight = 0;
    const tileBuildings = leaf.items.map((i) => buildings[i]!);
    tileBuildings.forEach((b, featureId) => {
      const base = b.groundHeight;
      const roof = base + b.properties.height;
      maxHeight = Math.max(maxHeight, b.properties.height);
      upAt(frame, b.lon, b.lat, roof, scratchUp);
      const polygons = b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : b.geometry.coordinates;
      for (const polygon of polygons) {
        fillRings(rings, polygon, frame, base, roof);
        extrudePolygon(mesh, rings, scratchUp, featureId);
      }
    });
    const box = meshBounds(mesh);
    const centre = [0, 1, 2].map((k) => (box.min[k]! + box.max[k]!) / 2);
    const glb = buildingTileGlb(mesh, tileBuildings, centre);
    const uri = tileName(leaf);
    await writeFile(path.join(outDir, uri), glb);
    bytes += glb.byteLength;
    maxLevel = Math.max(maxLevel, leaf.level);
    content.set(leaf, { uri, box, maxHeight });
    opts.onProgress?.(l + 1, leaves.length);
  }

  const tileset = buildTileset(root, content, frame.matrix, 'citytwin tiles build');
  const json = JSON.stringify(tileset, null, 2) + '\n';
  await writeFile(path.join(outDir, TILESET_FILE), json);
  return { written: buildings.length, tiles: leaves.length, maxLevel, bytes: bytes + json.length };
}
