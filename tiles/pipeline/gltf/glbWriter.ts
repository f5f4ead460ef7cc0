/**
 * A small glTF 2.0 binary (GLB) writer: one buffer, bufferViews and accessors added from typed
 * arrays, JSON assembled by the caller.
 *
 * GLB layout (glTF 2.0 §4.4), little-endian:
 *   header   12 bytes   magic "glTF" (0x46546C67), version 2, total length
 *   chunk 0   8 bytes   JSON length, type "JSON" (0x4E4F534A); then the JSON, padded with spaces
 *   chunk 1   8 bytes   BIN length, type "BIN\0" (0x004E4942); then the buffer, padded with zeros
 * glTF needs 4-byte aligned chunks; EXT_structural_metadata asks for 8, so that 64-bit property
 * values can be read in place. Here the JSON chunk ends on an 8-byte file offset, the BIN data
 * starts on one, and every bufferView starts on a multiple of 8 inside it.
 */

export const ARRAY_BUFFER = 34962;
export const ELEMENT_ARRAY_BUFFER = 34963;

export const UNSIGNED_BYTE = 5121;
export const UNSIGNED_SHORT = 5123;
export const UNSIGNED_INT = 5125;
export const FLOAT = 5126;

export type AccessorType = 'SCALAR' | 'VEC2' | 'VEC3' | 'VEC4';
const COMPONENTS: Record<AccessorType, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };

export type AccessorData = Float32Array | Uint32Array | Uint16Array | Uint8Array;

export interface GltfBufferView {
  buffer: number;
  byteOffset: number;
  byteLength: number;
  byteStride?: number;
  target?: number;
}

export interface GltfAccessor {
  bufferView: number;
  byteOffset?: number;
  componentType: number;
  normalized?: boolean;
  count: number;
  type: AccessorType;
  min?: number[];
  max?: number[];
}

export interface GltfPrimitive {
  attributes: Record<string, number>;
  indices?: number;
  material?: number;
  mode?: number;
  extensions?: Record<string, unknown>;
}

export interface GltfMaterial {
  name?: string;
  pbrMetallicRoughness?: {
    baseColorFactor?: number[];
    baseColorTexture?: { index: number; texCoord?: number };
    metallicFactor?: number;
    roughnessFactor?: number;
  };
  emissiveFactor?: number[];
  alphaMode?: 'OPAQUE' | 'MASK' | 'BLEND';
  doubleSided?: boolean;
}

export interface GltfNode {
  name?: string;
  mesh?: number;
  translation?: number[];
  children?: number[];
  extensions?: Record<string, unknown>;
}

/** Images are stored in the buffer (bufferView + mimeType): a glb with no external files. */
export interface GltfImage {
  bufferView: number;
  mimeType: 'image/png';
}

export interface GltfSampler {
  magFilter?: number;
  minFilter?: number;
  wrapS?: number;
  wrapT?: number;
}

/** The parts of a glTF document this project writes; add fields as later levels need them. */
export interface GltfDocument {
  asset: { version: '2.0'; generator?: string; copyright?: string };
  scene?: number;
  scenes?: Array<{ nodes: number[]; extras?: Record<string, unknown> }>;
  nodes?: GltfNode[];
  meshes?: Array<{ name?: string; primitives: GltfPrimitive[] }>;
  materials?: GltfMaterial[];
  textures?: Array<{ sampler?: number; source: number }>;
  images?: GltfImage[];
  samplers?: GltfSampler[];
  accessors?: GltfAccessor[];
  bufferViews?: GltfBufferView[];
  buffers?: Array<{ byteLength: number }>;
  extensionsUsed?: string[];
  extensionsRequired?: string[];
  extensions?: Record<string, unknown>;
}

const GLB_MAGIC = 0x46546c67;
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;
const GLB_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const ALIGN = 8;

function componentTypeOf(data: AccessorData): number {
  if (data instanceof Float32Array) return FLOAT;
  if (data instanceof Uint32Array) return UNSIGNED_INT;
  if (data instanceof Uint16Array) return UNSIGNED_SHORT;
  return UNSIGNED_BYTE;
}

