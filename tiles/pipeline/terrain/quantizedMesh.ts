/**
 * Encoder for Cesium quantized-mesh-1.0 terrain tiles, and the header math it needs.
 *
 * Spec: the CesiumGS/quantized-mesh repository on GitHub (README.md: tile layout and extensions;
 * SPECIFICATION.md: layer.json). Reader this must satisfy: CesiumJS
 * `CesiumTerrainProvider` → `createQuantizedMeshTerrainData` (@cesium/engine, Core/).
 *
 * Byte layout of one tile, little-endian throughout (offsets for a tile with n vertices):
 *
 *   0    f64 ×3  CenterX/Y/Z               ECEF metres; Cesium's relative-to-centre origin
 *   24   f32     MinimumHeight             metres above the ellipsoid
 *   28   f32     MaximumHeight
 *   32   f64 ×4  BoundingSphere X/Y/Z, radius   ECEF
 *   64   f64 ×3  HorizonOcclusionPoint     ellipsoid-scaled ECEF (x/a, y/a, z/b)
 *   88   u32     vertexCount n
 *   92   u16 ×n  u       zig-zag deltas; 0 = west edge, 32767 = east edge
 *        u16 ×n  v       zig-zag deltas; 0 = south edge, 32767 = north edge
 *        u16 ×n  height  zig-zag deltas; 0 = MinimumHeight, 32767 = MaximumHeight
 *        pad     to 2-byte (16-bit indices) or 4-byte (32-bit indices, n > 65536) alignment
 *        u32     triangleCount t
 *        u16|u32 ×3t  triangle indices, high-water-mark encoded, counter-clockwise
 *        u32 + u16|u32 ×k   west edge vertex indices     (then south, east, north alike)
 *        extensions, each: u8 id, u32 byteLength, payload
 *          id 1 oct-encoded vertex normals: u8 ×2n
 *          id 2 water mask: u8 ×1 (0 all land, 255 all water) or u8 ×256×256, rows north→south
 *
 * The encoder takes vertices in any order and renumbers them by first use in the triangle
 * list, which is the order high-water-mark encoding requires.
 */
import { WGS84_A, WGS84_B, type Vec3 } from '../../../kernel/geodesy';

export const QUANTIZED_MAX = 32767;
export const HEADER_BYTES = 88;
export const EXTENSION_OCT_NORMALS = 1;
export const EXTENSION_WATER_MASK = 2;
export const WATER_MASK_SIZE = 256;
/** Above this vertex count the spec switches to 32-bit indices (Cesium: `vertexCount > 64 * 1024`). */
export const MAX_16BIT_VERTICES = 65536;

export interface QuantizedMeshHeader {
  center: Vec3;
  minHeight: number;
  maxHeight: number;
  boundingSphereCenter: Vec3;
  boundingSphereRadius: number;
  horizonOcclusionPoint: Vec3;
}

/** A tile mesh with vertices already quantised to 0…32767 on each axis. */
export interface QuantizedMesh {
  header: QuantizedMeshHeader;
  u: Uint16Array;
  v: Uint16Array;
  height: Uint16Array;
  /** Triangles as vertex index triples, counter-clockwise seen from above. */
  indices: Uint32Array;
  westIndices: Uint32Array;
  southIndices: Uint32Array;
  eastIndices: Uint32Array;
  northIndices: Uint32Array;
  /** Two oct-encoded bytes per vertex (extension 1), or absent. */
  octNormals?: Uint8Array;
  /** 1 or 256 × 256 bytes (extension 2), or absent. */
  waterMask?: Uint8Array;
}

