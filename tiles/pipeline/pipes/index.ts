/**
 * L4 underground networks as OGC 3D Tiles 1.1 (`<package>/pipes/tileset.json`): a quadtree over
 * the features' middles, leaves with every pipe, line, manhole and outfall of their cell, parents
 * with the largest (trunk sewers and mains first) so the network's skeleton shows from afar.
 * Tiles are written as they are made; memory holds one tile's mesh.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PIPE_NETWORKS } from '../../../domain/pipes';
import type { EnuFrame, Vec3 } from '../../../kernel/geodesy';
import { MaterialMesh } from '../architecture/materialMesh';
import { writePyramid, type ContentResult } from '../tiling/pyramid';
import { buildQuadtree, type QuadNode } from '../tiling/quadtree';
import { boxCentre, emptyTileset, positionsBox, type TilesetJson } from '../tiling/tileset';
import type { PipeFeature } from './pipeFeatures';
import { pipeTileGlb } from './pipeGlb';
import { addPipeFeature, featureAnchor } from './pipeMesh';

export const PIPES_DIR = 'pipes';
export const PIPES_TILESET_FILE = 'tileset.json';
/** Features per leaf: about 1,500 keep a tile near 1 MB. */
export const DEFAULT_PIPES_PER_TILE = 1500;
/** Features in a parent tile: the largest sections of its subtree. */
const PROXY_FEATURES = 300;
const GENERATOR = 'citytwin tiles build';

export interface PipeTilesOptions {
  features: readonly PipeFeature[];
  frame: EnuFrame;
  /** `<package>/pipes`. */
  outDir: string;
  maxPerTile?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface PipeTilesResult {
  written: number;
  tiles: number;
  bytes: number;
}

function tileName(node: QuadNode): string {
  return `tiles/${node.level}_${node.x}_${node.y}.glb`;
}

export async function buildPipeTiles(opts: PipeTilesOptions): Promise<PipeTilesResult> {
  const { features, frame, outDir } = opts;
  await mkdir(path.join(outDir, 'tiles'), { recursive: true });
  const writeTileset = async (tileset: TilesetJson): Promise<number> => {
    const json = JSON.stringify(tileset) + '\n';
    await writeFile(path.join(outDir, PIPES_TILESET_FILE), json);
    return json.length;
  };
  if (features.length === 0) return { written: 0, tiles: 0, bytes: await writeTileset(emptyTileset(frame.matrix, GENERATOR)) };

  const n = features.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const size = new Float64Array(n);
  const p: Vec3 = [0, 0, 0];
  features.forEach((f, i) => {
    featureAnchor(frame, f, p);
    xs[i] = p[0];
    ys[i] = p[1];
    // Parents keep the largest sections; drainage before the thinner utility lines of the same size.
    size[i] = f.kind === 'manhole' ? 0 : Math.max(f.widthM, f.heightM);
  });
  const mesh = new MaterialMesh(PIPE_NETWORKS.length);
  let bytes = 0;
  const write = async (node: QuadNode, items: readonly number[]): Promise<ContentResult[]> => {
    mesh.reset();
    const tileFeatures = items.map((i) => features[i]!);
    tileFeatures.forEach((f, fid) => addPipeFeature(mesh, frame, f, fid));
    const box = positionsBox(mesh.positions, mesh.vertexCount);
    const glb = pipeTileGlb(mesh, tileFeatures, boxCentre(box));
    const uri = tileName(node);
    await writeFile(path.join(outDir, uri), glb);
    bytes += glb.byteLength;
    return [{ uri, box }];
  };
  const maxPerTile = opts.maxPerTile ?? DEFAULT_PIPES_PER_TILE;
  const pyramid = await writePyramid(
    { root: buildQuadtree(xs, ys, maxPerTile), score: size, height: size, proxyCount: Math.min(maxPerTile, PROXY_FEATURES), writeLeaf: write, writeProxy: write, onLeaf: opts.onProgress },
    frame.matrix,
    GENERATOR,
  );
  bytes += await writeTileset(pyramid.tilesets[0]!);
  return { written: n, tiles: pyramid.contents, bytes };
}
