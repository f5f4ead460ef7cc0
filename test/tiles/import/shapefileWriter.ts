/**
 * A minimal ESRI Shapefile writer for test fixtures (ESRI Shapefile Technical Description, 1998):
 * `.shp` + `.shx` with Point or Polygon records, `.dbf` (dBASE III) with C and N fields, and
 * optional `.prj` and `.cpg`. Text is encoded by the caller, so a test can write GBK bytes.
 */
import { writeFile } from 'node:fs/promises';

export interface ShapeField {
  name: string;
  type: 'C' | 'N';
  length: number;
  decimals?: number;
}

export interface ShapeRecord {
  /** A point [x, y], or polygon rings (outer clockwise, holes counter-clockwise, closed). */
  geometry: [number, number] | Array<Array<[number, number]>>;
  values: Array<string | number | null>;
}

export interface ShapefileSpec {
  records: ShapeRecord[];
  fields: ShapeField[];
  /** Bytes of a text value or field name in the file's encoding (default UTF-8). */
  encode?: (s: string) => Uint8Array;
  prj?: string;
  cpg?: string;
  /** dBASE language driver id (byte 29), e.g. 0x4d for GBK. */
  languageDriver?: number;
}

const POINT = 1;
const POLYGON = 5;

/** Writes `<base>.shp/.shx/.dbf` (and `.prj`, `.cpg` when given). */
export async function writeShapefile(base: string, spec: ShapefileSpec): Promise<void> {
  const encode = spec.encode ?? ((s: string) => new TextEncoder().encode(s));
  const isPoint = spec.records.length > 0 && typeof spec.records[0]!.geometry[0] === 'number';
  const contents = spec.records.map((r) => (isPoint ? pointContent(r.geometry as [number, number]) : polygonContent(r.geometry as Array<Array<[number, number]>>)));
  const all = spec.records.flatMap((r) => (isPoint ? [r.geometry as [number, number]] : (r.geometry as Array<Array<[number, number]>>).flat()));
  const box = bbox(all);
  const shpLength = 100 + contents.reduce((n, c) => n + 8 + c.byteLength, 0);
  const shp = new DataView(new ArrayBuffer(shpLength));
  const shx = new DataView(new ArrayBuffer(100 + 8 * contents.length));
  for (const [view, length] of [[shp, shpLength], [shx, shx.byteLength]] as const) header(view, length, isPoint ? POINT : POLYGON, box);
  let offset = 100;
  contents.forEach((c, i) => {
    shx.setInt32(100 + i * 8, offset / 2, false);
    shx.setInt32(104 + i * 8, c.byteLength / 2, false);
    shp.setInt32(offset, i + 1, false);
    shp.setInt32(offset + 4, c.byteLength / 2, false);
    new Uint8Array(shp.buffer).set(new Uint8Array(c), offset + 8);
    offset += 8 + c.byteLength;
  });
  await writeFile(`${base}.shp`, new Uint8Array(shp.buffer));
  await writeFile(`${base}.shx`, new Uint8Array(shx.buffer));
  await writeFile(`${base}.dbf`, dbf(spec, encode));
  if (spec.prj !== undefined) await writeFile(`${base}.prj`, spec.prj);
  if (spec.cpg !== undefined) await writeFile(`${base}.cpg`, spec.cpg);
}

function bbox(points: Array<[number, number]>): [number, number, number, number] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function header(view: DataView, byteLength: number, shapeType: number, box: [number, number, number, number]): void {
  view.setInt32(0, 9994, false);
  view.setInt32(24, byteLength / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  box.forEach((v, i) => view.setFloat64(36 + i * 8, v, true));
}

function pointContent(p: [number, number]): ArrayBuffer {
  const v = new DataView(new ArrayBuffer(20));
  v.setInt32(0, POINT, true);
  v.setFloat64(4, p[0], true);
  v.setFloat64(12, p[1], true);
  return v.buffer;
}

function polygonContent(rings: Array<Array<[number, number]>>): ArrayBuffer {
  const points = rings.flat();
  const v = new DataView(new ArrayBuffer(44 + 4 * rings.length + 16 * points.length));
  v.setInt32(0, POLYGON, true);
  bbox(points).forEach((b, i) => v.setFloat64(4 + i * 8, b, true));
  v.setInt32(36, rings.length, true);
  v.setInt32(40, points.length, true);
  let start = 0;
  rings.forEach((r, i) => {
    v.setInt32(44 + i * 4, start, true);
    start += r.length;
  });
  const base = 44 + 4 * rings.length;
  points.forEach((p, i) => {
    v.setFloat64(base + i * 16, p[0], true);
    v.setFloat64(base + i * 16 + 8, p[1], true);
  });
  return v.buffer;
}

function dbf(spec: ShapefileSpec, encode: (s: string) => Uint8Array): Uint8Array {
  const headerLength = 32 + 32 * spec.fields.length + 1;
  const recordLength = 1 + spec.fields.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * spec.records.length + 1);
  const v = new DataView(out.buffer);
  v.setUint8(0, 0x03);
  v.setUint8(1, 124);
  v.setUint8(2, 1);
  v.setUint8(3, 1);
  v.setUint32(4, spec.records.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  v.setUint8(29, spec.languageDriver ?? 0);
  spec.fields.forEach((f, i) => {
    const at = 32 + i * 32;
    out.set(encode(f.name).slice(0, 10), at);
    out[at + 11] = f.type.charCodeAt(0);
    out[at + 16] = f.length;
    out[at + 17] = f.decimals ?? 0;
  });
  out[headerLength - 1] = 0x0d;
  spec.records.forEach((r, i) => {
    let at = headerLength + i * recordLength;
    out[at++] = 0x20;
    spec.fields.forEach((f, k) => {
      const value = r.values[k];
      const text = value === null || value === undefined ? '' : f.type === 'N' ? Number(value).toFixed(f.decimals ?? 0) : String(value);
      const bytes = encode(text).slice(0, f.length);
      const cell = new Uint8Array(f.length).fill(0x20);
      // Numbers are right-aligned, text left-aligned (dBASE III).
      cell.set(bytes, f.type === 'N' ? f.length - bytes.length : 0);
      out.set(cell, at);
      at += f.length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}
