/**
 * The project's own 3D Tiles checker for tests: walks a tileset.json (and external tilesets it
 * references) and reports what breaks the spec's tree rules or this project's promises:
 *   - asset.version is 1.0 or 1.1; geometric errors are non-negative and decrease strictly
 *     from parent to child (leaves may be 0);
 *   - every child's bounding volume lies inside its parent's (boxes: all eight corners inside
 *     the parent's oriented box; regions: inside the parent's rectangle and heights);
 *   - every content URI resolves to a file; a glb's vertices (accessor min/max, node translation,
 *     and for EXT_mesh_gpu_instancing the instance translations with the mesh around them) lie
 *     inside its tile's box, in the tile's z-up frame (glTF y-up rotated as 3D Tiles does).
 * Pure reads; returns problems as text, empty when the tileset is sound.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

interface Tile {
  boundingVolume: { box?: number[]; region?: number[]; sphere?: number[] };
  geometricError: number;
  refine?: string;
  transform?: number[];
  content?: { uri: string; boundingVolume?: Tile['boundingVolume'] };
  children?: Tile[];
}

interface Tileset {
  asset: { version: string };
  geometricError: number;
  root: Tile;
}

export interface CheckSummary {
  problems: string[];
  tiles: number;
  contents: number;
  maxDepth: number;
}

/** Tolerance for containment, metres: boxes are written to the millimetre. */
const EPS_M = 1e-3;

type V3 = [number, number, number];

function boxCorners(box: readonly number[]): V3[] {
  const c: V3 = [box[0]!, box[1]!, box[2]!];
  const axes = [0, 1, 2].map((a) => [box[3 + 3 * a]!, box[4 + 3 * a]!, box[5 + 3 * a]!]);
  const out: V3[] = [];
  for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) {
    out.push([0, 1, 2].map((k) => c[k]! + sx * axes[0]![k]! + sy * axes[1]![k]! + sz * axes[2]![k]!) as V3);
  }
  return out;
}

/** True when point p lies inside the oriented box (within eps along each half-axis). */
export function pointInBox(p: readonly number[], box: readonly number[], eps = EPS_M): boolean {
  const d = [p[0]! - box[0]!, p[1]! - box[1]!, p[2]! - box[2]!];
  for (let a = 0; a < 3; a++) {
    const ax = [box[3 + 3 * a]!, box[4 + 3 * a]!, box[5 + 3 * a]!];
    const len = Math.hypot(ax[0]!, ax[1]!, ax[2]!);
    if (len === 0) {
      continue;
    }
    const proj = (d[0]! * ax[0]! + d[1]! * ax[1]! + d[2]! * ax[2]!) / len;
    if (Math.abs(proj) > len + eps) return false;
  }
  return true;
}

function volumeInside(child: Tile['boundingVolume'], parent: Tile['boundingVolume']): boolean | undefined {
  if (child.box && parent.box) return boxCorners(child.box).every((p) => pointInBox(p, parent.box!));
  if (child.region && parent.region) {
    const [w, s, e, n, lo, hi] = child.region;
    const [pw, ps, pe, pn, plo, phi] = parent.region;
    const tol = 1e-9;
    return w! >= pw! - tol && s! >= ps! - tol && e! <= pe! + tol && n! <= pn! + tol && lo! >= plo! - EPS_M && hi! <= phi! + EPS_M;
  }
  if (child.sphere && parent.sphere) {
    const d = Math.hypot(child.sphere[0]! - parent.sphere[0]!, child.sphere[1]! - parent.sphere[1]!, child.sphere[2]! - parent.sphere[2]!);
    return d + child.sphere[3]! <= parent.sphere[3]! + EPS_M;
  }
  return undefined;
}

interface GlbJson {
  nodes?: Array<{ mesh?: number; translation?: number[]; children?: number[]; extensions?: Record<string, { attributes?: Record<string, number> }> }>;
  meshes?: Array<{ primitives: Array<{ attributes: Record<string, number> }> }>;
  accessors?: Array<{ min?: number[]; max?: number[] }>;
}

function glbJson(bytes: Uint8Array): GlbJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== 0x46546c67) throw new Error('not a GLB (bad magic)');
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length))) as GlbJson;
}

/**
 * Corners of a conservative z-up box around a glb's content: every mesh's POSITION min/max moved
 * by its node's translation (top-level nodes, as this project writes) and, for instanced nodes,
 * swept over the instance translations with the mesh's horizontal reach (any yaw) and scale.
 */