function padTo(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/**
 * Per-component min and max of `data` (n components per element). One pass per component over
 * a plain number view keeps the loop monomorphic: it runs over every vertex of every tile.
 */
function componentBounds(data: AccessorData, n: number): { min: number[]; max: number[] } {
  const min: number[] = [];
  const max: number[] = [];
  const values: ArrayLike<number> = data;
  for (let c = 0; c < n; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = c; i < values.length; i += n) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min.push(lo);
    max.push(hi);
  }
  return { min, max };
}

export class GlbWriter {
  readonly gltf: GltfDocument;
  private readonly parts: Uint8Array[] = [];
  private binLength = 0;

  constructor(generator = 'citytwin') {
    this.gltf = { asset: { version: '2.0', generator } };
  }

  /** Appends bytes as a new bufferView starting on an 8-byte boundary; returns its index. */
  addBufferView(data: ArrayBufferView, options: { target?: number; byteStride?: number } = {}): number {
    if (data.byteLength === 0) throw new RangeError('a bufferView cannot be empty');
    const byteOffset = padTo(this.binLength, ALIGN);
    if (byteOffset > this.binLength) this.parts.push(new Uint8Array(byteOffset - this.binLength));
    this.parts.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.binLength = byteOffset + data.byteLength;
    const view: GltfBufferView = { buffer: 0, byteOffset, byteLength: data.byteLength };
    if (options.byteStride !== undefined) view.byteStride = options.byteStride;
    if (options.target !== undefined) view.target = options.target;
    const views = (this.gltf.bufferViews ??= []);
    views.push(view);
    return views.length - 1;
  }

  /**
   * Adds tightly packed data as its own bufferView plus an accessor; returns the accessor index.
   * `minMax` computes per-component bounds from the stored values (required for POSITION,
   * and compared exactly by validators, hence taken from the typed array itself).
   */
  addAccessor(
    data: AccessorData,
    type: AccessorType,
    options: { target?: number; minMax?: boolean; normalized?: boolean } = {},
  ): number {
    const n = COMPONENTS[type];
    if (data.length % n !== 0) throw new RangeError(`${data.length} values do not make whole ${type} elements`);
    const bufferView = this.addBufferView(data, options.target !== undefined ? { target: options.target } : {});
    const accessor: GltfAccessor = { bufferView, componentType: componentTypeOf(data), count: data.length / n, type };
    if (options.normalized) accessor.normalized = true;
    if (options.minMax) {
      const { min, max } = componentBounds(data, n);
      accessor.min = min;
      accessor.max = max;
    }
    const accessors = (this.gltf.accessors ??= []);
    accessors.push(accessor);
    return accessors.length - 1;
  }

  /** Serialises the document and buffer as GLB bytes. */
  toGlb(): Uint8Array {
    const binLength = padTo(this.binLength, ALIGN);
    const gltf: GltfDocument = binLength > 0 ? { ...this.gltf, buffers: [{ byteLength: binLength }] } : this.gltf;
    const json = new TextEncoder().encode(JSON.stringify(gltf));
    // The JSON chunk ends where the BIN chunk header starts: an 8-byte file offset.
    const jsonLength = padTo(GLB_HEADER_BYTES + CHUNK_HEADER_BYTES + json.byteLength, ALIGN) - GLB_HEADER_BYTES - CHUNK_HEADER_BYTES;
    const total = GLB_HEADER_BYTES + CHUNK_HEADER_BYTES + jsonLength + (binLength > 0 ? CHUNK_HEADER_BYTES + binLength : 0);

    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setUint32(0, GLB_MAGIC, true);
    view.setUint32(4, 2, true);
    view.setUint32(8, total, true);
    view.setUint32(12, jsonLength, true);
    view.setUint32(16, CHUNK_JSON, true);
    out.set(json, 20);
    out.fill(0x20, 20 + json.byteLength, 20 + jsonLength);
    if (binLength > 0) {
      let at = 20 + jsonLength;
      view.setUint32(at, binLength, true);
      view.setUint32(at + 4, CHUNK_BIN, true);
      at += CHUNK_HEADER_BYTES;
      // Gaps between views and the tail stay zero: `out` starts zero-filled.
      for (const part of this.parts) {
        out.set(part, at);
        at += part.byteLength;
      }
    }
    return out;
  }
}
