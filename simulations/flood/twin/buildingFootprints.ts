/**
 * Building footprints as grid obstacles, from the twin package's L2 building tiles: the package
 * keeps no footprint polygons, but every building tile (glTF 2.0 binary, see
 * tiles/pipeline/buildings/buildingGlb.ts) holds the extruded mesh with one feature id per vertex
 * (EXT_mesh_features) and the building ids in a property table (EXT_structural_metadata).
 * Roofs seen from above cover the footprint exactly and walls project to lines, so marking the
 * cells whose centres fall inside any triangle's ground projection rasterises the footprints.
 *
 * GLB layout (glTF 2.0 spec, "Binary glTF Layout"): a 12-byte header (magic, version, length),
 * then chunks of [uint32 length, uint32 type, bytes]: JSON first, then BIN.
 */

export interface GroundGrid {
  ncols: number;
  nrows: number;
  /** Lower-left corner and cell size in the grid's CRS. */
  xll: number;
  yll: number;
  cellSize: number;
}

/** Maps a tile's local (east, north) metres to the grid's CRS x, y (an affine fit). */
export type EnuToGrid = (east: number, north: number) => [number, number];

export interface FootprintRaster {
  /** Per cell, the index into `buildingIds` of the building covering it, or −1. */
  buildingOf: Int32Array;
  buildingIds: string[];
}

const GLB_MAGIC = 0x46546c67;
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

interface GltfJson {
  bufferViews: Array<{ byteOffset?: number; byteLength: number; byteStride?: number }>;
  accessors: Array<{ bufferView: number; byteOffset?: number; componentType: number; count: number; type: string }>;
  meshes: Array<{ primitives: Array<{ attributes: Record<string, number>; indices?: number; mode?: number }> }>;
  nodes: Array<{ mesh?: number; translation?: [number, number, number] }>;
  extensions?: { EXT_structural_metadata?: { propertyTables?: Array<{ properties: Record<string, { values: number; stringOffsets?: number }> }> } };
}

function parseGlb(bytes: Uint8Array, source: string): { json: GltfJson; bin: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || view.getUint32(0, true) !== GLB_MAGIC) throw new Error(`${source}: not a GLB file`);
  let offset = 12;
  let json: GltfJson | undefined;
  let bin: Uint8Array | undefined;
  while (offset + 8 <= bytes.byteLength) {
    const length = view.getUint32(offset, true);
    const type = view.getUint32(offset + 4, true);
    const chunk = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === CHUNK_JSON) json = JSON.parse(new TextDecoder().decode(chunk)) as GltfJson;
    else if (type === CHUNK_BIN) bin = chunk;
    offset += 8 + length;
  }
  if (!json || !bin) throw new Error(`${source}: GLB without a JSON or BIN chunk`);
  return { json, bin };
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };

/** An accessor's values as numbers (float32, uint8/16/32), tightly packed. */
function readAccessor(json: GltfJson, bin: Uint8Array, index: number, source: string): ArrayLike<number> {
  const a = json.accessors[index];
  if (!a) throw new Error(`${source}: accessor ${index} is missing`);
  const bv = json.bufferViews[a.bufferView]!;
  const start = bin.byteOffset + (bv.byteOffset ?? 0) + (a.byteOffset ?? 0);
  const n = a.count * (COMPONENTS[a.type] ?? 1);
  if (bv.byteStride) throw new Error(`${source}: interleaved accessors are not supported`);
  // Copy first: typed-array views need aligned offsets, and GLB chunks only promise 4 bytes.
  const copy = (size: number): ArrayBuffer => bin.buffer.slice(start, start + n * size) as ArrayBuffer;
  switch (a.componentType) {
    case 5126:
      return new Float32Array(copy(4));
    case 5125:
      return new Uint32Array(copy(4));
    case 5123:
      return new Uint16Array(copy(2));
    case 5121:
      return new Uint8Array(copy(1));
    default:
      throw new Error(`${source}: accessor component type ${a.componentType} is not supported`);
  }
}

