/**
 * bench:tiles inputs, written as files the children read: a synthetic city's building footprints
 * and component points as GeoJSON (streamed out, so the parent never holds the text) and a DEM
 * under them as an ESRI ASCII grid in EPSG:4547.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { BUILDING_USES } from '../../domain/citySource';
import { crsTransform } from '../../kernel/crs/crs';
import { mulberry32 } from '../../kernel/random';
import { formatAsciiGrid } from '../../kernel/raster/asciiGrid';
import { BUILDINGS_FILE, COMPONENTS_FILE, DEM_CRS, DEM_FILE } from './cases';

const CENTRE = { lon: 113.7, lat: 22.83 };
const DEM_CELL_M = 10;
/** DEM margin around the features (metres). */
const DEM_MARGIN_M = 200;

/** Local metres east/north of the centre → lon/lat (equirectangular: fine over tens of km). */
function lonLat(e: number, n: number): [number, number] {
  const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
  return [r7(CENTRE.lon + e / (111_320 * Math.cos((CENTRE.lat * Math.PI) / 180))), r7(CENTRE.lat + n / 110_574)];
}

/** Streams `count` features (from `feature(i)`) as a FeatureCollection; returns the file's bytes. */
async function writeCollection(file: string, count: number, feature: (i: number) => unknown): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{"type":"FeatureCollection","features":[\n');
  for (let i = 0; i < count; i++) await write((i > 0 ? ',\n' : '') + JSON.stringify(feature(i)));
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** A gently rolling DEM (5–25 m) covering ±`halfSideM` around the centre plus a margin. */
async function writeDem(dir: string, halfSideM: number): Promise<void> {
  const t = crsTransform(DEM_CRS);
  const reach = halfSideM + DEM_MARGIN_M;
  const corners = [lonLat(-reach, -reach), lonLat(reach, -reach), lonLat(reach, reach), lonLat(-reach, reach)].map(([lon, lat]) => t.fromLonLat(lon, lat));
  const x0 = Math.floor(Math.min(...corners.map((c) => c[0])) / DEM_CELL_M) * DEM_CELL_M;
  const y0 = Math.floor(Math.min(...corners.map((c) => c[1])) / DEM_CELL_M) * DEM_CELL_M;
  const ncols = Math.ceil((Math.max(...corners.map((c) => c[0])) - x0) / DEM_CELL_M);
  const nrows = Math.ceil((Math.max(...corners.map((c) => c[1])) - y0) / DEM_CELL_M);
  const values = new Float32Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    const y = y0 + (nrows - r - 0.5) * DEM_CELL_M;
    for (let c = 0; c < ncols; c++) {
      const x = x0 + (c + 0.5) * DEM_CELL_M;
      values[r * ncols + c] = 15 + 10 * Math.sin(x / 3000) * Math.cos(y / 2500);
    }
  }
  await writeFile(path.join(dir, DEM_FILE), formatAsciiGrid({ ncols, nrows, xll: x0, yll: y0, cellSize: DEM_CELL_M, values }));
}

/**
 * `count` buildings, four to a 60 m street block: rectangles (70 %), L-shapes (20 %) and
 * courtyards (10 %), 1–40 storeys. Returns the GeoJSON file's bytes.
 */
export async function writeSyntheticBuildings(dir: string, count: number, seed = 7): Promise<number> {
  await mkdir(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const perSide = Math.ceil(Math.sqrt(count / 4));
  await writeDem(dir, perSide * 30);
  return writeCollection(path.join(dir, BUILDINGS_FILE), count, (i) => {
    const block = Math.floor(i / 4);
    const e = (block % perSide) * 60 - perSide * 30 + (i % 2) * 26 + 2;
    const n = Math.floor(block / perSide) * 60 - perSide * 30 + (Math.floor(i / 2) % 2) * 26 + 2;
    const w = 12 + rnd() * 10;
    const d = 10 + rnd() * 12;
    const shape = rnd();
    const ring = (pts: Array<[number, number]>) => [...pts, pts[0]!].map(([x, y]) => lonLat(e + x, n + y));
    const box = ring([[0, 0], [w, 0], [w, d], [0, d]]);
    const coordinates =
      shape < 0.7
        ? [box]
        : shape < 0.9
          ? [ring([[0, 0], [w, 0], [w, d / 2], [w / 2, d / 2], [w / 2, d], [0, d]])]
          : [box, ring([[w / 3, d / 3], [w / 3, (2 * d) / 3], [(2 * w) / 3, (2 * d) / 3], [(2 * w) / 3, d / 3]])];
    const floors = 1 + Math.floor(rnd() ** 2 * 40);
    const use = BUILDING_USES[Math.floor(rnd() * BUILDING_USES.length)]!;
    return { type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties: { id: `B${i}`, height: Math.round(floors * 32) / 10, floors, use } };
  });
}

/** `count` components of nine classes (major class 01) on an 8 m grid. Returns the file's bytes. */
export async function writeSyntheticComponents(dir: string, count: number, seed = 11): Promise<number> {
  await mkdir(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const perSide = Math.ceil(Math.sqrt(count));
  await writeDem(dir, perSide * 4);
  return writeCollection(path.join(dir, COMPONENTS_FILE), count, (i) => {
    const e = (i % perSide) * 8 - perSide * 4 + rnd() * 2;
    const n = Math.floor(i / perSide) * 8 - perSide * 4 + rnd() * 2;
    const classCode = String(101 + (i % 9)).padStart(4, '0');
    const code = `441900${classCode}${String(i % 1_000_000).padStart(6, '0')}`;
    return { type: 'Feature', geometry: { type: 'Point', coordinates: lonLat(e, n) }, properties: { code, classCode, ownerId: 'D01' } };
  });
}