export function glbContentCorners(bytes: Uint8Array): V3[] {
  const g = glbJson(bytes);
  const out: V3[] = [];
  for (const node of g.nodes ?? []) {
    if (node.mesh === undefined) continue;
    const t = node.translation ?? [0, 0, 0];
    let lo = [Infinity, Infinity, Infinity];
    let hi = [-Infinity, -Infinity, -Infinity];
    for (const prim of g.meshes![node.mesh]!.primitives) {
      const a = g.accessors![prim.attributes.POSITION!]!;
      lo = lo.map((v, k) => Math.min(v, a.min![k]!));
      hi = hi.map((v, k) => Math.max(v, a.max![k]!));
    }
    const inst = node.extensions?.EXT_mesh_gpu_instancing?.attributes;
    if (inst) {
      const tr = g.accessors![inst.TRANSLATION!]!;
      const sc = inst.SCALE !== undefined ? g.accessors![inst.SCALE]! : undefined;
      const sMax = sc?.max ? Math.max(...sc.max) : 1;
      const reach = Math.max(Math.abs(lo[0]!), Math.abs(hi[0]!), Math.abs(lo[2]!), Math.abs(hi[2]!)) * Math.SQRT2 * sMax;
      lo = [tr.min![0]! - reach, tr.min![1]! + Math.min(0, lo[1]! * sMax), tr.min![2]! - reach];
      hi = [tr.max![0]! + reach, tr.max![1]! + hi[1]! * sMax, tr.max![2]! + reach];
    }
    // glTF y-up (x, y, z) → tile z-up (x, −z, y).
    for (const x of [lo[0]!, hi[0]!]) for (const y of [lo[1]!, hi[1]!]) for (const z of [lo[2]!, hi[2]!]) out.push([x + t[0]!, -(z + t[2]!), y + t[1]!]);
  }
  return out;
}

/** Checks the tileset at `file`; content glbs are opened to check their bounds unless `contents` is false. */
export async function checkTileset(file: string, opts: { contents?: boolean } = {}): Promise<CheckSummary> {
  const summary: CheckSummary = { problems: [], tiles: 0, contents: 0, maxDepth: 0 };
  await checkFile(file, summary, opts.contents ?? true, 0);
  return summary;
}

async function checkFile(file: string, summary: CheckSummary, contents: boolean, depth: number, parentError?: number): Promise<void> {
  const ts = JSON.parse(await readFile(file, 'utf8')) as Tileset;
  const where = path.basename(file);
  if (ts.asset?.version !== '1.0' && ts.asset?.version !== '1.1') summary.problems.push(`${where}: asset.version is ${JSON.stringify(ts.asset?.version)}`);
  if (!(ts.geometricError >= 0)) summary.problems.push(`${where}: tileset geometricError ${ts.geometricError}`);
  if (parentError !== undefined && ts.geometricError > parentError) summary.problems.push(`${where}: external tileset error ${ts.geometricError} over its parent's ${parentError}`);
  if (ts.root.geometricError > ts.geometricError) summary.problems.push(`${where}: root error ${ts.root.geometricError} over the tileset's ${ts.geometricError}`);
  await checkTile(ts.root, 'root', path.dirname(file), summary, contents, depth);
}

async function checkTile(tile: Tile, name: string, dir: string, summary: CheckSummary, contents: boolean, depth: number, parent?: Tile): Promise<void> {
  summary.tiles++;
  summary.maxDepth = Math.max(summary.maxDepth, depth);
  if (!(tile.geometricError >= 0)) summary.problems.push(`${name}: geometricError ${tile.geometricError}`);
  if (parent) {
    if (!(tile.geometricError < parent.geometricError)) summary.problems.push(`${name}: geometricError ${tile.geometricError} not below its parent's ${parent.geometricError}`);
    if (!tile.transform) {
      const inside = volumeInside(tile.boundingVolume, parent.boundingVolume);
      if (inside === false) summary.problems.push(`${name}: bounding volume not inside its parent's`);
    }
  }
  if (tile.content) {
    summary.contents++;
    const target = path.join(dir, decodeURI(tile.content.uri));
    const info = await stat(target).catch(() => undefined);
    if (!info?.isFile()) summary.problems.push(`${name}: content ${tile.content.uri} does not resolve`);
    else if (target.endsWith('.json')) await checkFile(target, summary, contents, depth + 1, tile.geometricError);
    else if (contents && target.endsWith('.glb') && tile.boundingVolume.box) {
      const corners = glbContentCorners(new Uint8Array(await readFile(target)));
      const outside = corners.find((p) => !pointInBox(p, tile.boundingVolume.box!, 0.02));
      if (outside) summary.problems.push(`${name}: content ${tile.content.uri} reaches ${outside.map((v) => v.toFixed(2)).join(', ')} outside the tile's box`);
    }
  }
  const kids = tile.children ?? [];
  for (let i = 0; i < kids.length; i++) await checkTile(kids[i]!, `${name}/${i}`, dir, summary, contents, depth + 1, tile);
}