/** The `id` strings of the first property table. */
function featureIds(json: GltfJson, bin: Uint8Array, source: string): string[] {
  const idProperty = json.extensions?.EXT_structural_metadata?.propertyTables?.[0]?.properties.id;
  if (!idProperty || idProperty.stringOffsets === undefined) throw new Error(`${source}: no building id property table`);
  const bv = json.bufferViews[idProperty.values]!;
  const values = bin.subarray(bv.byteOffset ?? 0, (bv.byteOffset ?? 0) + bv.byteLength);
  const ov = json.bufferViews[idProperty.stringOffsets]!;
  const offsets = new DataView(bin.buffer, bin.byteOffset + (ov.byteOffset ?? 0), ov.byteLength);
  const decoder = new TextDecoder();
  const ids: string[] = [];
  for (let k = 0; k + 1 < ov.byteLength / 4; k++) ids.push(decoder.decode(values.subarray(offsets.getUint32(k * 4, true), offsets.getUint32(k * 4 + 4, true))));
  return ids;
}

/** Marks the cells under one triangle (x, y in grid CRS) with `value`. */
function fillTriangle(grid: GroundGrid, out: Int32Array, x: number[], y: number[], value: number): void {
  const area = (x[1]! - x[0]!) * (y[2]! - y[0]!) - (x[2]! - x[0]!) * (y[1]! - y[0]!);
  // Walls project to (near) lines: nothing to fill.
  if (Math.abs(area) < 1e-6) return;
  const { ncols, nrows, xll, cellSize } = grid;
  const ytop = grid.yll + nrows * cellSize;
  const c0 = Math.max(0, Math.floor((Math.min(...x) - xll) / cellSize - 0.5));
  const c1 = Math.min(ncols - 1, Math.ceil((Math.max(...x) - xll) / cellSize - 0.5));
  const r0 = Math.max(0, Math.floor((ytop - Math.max(...y)) / cellSize - 0.5));
  const r1 = Math.min(nrows - 1, Math.ceil((ytop - Math.min(...y)) / cellSize - 0.5));
  const sign = area > 0 ? 1 : -1;
  for (let r = r0; r <= r1; r++) {
    const py = ytop - (r + 0.5) * cellSize;
    for (let c = c0; c <= c1; c++) {
      const px = xll + (c + 0.5) * cellSize;
      let inside = true;
      for (let e = 0; e < 3 && inside; e++) {
        const a = e;
        const b = (e + 1) % 3;
        const cross = (x[b]! - x[a]!) * (py - y[a]!) - (y[b]! - y[a]!) * (px - x[a]!);
        if (cross * sign < 0) inside = false;
      }
      if (inside) out[r * ncols + c] = value;
    }
  }
}

/**
 * Rasterises the buildings of GLB tiles onto `grid`. Vertices are (east, up, −north) relative to
 * the node's translation; `toGrid` maps (east, north) in the tileset's ENU frame to the grid.
 */
export function rasteriseBuildingTiles(tiles: ReadonlyArray<{ bytes: Uint8Array; source: string }>, grid: GroundGrid, toGrid: EnuToGrid): FootprintRaster {
  const buildingOf = new Int32Array(grid.ncols * grid.nrows).fill(-1);
  const buildingIds: string[] = [];
  const indexOf = new Map<string, number>();
  const tx: number[] = [0, 0, 0];
  const ty: number[] = [0, 0, 0];
  for (const { bytes, source } of tiles) {
    const { json, bin } = parseGlb(bytes, source);
    const ids = featureIds(json, bin, source);
    const local = ids.map((id) => {
      let k = indexOf.get(id);
      if (k === undefined) {
        k = buildingIds.push(id) - 1;
        indexOf.set(id, k);
      }
      return k;
    });
    for (const node of json.nodes) {
      if (node.mesh === undefined) continue;
      const [ox, , oz] = node.translation ?? [0, 0, 0];
      for (const prim of json.meshes[node.mesh]!.primitives) {
        if ((prim.mode ?? 4) !== 4 || prim.attributes.POSITION === undefined || prim.attributes._FEATURE_ID_0 === undefined) continue;
        const pos = readAccessor(json, bin, prim.attributes.POSITION, source);
        const fid = readAccessor(json, bin, prim.attributes._FEATURE_ID_0, source);
        const count = pos.length / 3;
        const idx = prim.indices !== undefined ? readAccessor(json, bin, prim.indices, source) : Uint32Array.from({ length: count }, (_, i) => i);
        for (let t = 0; t + 2 < idx.length; t += 3) {
          for (let k = 0; k < 3; k++) {
            const v = idx[t + k]!;
            [tx[k], ty[k]] = toGrid(pos[v * 3]! + ox, -(pos[v * 3 + 2]! + oz));
          }
          const building = local[fid[idx[t]!]!];
          if (building !== undefined) fillTriangle(grid, buildingOf, tx, ty, building);
        }
      }
    }
  }
  return { buildingOf, buildingIds };
}
