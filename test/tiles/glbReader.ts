/**
 * A minimal GLB reader for tests: splits the chunks, reads accessors, and decodes
 * EXT_structural_metadata property tables independently of the writer's code.
 */
import type { GltfDocument } from '../../tiles/pipeline/gltf/glbWriter';
import type { MetadataSchema, PropertyTableJson } from '../../tiles/pipeline/gltf/structuralMetadata';

export interface ParsedGlb {
  json: GltfDocument;
  bin: Uint8Array;
  /** File offsets, for alignment checks. */
  jsonChunkEnd: number;
  binStart: number;
}

export function parseGlb(bytes: Uint8Array): ParsedGlb {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== 0x46546c67) throw new Error('not a GLB');
  if (view.getUint32(8, true) !== bytes.byteLength) throw new Error('GLB length mismatch');
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as GltfDocument;
  const jsonChunkEnd = 20 + jsonLength;
  const binLength = view.getUint32(jsonChunkEnd, true);
  const binStart = jsonChunkEnd + 8;
  return { json, bin: bytes.slice(binStart, binStart + binLength), jsonChunkEnd, binStart };
}

function viewBytes(glb: ParsedGlb, index: number): Uint8Array {
  const v = glb.json.bufferViews![index]!;
  return glb.bin.slice(v.byteOffset, v.byteOffset + v.byteLength);
}

/** Accessor values as plain numbers (tightly packed accessors only, as this project writes). */
export function readAccessor(glb: ParsedGlb, index: number): number[] {
  const a = glb.json.accessors![index]!;
  const bytes = viewBytes(glb, a.bufferView);
  const n = a.count * { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 }[a.type];
  const buf = bytes.buffer;
  switch (a.componentType) {
    case 5126:
      return Array.from(new Float32Array(buf, 0, n));
    case 5125:
      return Array.from(new Uint32Array(buf, 0, n));
    case 5123:
      return Array.from(new Uint16Array(buf, 0, n));
    default:
      return Array.from(new Uint8Array(buf, 0, n));
  }
}

export type PropertyValue = string | number;

/** Decodes property table `table` into rows of { property: value } (enums as names). */
export function readPropertyTable(glb: ParsedGlb, table = 0): Array<Record<string, PropertyValue>> {
  const ext = glb.json.extensions?.EXT_structural_metadata as { schema: MetadataSchema; propertyTables: PropertyTableJson[] };
  const t = ext.propertyTables[table]!;
  const cls = ext.schema.classes[t.class]!;
  const rows: Array<Record<string, PropertyValue>> = Array.from({ length: t.count }, () => ({}));
  const decoder = new TextDecoder();
  for (const [name, prop] of Object.entries(cls.properties)) {
    const p = t.properties[name]!;
    const values = viewBytes(glb, p.values);
    const dv = new DataView(values.buffer);
    for (let i = 0; i < t.count; i++) {
      let v: PropertyValue;
      if (prop.type === 'STRING') {
        const offsets = new DataView(viewBytes(glb, p.stringOffsets!).buffer);
        v = decoder.decode(values.subarray(offsets.getUint32(4 * i, true), offsets.getUint32(4 * (i + 1), true)));
      } else if (prop.type === 'ENUM') {
        const e = ext.schema.enums![prop.enumType]!;
        const code = e.valueType === 'UINT8' ? dv.getUint8(i) : dv.getUint16(2 * i, true);
        v = e.values.find((x) => x.value === code)!.name;
      } else {
        v =
          prop.componentType === 'FLOAT32'
            ? dv.getFloat32(4 * i, true)
            : prop.componentType === 'UINT16'
              ? dv.getUint16(2 * i, true)
              : prop.componentType === 'UINT8'
                ? dv.getUint8(i)
                : prop.componentType === 'INT32'
                  ? dv.getInt32(4 * i, true)
                  : dv.getUint32(4 * i, true);
      }
      rows[i]![name] = v;
    }
  }
  return rows;
}
