/**
 * ESRI Shapefiles (`.shp` + `.dbf`, with `.prj` and `.cpg` beside them) read with loaders.gl's
 * SHPLoader and DBFLoader, as raw GeoJSON-like features for the footprint or component importer.
 *
 * CRS: the `.prj` WKT mapped to an EPSG code (tiles/source/prjCrs.ts), else `--crs`, else WGS84
 * when there is no `.prj` at all. Attribute text encoding: the `.cpg` (e.g. "GBK", "936",
 * "UTF-8"), else the dBASE language driver byte (0x4D / 0x7A: GBK), else UTF-8 when the bytes are
 * valid UTF-8 and GBK otherwise — Chinese bureaus' files often come without a `.cpg`; the guess is
 * reported as a note.
 */
import { parse } from '@loaders.gl/core';
import { DBFLoader, SHPLoader } from '@loaders.gl/shapefile';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readBoundedBytes } from '../source/boundedFile';
import { describeKnownCrs } from '../../kernel/crs/crs';
import { epsgFromWkt } from '../../kernel/crs/prjCrs';
import type { RawFeature } from './footprintFeatures';
import { resolveFileCrs } from './importedLayer';

export interface ShapefileContent {
  crs: string;
  features: RawFeature[];
  notes: string[];
}

/** loaders.gl's binary geometry for one record (flat positions with ring and polygon start indices). */
interface BinaryShape {
  type: 'Point' | 'LineString' | 'Polygon';
  positions: { value: ArrayLike<number>; size: number };
  primitivePolygonIndices?: { value: ArrayLike<number> };
  polygonIndices?: { value: ArrayLike<number> };
}

/** First four bytes of every .shp, big-endian (ESRI Shapefile Technical Description). */
const SHAPEFILE_CODE = 9994;
const GBK_DRIVERS = new Set([0x4d, 0x7a]);
const CODE_PAGES: Record<string, string> = { '936': 'gbk', cp936: 'gbk', gb2312: 'gbk', '65001': 'utf-8', '1252': 'windows-1252', '54936': 'gb18030' };

export async function readShapefile(fullPath: string, file: string, crsOverride?: string): Promise<ShapefileContent> {
  const base = fullPath.replace(/\.shp$/i, '');
  const sidecar = (ext: string): string | undefined => [ext, ext.toUpperCase()].map((e) => `${base}.${e}`).find((p) => existsSync(p));
  const notes: string[] = [];

  const prjPath = sidecar('prj');
  let declared: string | undefined;
  if (prjPath) {
    const wkt = await readFile(prjPath, 'utf8');
    declared = epsgFromWkt(wkt);
    if (!declared && crsOverride === undefined) {
      throw new Error(`${file}: the .prj names a CRS this build does not recognise (${wkt.slice(0, 80)}…; known: ${describeKnownCrs()}); give it with --crs EPSG:n`);
    }
    declared ??= wkt.slice(0, 60);
  }
  const crs = resolveFileCrs(file, declared, crsOverride);
  if (!prjPath && crsOverride === undefined) notes.push(`${file}: no .prj; coordinates read as WGS84 lon/lat (give --crs otherwise)`);

  const shp = await readBoundedBytes(fullPath, file);
  // SHPLoader returns no shapes rather than failing on other bytes; the file code says what it is.
  if (shp.byteLength < 100 || new DataView(shp).getInt32(0, false) !== SHAPEFILE_CODE) {
    throw new Error(`${file}: not a shapefile (no file code ${SHAPEFILE_CODE} in its header)`);
  }
  let shapes: Array<BinaryShape | null>;
  try {
    shapes = ((await parse(shp, SHPLoader, { worker: false })) as { geometries: Array<BinaryShape | null> }).geometries;
  } catch (err) {
    throw new Error(`${file}: not a readable shapefile (${(err as Error).message})`);
  }

  const dbfPath = sidecar('dbf');
  let rows: Array<Record<string, unknown>> = [];
  if (dbfPath) {
    const dbfName = `${file.replace(/\.shp$/i, '')}.dbf`;
    const dbf = await readBoundedBytes(dbfPath, dbfName);
    const encoding = await attributeEncoding(dbf, sidecar('cpg'), dbfName, notes);
    try {
      rows = ((await parse(dbf, DBFLoader, { worker: false, dbf: { encoding, shape: 'object-row-table' } })) as { data: Array<Record<string, unknown>> }).data;
    } catch (err) {
      throw new Error(`${dbfName}: not a readable dBASE file (${(err as Error).message})`);
    }
    if (rows.length !== shapes.length) throw new Error(`${dbfName}: ${rows.length} attribute rows for ${shapes.length} shapes`);
  } else notes.push(`${file}: no .dbf; features have no attributes`);

  const features = shapes.map((shape, i): RawFeature => {
    const properties = rows[i] ?? {};
    return shape ? { properties, geometry: toGeometry(shape) } : { properties, geometry: undefined, malformed: 'null shape (no geometry)' };
  });
  return { crs, features, notes };
}

