/**
 * Writes a minimal third-party 3D Tiles 1.0 tileset, as older tools (pg2b3dm, FME, Cesium ion
 * before 1.1) publish it: tileset.json with asset.version "1.0", a region bounding volume, an
 * east-north-up root transform and one Batched 3D Model (b3dm) tile holding a single box.
 *
 * b3dm layout (3D Tiles 1.0, Batched 3D Model), little-endian:
 *   header 28 bytes: magic "b3dm", version 1, byteLength, featureTableJSONByteLength,
 *     featureTableBinaryByteLength, batchTableJSONByteLength, batchTableBinaryByteLength
 *   feature table JSON {"BATCH_LENGTH":1}, batch table JSON, then a binary glTF whose vertices
 *   carry _BATCHID. Each JSON ends on an 8-byte boundary of the file, padded with spaces.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER, GlbWriter } from '../../tiles/pipeline/gltf/glbWriter';

export interface B3dmBox {
  lon: number;
  lat: number;
  /** Ellipsoid height of the box's base, metres. */
  height: number;
  /** Edge lengths east, north and up, metres. */
  size: [number, number, number];
  /** The one feature's `name` in the batch table (what a pick reads back). */
  name: string;
  /** Linear RGBA, 0..1. */
  color: [number, number, number, number];
}

const WGS84_A = 6378137;
const WGS84_E2 = 6.69437999014e-3;
const B3DM_HEADER_BYTES = 28;

/** Column-major east-north-up frame at a point (ECEF metres), as 3D Tiles' `transform` wants it. */
export function eastNorthUpTransform(lon: number, lat: number, height: number): number[] {
  const l = (lon * Math.PI) / 180;
  const p = (lat * Math.PI) / 180;
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * Math.sin(p) ** 2);
  const x = (n + height) * Math.cos(p) * Math.cos(l);
  const y = (n + height) * Math.cos(p) * Math.sin(l);
  const z = (n * (1 - WGS84_E2) + height) * Math.sin(p);
  return [
    -Math.sin(l), Math.cos(l), 0, 0,
    -Math.sin(p) * Math.cos(l), -Math.sin(p) * Math.sin(l), Math.cos(p), 0,
    Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p), 0,
    x, y, z, 1,
  ];
}

/**
 * A box as glTF (y up, as b3dm content is): 6 faces × 4 vertices with flat normals, every
 * vertex in batch 0. East is +x, up is +y, north is −z.
 */
export function boxGlb(box: B3dmBox): Uint8Array {
  const [sx, sy, sz] = box.size;
  const [hx, hz] = [sx / 2, sy / 2];
  // Each face: normal, then four corners counter-clockwise seen from outside.
  const faces: Array<[number[], number[][]]> = [
    [[1, 0, 0], [[hx, 0, hz], [hx, 0, -hz], [hx, sz, -hz], [hx, sz, hz]]],
    [[-1, 0, 0], [[-hx, 0, -hz], [-hx, 0, hz], [-hx, sz, hz], [-hx, sz, -hz]]],
    [[0, 1, 0], [[-hx, sz, hz], [hx, sz, hz], [hx, sz, -hz], [-hx, sz, -hz]]],
    [[0, -1, 0], [[-hx, 0, -hz], [hx, 0, -hz], [hx, 0, hz], [-hx, 0, hz]]],
    [[0, 0, 1], [[-hx, 0, hz], [hx, 0, hz], [hx, sz, hz], [-hx, sz, hz]]],
    [[0, 0, -1], [[hx, 0, -hz], [-hx, 0, -hz], [-hx, sz, -hz], [hx, sz, -hz]]],
  ];
  const positions = new Float32Array(faces.flatMap(([, corners]) => corners.flat()));
  const normals = new Float32Array(faces.flatMap(([normal]) => [normal, normal, normal, normal].flat()));
  const indices = new Uint16Array(faces.flatMap((_, f) => [0, 1, 2, 0, 2, 3].map((i) => f * 4 + i)));
  const batchIds = new Float32Array(positions.length / 3);

  const writer = new GlbWriter('citytwin test b3dm');
  const position = writer.addAccessor(positions, 'VEC3', { target: ARRAY_BUFFER, minMax: true });
  const normal = writer.addAccessor(normals, 'VEC3', { target: ARRAY_BUFFER });
  const batchId = writer.addAccessor(batchIds, 'SCALAR', { target: ARRAY_BUFFER });
  const index = writer.addAccessor(indices, 'SCALAR', { target: ELEMENT_ARRAY_BUFFER });
  Object.assign(writer.gltf, {
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0 }],
    meshes: [{ primitives: [{ attributes: { POSITION: position, NORMAL: normal, _BATCHID: batchId }, indices: index, material: 0 }] }],
    materials: [{ pbrMetallicRoughness: { baseColorFactor: box.color, metallicFactor: 0, roughnessFactor: 1 } }],
  });
  return writer.toGlb();
}

/** JSON padded with spaces so that it ends `start + length` on a multiple of 8. */
function paddedJson(value: unknown, start: number): Uint8Array {
  const text = JSON.stringify(value);
  const length = Math.ceil((start + Buffer.byteLength(text)) / 8) * 8 - start;
  return new TextEncoder().encode(text.padEnd(length, ' '));
}

/** A b3dm holding `glb` as one feature whose batch table has `properties`. */
export function b3dm(glb: Uint8Array, properties: Record<string, string | number>): Uint8Array {
  const featureTable = paddedJson({ BATCH_LENGTH: 1 }, B3DM_HEADER_BYTES);
  const batchTable = paddedJson(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, [value]])),
    B3DM_HEADER_BYTES + featureTable.byteLength,
  );
  const glbStart = B3DM_HEADER_BYTES + featureTable.byteLength + batchTable.byteLength;
  const byteLength = Math.ceil((glbStart + glb.byteLength) / 8) * 8;
  const out = new Uint8Array(byteLength);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('b3dm'), 0);
  view.setUint32(4, 1, true);
  view.setUint32(8, byteLength, true);
  view.setUint32(12, featureTable.byteLength, true);
  view.setUint32(16, 0, true);
  view.setUint32(20, batchTable.byteLength, true);
  view.setUint32(24, 0, true);
  out.set(featureTable, B3DM_HEADER_BYTES);
  out.set(batchTable, B3DM_HEADER_BYTES + featureTable.byteLength);
  out.set(glb, glbStart);
  return out;
}

/** Writes tileset.json and box.b3dm into `dir` (created); returns the tileset.json path. */
export async function writeB3dmTileset(dir: string, box: B3dmBox): Promise<string> {
  await mkdir(dir, { recursive: true });
  // A region a little larger than the box: about 1e-5 rad is 64 m at the equator.
  const toRad = Math.PI / 180;
  const margin = (Math.max(box.size[0], box.size[1]) / WGS84_A) * 1.5;
  const region = [box.lon * toRad - margin, box.lat * toRad - margin, box.lon * toRad + margin, box.lat * toRad + margin, box.height - 1, box.height + box.size[2] + 1];
  const tileset = {
    asset: { version: '1.0', tilesetVersion: 'citytwin-test' },
    properties: { name: {} },
    geometricError: 200,
    root: {
      boundingVolume: { region },
      geometricError: 0,
      refine: 'ADD',
      transform: eastNorthUpTransform(box.lon, box.lat, box.height),
      content: { uri: 'box.b3dm' },
    },
  };
  await writeFile(path.join(dir, 'box.b3dm'), b3dm(boxGlb(box), { name: box.name }));
  const file = path.join(dir, 'tileset.json');
  await writeFile(file, JSON.stringify(tileset, null, 2));
  return file;
}