/** Zig-zag maps small signed deltas to small unsigned values: 0, −1, 1, −2 … → 0, 1, 2, 3 … */
export function zigZagEncode(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

export function encodeQuantizedMesh(mesh: QuantizedMesh): Uint8Array {
  const n = mesh.u.length;
  if (mesh.v.length !== n || mesh.height.length !== n) throw new Error('u, v and height must have one value per vertex');
  if (mesh.indices.length % 3 !== 0) throw new Error('indices must come in triples');
  if (mesh.octNormals && mesh.octNormals.length !== 2 * n) throw new Error('octNormals must have two bytes per vertex');
  if (mesh.waterMask && mesh.waterMask.length !== 1 && mesh.waterMask.length !== WATER_MASK_SIZE * WATER_MASK_SIZE) {
    throw new Error('waterMask must be 1 or 256 × 256 bytes');
  }
  const { newIndex, oldIndex } = renumberByFirstUse(mesh.indices, n);

  const bytesPerIndex = n > MAX_16BIT_VERTICES ? 4 : 2;
  const edges = [mesh.westIndices, mesh.southIndices, mesh.eastIndices, mesh.northIndices];
  let size = HEADER_BYTES + 4 + 6 * n;
  size += (bytesPerIndex - (size % bytesPerIndex)) % bytesPerIndex;
  size += 4 + mesh.indices.length * bytesPerIndex;
  for (const edge of edges) size += 4 + edge.length * bytesPerIndex;
  if (mesh.octNormals) size += 5 + 2 * n;
  if (mesh.waterMask) size += 5 + mesh.waterMask.length;

  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let pos = 0;
  const f64 = (x: number) => {
    view.setFloat64(pos, x, true);
    pos += 8;
  };
  const h = mesh.header;
  f64(h.center[0]);
  f64(h.center[1]);
  f64(h.center[2]);
  view.setFloat32(pos, h.minHeight, true);
  view.setFloat32(pos + 4, h.maxHeight, true);
  pos += 8;
  f64(h.boundingSphereCenter[0]);
  f64(h.boundingSphereCenter[1]);
  f64(h.boundingSphereCenter[2]);
  f64(h.boundingSphereRadius);
  f64(h.horizonOcclusionPoint[0]);
  f64(h.horizonOcclusionPoint[1]);
  f64(h.horizonOcclusionPoint[2]);

  view.setUint32(pos, n, true);
  pos += 4;
  for (const values of [mesh.u, mesh.v, mesh.height]) {
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const value = values[oldIndex[i]!]!;
      view.setUint16(pos, zigZagEncode(value - previous), true);
      pos += 2;
      previous = value;
    }
  }
  pos += (bytesPerIndex - (pos % bytesPerIndex)) % bytesPerIndex;

  const writeIndex =
    bytesPerIndex === 2
      ? (value: number) => {
          view.setUint16(pos, value, true);
          pos += 2;
        }
      : (value: number) => {
          view.setUint32(pos, value, true);
          pos += 4;
        };
  view.setUint32(pos, mesh.indices.length / 3, true);
  pos += 4;
  // High-water mark: each index is written as (highest index seen so far + 1) − index, so a
  // vertex used for the first time is a 0 and the stream compresses well.
  let highest = 0;
  for (let i = 0; i < mesh.indices.length; i++) {
    const index = newIndex[mesh.indices[i]!]!;
    writeIndex(highest - index);
    if (index === highest) highest++;
  }
  for (const edge of edges) {
    view.setUint32(pos, edge.length, true);
    pos += 4;
    for (let i = 0; i < edge.length; i++) writeIndex(newIndex[edge[i]!]!);
  }

  if (mesh.octNormals) {
    view.setUint8(pos, EXTENSION_OCT_NORMALS);
    view.setUint32(pos + 1, 2 * n, true);
    pos += 5;
    for (let i = 0; i < n; i++) {
      bytes[pos++] = mesh.octNormals[2 * oldIndex[i]!]!;
      bytes[pos++] = mesh.octNormals[2 * oldIndex[i]! + 1]!;
    }
  }
  if (mesh.waterMask) {
    view.setUint8(pos, EXTENSION_WATER_MASK);
    view.setUint32(pos + 1, mesh.waterMask.length, true);
    pos += 5;
    bytes.set(mesh.waterMask, pos);
    pos += mesh.waterMask.length;
  }
  if (pos !== size) throw new Error(`quantized-mesh size mismatch: wrote ${pos} of ${size} bytes`);
  return bytes;
}

/**
 * Vertex order for high-water-mark coding: the order in which triangles first use each vertex.
 * Vertices no triangle uses keep their relative order at the end.
 */