async function attributeEncoding(dbf: ArrayBuffer, cpgPath: string | undefined, file: string, notes: string[]): Promise<string> {
  if (cpgPath) {
    const label = (await readFile(cpgPath, 'utf8')).trim();
    const encoding = CODE_PAGES[label.toLowerCase()] ?? label.toLowerCase();
    try {
      new TextDecoder(encoding);
    } catch {
      throw new Error(`${file}: the .cpg names encoding "${label}", which this build cannot decode (use UTF-8 or GBK)`);
    }
    return encoding;
  }
  const driver = new Uint8Array(dbf)[29] ?? 0;
  if (GBK_DRIVERS.has(driver)) return 'gbk';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbfText(dbf));
    return 'utf-8';
  } catch {
    notes.push(`${file}: no .cpg and the attributes are not UTF-8; read as GBK (add a .cpg naming the encoding if that is wrong)`);
    return 'gbk';
  }
}

/**
 * The text a `.dbf` holds, without its binary parts (dBASE III header: record count at byte 4,
 * header and record length at 8 and 10; 32-byte field descriptors from byte 32): the field names
 * and the records. Binary counts and dates in the header are seldom valid UTF-8 (130 records is
 * byte 0x82), so testing the whole file would take any ASCII or UTF-8 file for GBK.
 */
function dbfText(dbf: ArrayBuffer): Uint8Array {
  const bytes = new Uint8Array(dbf);
  if (bytes.length < 32) return bytes;
  const view = new DataView(dbf);
  const headerLength = Math.min(view.getUint16(8, true), bytes.length);
  const recordsEnd = Math.min(bytes.length, headerLength + view.getUint32(4, true) * view.getUint16(10, true));
  const names: number[] = [];
  // Each descriptor starts with an 11-byte, NUL-padded name; 0x0D ends the list.
  for (let at = 32; at + 32 <= headerLength && bytes[at] !== 0x0d; at += 32) {
    for (let i = at; i < at + 11 && bytes[i] !== 0; i++) names.push(bytes[i]!);
    names.push(0x20);
  }
  const out = new Uint8Array(names.length + Math.max(0, recordsEnd - headerLength));
  out.set(names);
  out.set(bytes.subarray(headerLength, recordsEnd), names.length);
  return out;
}

/** GeoJSON geometry from a binary shape; polygons with several outer rings become a MultiPolygon. */
function toGeometry(shape: BinaryShape): unknown {
  const { value, size } = shape.positions;
  const at = (i: number): number[] => [value[i * size]!, value[i * size + 1]!];
  const count = value.length / size;
  if (shape.type === 'Point') return count === 1 ? { type: 'Point', coordinates: at(0) } : { type: 'MultiPoint', coordinates: range(0, count).map(at) };
  if (shape.type === 'LineString') return { type: 'LineString', coordinates: range(0, count).map(at) };
  const ringStarts = Array.from(shape.primitivePolygonIndices?.value ?? [0, count]);
  const polygonStarts = Array.from(shape.polygonIndices?.value ?? [0, count]);
  // loaders.gl starts a polygon at each clockwise ring only; a first ring wound the other way (or
  // with no area, as a bow tie) would be lost, so it starts one too and the checks judge it.
  if (polygonStarts[0] !== 0) polygonStarts.unshift(0);
  // Rings are [ringStarts[r], ringStarts[r + 1]); each polygon takes the rings starting inside it.
  const polygons: number[][][][] = [];
  for (let r = 0, p = -1; r + 1 < ringStarts.length; r++) {
    while (p + 1 < polygonStarts.length && ringStarts[r]! >= polygonStarts[p + 1]!) polygons[++p] = [];
    polygons[p]!.push(range(ringStarts[r]!, ringStarts[r + 1]!).map(at));
  }
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
