/**
 * Decoder for quantized-mesh-1.0 tiles (layout in ./quantizedMesh.ts, spec in the GitHub
 * repository CesiumGS/quantized-mesh). Pure: bytes in, typed arrays out. It reads what
 * Cesium reads, the same way (zig-zag deltas, alignment padding, high-water-mark indices,
 * extensions by id), so tests can check tiles without a browser.
 */
import type { QuantizedMesh, QuantizedMeshHeader } from './quantizedMesh';
import { EXTENSION_OCT_NORMALS, EXTENSION_WATER_MASK, HEADER_BYTES, MAX_16BIT_VERTICES } from './quantizedMesh';

/** What the encoder takes, plus every extension's payload as read (indices already decoded). */
export interface DecodedQuantizedMesh extends QuantizedMesh {
  /** Extension id → payload, in file order. */
  extensions: Map<number, Uint8Array>;
}

export function decodeQuantizedMesh(bytes: Uint8Array): DecodedQuantizedMesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (pos: number, length: number, what: string) => {
    if (pos + length > bytes.byteLength) throw new Error(`quantized-mesh truncated in ${what} (needs ${pos + length} of ${bytes.byteLength} bytes)`);
  };
  need(0, HEADER_BYTES + 4, 'header');
  const f64 = (o: number) => view.getFloat64(o, true);
  const header: QuantizedMeshHeader = {
    center: [f64(0), f64(8), f64(16)],
    minHeight: view.getFloat32(24, true),
    maxHeight: view.getFloat32(28, true),
    boundingSphereCenter: [f64(32), f64(40), f64(48)],
    boundingSphereRadius: f64(56),
    horizonOcclusionPoint: [f64(64), f64(72), f64(80)],
  };
  let pos = HEADER_BYTES;
  const n = view.getUint32(pos, true);
  pos += 4;
  need(pos, 6 * n, 'vertices');
  const arrays = [new Uint16Array(n), new Uint16Array(n), new Uint16Array(n)] as const;
  for (const values of arrays) {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const z = view.getUint16(pos, true);
      pos += 2;
      value += (z >> 1) ^ -(z & 1);
      values[i] = value;
    }
  }
  const bytesPerIndex = n > MAX_16BIT_VERTICES ? 4 : 2;
  if (pos % bytesPerIndex !== 0) pos += bytesPerIndex - (pos % bytesPerIndex);
  const readIndex = (): number => {
    const value = bytesPerIndex === 2 ? view.getUint16(pos, true) : view.getUint32(pos, true);
    pos += bytesPerIndex;
    return value;
  };
  need(pos, 4, 'triangle count');
  const triangleCount = view.getUint32(pos, true);
  pos += 4;
  need(pos, triangleCount * 3 * bytesPerIndex, 'triangles');
  const indices = new Uint32Array(triangleCount * 3);
  let highest = 0;
  for (let i = 0; i < indices.length; i++) {
    const code = readIndex();
    indices[i] = highest - code;
    if (code === 0) highest++;
  }
  const edge = (what: string): Uint32Array => {
    need(pos, 4, what);
    const count = view.getUint32(pos, true);
    pos += 4;
    need(pos, count * bytesPerIndex, what);
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) out[i] = readIndex();
    return out;
  };
  const westIndices = edge('west edge');
  const southIndices = edge('south edge');
  const eastIndices = edge('east edge');
  const northIndices = edge('north edge');

  const extensions = new Map<number, Uint8Array>();
  while (pos < bytes.byteLength) {
    need(pos, 5, 'extension header');
    const id = view.getUint8(pos);
    const length = view.getUint32(pos + 1, true);
    pos += 5;
    need(pos, length, `extension ${id}`);
    extensions.set(id, bytes.subarray(pos, pos + length));
    pos += length;
  }
  return {
    header,
    u: arrays[0],
    v: arrays[1],
    height: arrays[2],
    indices,
    westIndices,
    southIndices,
    eastIndices,
    northIndices,
    extensions,
    octNormals: extensions.get(EXTENSION_OCT_NORMALS),
    waterMask: extensions.get(EXTENSION_WATER_MASK),
  };
}