function renumberByFirstUse(indices: Uint32Array, n: number): { newIndex: Uint32Array; oldIndex: Uint32Array } {
  const unset = 0xffffffff;
  const newIndex = new Uint32Array(n).fill(unset);
  const oldIndex = new Uint32Array(n);
  let next = 0;
  for (let i = 0; i < indices.length; i++) {
    const old = indices[i]!;
    if (old >= n) throw new Error(`triangle index ${old} is out of range (${n} vertices)`);
    if (newIndex[old] === unset) {
      newIndex[old] = next;
      oldIndex[next++] = old;
    }
  }
  for (let old = 0; old < n; old++) {
    if (newIndex[old] === unset) {
      newIndex[old] = next;
      oldIndex[next++] = old;
    }
  }
  return { newIndex, oldIndex };
}

/**
 * Oct-encodes a unit vector into two bytes (Cigolle et al. 2014, "A Survey of Efficient
 * Representations for Independent Unit Vectors", JCGT 3(2)): project onto the octahedron
 * |x|+|y|+|z| = 1, fold the lower half over the upper, and store x, y as 8-bit SNORM.
 */
export function octEncode(x: number, y: number, z: number, out: Uint8Array, offset: number): void {
  const l1 = Math.abs(x) + Math.abs(y) + Math.abs(z);
  let ox = x / l1;
  let oy = y / l1;
  if (z < 0) {
    const fx = ox;
    ox = (1 - Math.abs(oy)) * (fx >= 0 ? 1 : -1);
    oy = (1 - Math.abs(fx)) * (oy >= 0 ? 1 : -1);
  }
  out[offset] = Math.round((Math.min(Math.max(ox, -1), 1) * 0.5 + 0.5) * 255);
  out[offset + 1] = Math.round((Math.min(Math.max(oy, -1), 1) * 0.5 + 0.5) * 255);
}

/** Inverse of `octEncode`, normalised. */
export function octDecode(ex: number, ey: number, out: Vec3 = [0, 0, 0]): Vec3 {
  let x = (ex / 255) * 2 - 1;
  let y = (ey / 255) * 2 - 1;
  const z = 1 - (Math.abs(x) + Math.abs(y));
  if (z < 0) {
    const fx = x;
    x = (1 - Math.abs(y)) * (fx >= 0 ? 1 : -1);
    y = (1 - Math.abs(fx)) * (y >= 0 ? 1 : -1);
  }
  const len = Math.hypot(x, y, z);
  out[0] = x / len;
  out[1] = y / len;
  out[2] = z / len;
  return out;
}

export interface Sphere {
  center: Vec3;
  radius: number;
}

/**
 * A sphere around `count` points (xyz triples): the smaller of the box-centred sphere and
 * Ritter's sphere, the same two candidates Cesium's BoundingSphere.fromPoints weighs.
 */
