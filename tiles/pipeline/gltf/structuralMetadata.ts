/**
 * EXT_structural_metadata: schema types and a property-table encoder (3D Metadata
 * Specification, "Binary Table Format").
 *
 * A property table stores one column per property, each in its own bufferView:
 *   SCALAR   `count` little-endian values of the componentType
 *   ENUM     `count` integer values of the enum's valueType (default UINT16)
 *   STRING   UTF-8 bytes of every value back to back (`values`), plus `count + 1` offsets
 *            (`stringOffsets`, here UINT32) so that value i is bytes [offset[i], offset[i+1])
 * Each bufferView starts on an 8-byte boundary (GlbWriter guarantees it).
 */
import type { GlbWriter } from './glbWriter';

export const EXT_STRUCTURAL_METADATA = 'EXT_structural_metadata';
export const EXT_MESH_FEATURES = 'EXT_mesh_features';

export type ScalarComponentType = 'UINT8' | 'UINT16' | 'UINT32' | 'INT32' | 'FLOAT32';

export type ClassProperty =
  | { type: 'STRING'; description?: string; required?: boolean; noData?: string }
  | { type: 'SCALAR'; componentType: ScalarComponentType; description?: string; required?: boolean; noData?: number }
  | { type: 'ENUM'; enumType: string; description?: string; required?: boolean };

export interface MetadataEnum {
  valueType?: 'UINT8' | 'UINT16';
  values: Array<{ name: string; value: number }>;
}

export interface MetadataSchema {
  id: string;
  version?: string;
  classes: Record<string, { name?: string; description?: string; properties: Record<string, ClassProperty> }>;
  enums?: Record<string, MetadataEnum>;
}

export interface PropertyTableJson {
  name?: string;
  class: string;
  count: number;
  properties: Record<string, { values: number; stringOffsets?: number; stringOffsetType?: 'UINT32' }>;
}

/** Column values: strings for STRING and ENUM (enum names), numbers for SCALAR. */
export type ColumnValues = readonly string[] | ArrayLike<number>;

const SCALAR_ARRAYS = {
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  INT32: Int32Array,
  FLOAT32: Float32Array,
} as const;

const utf8 = new TextEncoder();

/** Encodes strings as the `values` and `stringOffsets` buffers of a STRING column. */
export function encodeStrings(values: readonly string[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const encoded = values.map((v) => utf8.encode(v));
  const offsets = new Uint32Array(values.length + 1);
  for (let i = 0; i < encoded.length; i++) offsets[i + 1] = offsets[i]! + encoded[i]!.byteLength;
  const bytes = new Uint8Array(offsets[values.length]!);
  for (let i = 0; i < encoded.length; i++) bytes.set(encoded[i]!, offsets[i]!);
  return { bytes, offsets };
}

/**
 * Adds one property table of `className` with `count` rows to the writer's buffer and returns
 * its JSON. Every property of the class must have a column (omitted optional ones would make
 * the reader fall back to defaults, which this project does not use).
 */
export function addPropertyTable(
  writer: GlbWriter,
  schema: MetadataSchema,
  className: string,
  count: number,
  columns: Record<string, ColumnValues>,
): PropertyTableJson {
  const cls = schema.classes[className];
  if (!cls) throw new Error(`class "${className}" is not in schema "${schema.id}"`);
  const properties: PropertyTableJson['properties'] = {};
  for (const [name, prop] of Object.entries(cls.properties)) {
    const column = columns[name];
    if (!column) throw new Error(`property table for "${className}" has no column "${name}"`);
    if (column.length !== count) throw new Error(`column "${name}" has ${column.length} values, expected ${count}`);
    // Empty columns (count 0) cannot be stored: bufferViews must not be empty.
    if (count === 0) throw new Error('a property table needs at least one row');
    switch (prop.type) {
      case 'STRING': {
        const { bytes, offsets } = encodeStrings(column as readonly string[]);
        // An all-empty column still needs a non-empty values view: one padding byte past the last offset.
        const values = writer.addBufferView(bytes.byteLength > 0 ? bytes : new Uint8Array(1));
        const stringOffsets = writer.addBufferView(offsets);
        properties[name] = { values, stringOffsets, stringOffsetType: 'UINT32' };
        break;
      }
      case 'SCALAR': {
        const data = SCALAR_ARRAYS[prop.componentType].from(column as ArrayLike<number>);
        properties[name] = { values: writer.addBufferView(data) };
        break;
      }
      case 'ENUM': {
        const enumDef = schema.enums?.[prop.enumType];
        if (!enumDef) throw new Error(`enum "${prop.enumType}" is not in schema "${schema.id}"`);
        const byName = new Map(enumDef.values.map((v) => [v.name, v.value]));
        const codes = (column as readonly string[]).map((s) => {
          const v = byName.get(s);
          if (v === undefined) throw new Error(`"${s}" is not a value of enum "${prop.enumType}"`);
          return v;
        });
        const data = enumDef.valueType === 'UINT8' ? Uint8Array.from(codes) : Uint16Array.from(codes);
        properties[name] = { values: writer.addBufferView(data) };
        break;
      }
    }
  }
  return { class: className, count, properties };
}
