/**
 * L4 urban components as OGC 3D Tiles 1.1 with instanced glTF content: a quadtree over the
 * instances, leaves with all their instances, parents with the tallest of their subtree (poles
 * and signals stay visible from afar, covers appear close up), written tile by tile.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EnuFrame, Vec3 } from '../../../kernel/geodesy';
import { writePyramid, type ContentResult } from '../tiling/pyramid';
import { buildQuadtree, type QuadNode } from '../tiling/quadtree';
import { boxCentre, emptyBox, emptyTileset, extendBox, type TilesetJson } from '../tiling/tileset';
import { componentTileGlb, modelExtent, type ComponentInstance, type InstanceColumns } from './componentGlb';

export const COMPONENTS_TILESET_FILE = 'tileset.json';
/** Instances per leaf: a few thousand keep a tile around 100–200 kB. */
export const DEFAULT_INSTANCES_PER_TILE = 4096;
const GENERATOR = 'citytwin tiles build';

export interface ComponentTilesOptions {
  instances: readonly ComponentInstance[];
  frame: EnuFrame;
  /** `<package>/components`. */
  outDir: string;
  maxPerTile?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ComponentTilesResult {
  written: number;
  tiles: number;
  bytes: number;
}

function tileName(node: QuadNode): string {
  return `tiles/${node.level}_${node.x}_${node.y}.glb`;
}

/**
 * Bounds of instances `items`, per model the box a reader can rebuild from the glb's accessor
 * bounds alone: instance origins' range, widened by the model's reach and extent at the largest
 * scale any of them has (conservative: the tallest pole's scale on the lowest ground).
 */
function instancesBox(columns: InstanceColumns, items: readonly number[]): ContentResult['box'] {
  const groups = new Map<ComponentInstance['model'], { lo: number[]; hi: number[]; scale: number }>();
  for (const i of items) {
    const inst = columns.instances[i]!;
    let g = groups.get(inst.model);
    if (!g) groups.set(inst.model, (g = { lo: [Infinity, Infinity, Infinity], hi: [-Infinity, -Infinity, -Infinity], scale: 1 }));
    const p = [columns.enu[3 * i]!, columns.enu[3 * i + 1]!, columns.enu[3 * i + 2]! + inst.mountM];
    for (let k = 0; k < 3; k++) {
      g.lo[k] = Math.min(g.lo[k]!, p[k]!);
      g.hi[k] = Math.max(g.hi[k]!, p[k]!);
    }
    g.scale = Math.max(g.scale, inst.scaleY);
  }
  const box = emptyBox();
  for (const [model, g] of groups) {
    const ext = modelExtent(model);
    const reach = ext.radius * g.scale;
    extendBox(box, g.lo[0]! - reach, g.lo[1]! - reach, g.lo[2]! + Math.min(0, ext.minY * g.scale));
    extendBox(box, g.hi[0]! + reach, g.hi[1]! + reach, g.hi[2]! + ext.maxY * g.scale);
  }
  return box;
}

export async function buildComponentTiles(opts: ComponentTilesOptions): Promise<ComponentTilesResult> {
  const { instances, frame, outDir } = opts;
  await mkdir(path.join(outDir, 'tiles'), { recursive: true });
  const writeTileset = async (tileset: TilesetJson): Promise<number> => {
    const json = JSON.stringify(tileset) + '\n';
    await writeFile(path.join(outDir, COMPONENTS_TILESET_FILE), json);
    return json.length;
  };
  if (instances.length === 0) return { written: 0, tiles: 0, bytes: await writeTileset(emptyTileset(frame.matrix, GENERATOR)) };

  const n = instances.length;
  const enu = new Float64Array(3 * n);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const height = new Float64Array(n);
  const p: Vec3 = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const inst = instances[i]!;
    frame.fromGeodetic(inst.lon, inst.lat, inst.groundHeight, p);
    enu[3 * i] = xs[i] = p[0];
    enu[3 * i + 1] = ys[i] = p[1];
    enu[3 * i + 2] = p[2];
    height[i] = inst.mountM + modelExtent(inst.model).maxY * inst.scaleY;
  }
  const columns: InstanceColumns = { instances, enu };
  let bytes = 0;
  const write = async (node: QuadNode, items: readonly number[]): Promise<ContentResult[]> => {
    const box = instancesBox(columns, items);
    const glb = componentTileGlb(columns, items, boxCentre(box));
    const uri = tileName(node);
    await writeFile(path.join(outDir, uri), glb);
    bytes += glb.byteLength;
    return [{ uri, box }];
  };
  const maxPerTile = opts.maxPerTile ?? DEFAULT_INSTANCES_PER_TILE;
  const pyramid = await writePyramid(
    { root: buildQuadtree(xs, ys, maxPerTile), score: height, height, proxyCount: maxPerTile, writeLeaf: write, writeProxy: write, onLeaf: opts.onProgress },
    frame.matrix,
    GENERATOR,
  );
  bytes += await writeTileset(pyramid.tilesets[0]!);
  return { written: n, tiles: pyramid.contents, bytes };
}