export function boundingSphere(points: Float64Array, count: number, out: Sphere): Sphere {
  if (count === 0) throw new Error('boundingSphere needs at least one point');
  let minX = Infinity, minY = Infinity, minZ = Infinity;
  let maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = points[3 * i]!, y = points[3 * i + 1]!, z = points[3 * i + 2]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  const bx = (minX + maxX) / 2, by = (minY + maxY) / 2, bz = (minZ + maxZ) / 2;
  let boxR2 = 0;
  for (let i = 0; i < count; i++) {
    const d2 = (points[3 * i]! - bx) ** 2 + (points[3 * i + 1]! - by) ** 2 + (points[3 * i + 2]! - bz) ** 2;
    if (d2 > boxR2) boxR2 = d2;
  }

  // Ritter: start from the two points farthest apart along the longest box axis, then grow.
  const axis = maxX - minX >= maxY - minY && maxX - minX >= maxZ - minZ ? 0 : maxY - minY >= maxZ - minZ ? 1 : 2;
  let lo = 0, hi = 0;
  for (let i = 1; i < count; i++) {
    if (points[3 * i + axis]! < points[3 * lo + axis]!) lo = i;
    if (points[3 * i + axis]! > points[3 * hi + axis]!) hi = i;
  }
  let cx = (points[3 * lo]! + points[3 * hi]!) / 2;
  let cy = (points[3 * lo + 1]! + points[3 * hi + 1]!) / 2;
  let cz = (points[3 * lo + 2]! + points[3 * hi + 2]!) / 2;
  let r = Math.hypot(points[3 * hi]! - cx, points[3 * hi + 1]! - cy, points[3 * hi + 2]! - cz);
  for (let i = 0; i < count; i++) {
    const dx = points[3 * i]! - cx, dy = points[3 * i + 1]! - cy, dz = points[3 * i + 2]! - cz;
    const d = Math.hypot(dx, dy, dz);
    if (d > r) {
      const newR = (r + d) / 2;
      const shift = (newR - r) / d;
      cx += dx * shift;
      cy += dy * shift;
      cz += dz * shift;
      r = newR;
    }
  }
  // Growing moves the centre in floating point; a last pass makes containment exact.
  let ritterR2 = 0;
  for (let i = 0; i < count; i++) {
    const d2 = (points[3 * i]! - cx) ** 2 + (points[3 * i + 1]! - cy) ** 2 + (points[3 * i + 2]! - cz) ** 2;
    if (d2 > ritterR2) ritterR2 = d2;
  }
  if (ritterR2 < boxR2) {
    out.center[0] = cx;
    out.center[1] = cy;
    out.center[2] = cz;
    out.radius = Math.sqrt(ritterR2);
  } else {
    out.center[0] = bx;
    out.center[1] = by;
    out.center[2] = bz;
    out.radius = Math.sqrt(boxR2);
  }
  return out;
}

/**
 * Scaled-space magnitude used when no finite horizon point exists (a tile spanning a hemisphere,
 * as the level-0 tiles do). The point then sits 10⁴ Earth radii out along the tile's axis: it is
 * behind the horizon only when the camera looks at the far side of the globe, from where such a
 * tile's zero-height rim is at or below the horizon too. Cesium's own occluder gives up there
 * (returns undefined: no horizon culling), which the binary format cannot say.
 */
export const FAR_HORIZON_MAGNITUDE = 1e4;

/**
 * Horizon occlusion point for ECEF points (Cesium's blog "Horizon culling", 2013): a point in
 * ellipsoid-scaled space along `direction` such that if it is below the horizon, all the points
 * are. For each point the needed distance along the direction is 1 / cos(α + β), with α the angle
 * between the point and the direction and β the angle of the point's tangent cone; the answer is
 * the largest of these.
 */
export function horizonOcclusionPoint(points: Float64Array, count: number, direction: Vec3, out: Vec3): Vec3 {
  let dx = direction[0] / WGS84_A;
  let dy = direction[1] / WGS84_A;
  let dz = direction[2] / WGS84_B;
  const dLen = Math.hypot(dx, dy, dz);
  dx /= dLen;
  dy /= dLen;
  dz /= dLen;
  let magnitude = 0;
  for (let i = 0; i < count; i++) {
    const px = points[3 * i]! / WGS84_A;
    const py = points[3 * i + 1]! / WGS84_A;
    const pz = points[3 * i + 2]! / WGS84_B;
    const len = Math.hypot(px, py, pz);
    // Points under the ellipsoid count as on it, as in Cesium: they hide no more than that.
    const clamped = Math.max(1, len);
    const cosA = (px * dx + py * dy + pz * dz) / len;
    const sinA = Math.sqrt(Math.max(0, 1 - cosA * cosA));
    const cosB = 1 / clamped;
    const sinB = Math.sqrt(clamped * clamped - 1) * cosB;
    const cosSum = cosA * cosB - sinA * sinB;
    // cos(α + β) ≤ 0: the point is at or past 90° from the direction; nothing finite works.
    if (!(cosSum > 1 / FAR_HORIZON_MAGNITUDE)) {
      magnitude = FAR_HORIZON_MAGNITUDE;
      break;
    }
    magnitude = Math.max(magnitude, 1 / cosSum);
  }
  out[0] = dx * magnitude;
  out[1] = dy * magnitude;
  out[2] = dz * magnitude;
  return out;
}
