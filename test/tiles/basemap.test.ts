import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBasemap, type BasemapOptions } from '../../tiles/pipeline/basemap/index';
import { crc32, encodePng } from '../../tiles/pipeline/basemap/png';
import { DemSampler } from '../../tiles/pipeline/terrain/demSampler';
import { DEM_CRS, syntheticDistrict } from './syntheticDistrict';

interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
  chunks: string[];
}

/** A PNG reader for 8-bit RGB/RGBA, non-interlaced: checks every chunk's CRC and undoes all five filters. */
function decodePng(bytes: Uint8Array): DecodedPng {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0, height = 0, channels = 0;
  for (let pos = 8; pos < bytes.length; ) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    expect(view.getUint32(pos + 8 + length), `${type} CRC`).toBe(zlibCrc32(bytes.subarray(pos + 4, pos + 8 + length)));
    chunks.push(type);
    if (type === 'IHDR') {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      expect(data[8]).toBe(8); // bit depth
      expect([2, 6]).toContain(data[9]); // RGB or RGBA
      expect([data[10], data[11], data[12]]).toEqual([0, 0, 0]); // deflate, filter method 0, no interlace
      channels = data[9] === 2 ? 3 : 4;
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else expect(filter).toBe(0);
      pixels[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels, chunks };
}

const district = syntheticDistrict(120, 100, 10);
const bounds = new DemSampler(district.dem, DEM_CRS).bounds;
const W = 600;
const H = 500;
let dir = '';
let png: Uint8Array;
let image: DecodedPng;
let options: BasemapOptions;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citytwin-basemap-'));
  options = {
    bounds,
    widthPx: W,
    heightPx: H,
    dem: district.dem,
    demCrs: DEM_CRS,
    water: district.water,
    landuse: district.landuse,
    roads: district.roads,
    buildings: district.buildings,
    outFile: join(dir, 'basemap.png'),
  };
  await renderBasemap(options);
  png = new Uint8Array(await readFile(options.outFile));
  image = decodePng(png);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** RGB of the pixel at a local point of the district (metres east and north of its SW corner). */
function at(eastM: number, northM: number): [number, number, number] {
  const [lon, lat] = district.lonLat(eastM, northM);
  const col = Math.floor(((lon - bounds.west) / (bounds.east - bounds.west)) * W);
  const row = Math.floor(((bounds.north - lat) / (bounds.north - bounds.south)) * H);
  const o = (row * W + col) * 3;
  return [image.pixels[o]!, image.pixels[o + 1]!, image.pixels[o + 2]!];
}

const luminance = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe('renderBasemap', () => {
  it('writes a valid RGB PNG of the requested size', () => {
    expect(image.width).toBe(W);
    expect(image.height).toBe(H);
    expect(image.channels).toBe(3);
    expect(image.chunks[0]).toBe('IHDR');
    expect(image.chunks.at(-1)).toBe('IEND');
    expect(image.chunks.filter((c) => c === 'IDAT').length).toBeGreaterThan(0);
  });

  it('paints the sea blue, darker offshore', () => {
    const shore = at(0.6 * district.widthM, district.coastM - 15);
    const offshore = at(0.6 * district.widthM, 0.03 * district.heightM);
    for (const [r, g, b] of [shore, offshore]) {
      expect(b).toBeGreaterThan(r + 40);
      expect(b).toBeGreaterThanOrEqual(g);
    }
    expect(luminance(offshore)).toBeLessThan(luminance(shore) - 10);
  });

  it('paints the river blue', () => {
    const [r, g, b] = at(district.river.eastM, 0.3 * district.heightM);
    expect(b).toBeGreaterThan(r + 30);
    expect(g).toBeGreaterThan(r);
  });

  it('draws roads as asphalt at their width, with a yellow centre line on arterials', () => {
    const { northM, widthM } = district.arterial;
    const e = 0.25 * district.widthM;
    for (const off of [-0.4 * widthM, 3, 0.4 * widthM]) {
      const [r, g, b] = at(e, northM + off);
      expect(Math.max(r, g, b)).toBeLessThan(110);
      expect(Math.abs(r - g)).toBeLessThan(12);
      expect(Math.abs(g - b)).toBeLessThan(15);
    }
    // Just past the kerb and sidewalk: ground again.
    expect(luminance(at(e, northM + widthM / 2 + 6))).toBeGreaterThan(130);
    // The centre line is a pixel wide; look for it in the column.
    const yellow = [-2, -1, 0, 1, 2].map((d) => at(e, northM + d)).some(([r, g, b]) => r > 150 && g > 120 && b < 100);
    expect(yellow).toBe(true);
  });

  it('colours land use and the wooded hill, with hillshade from the north-west', () => {
    const { hill } = district;
    const [r, g, b] = at(hill.eastM, hill.northM);
    expect(g).toBeGreaterThan(r + 15);
    expect(g).toBeGreaterThan(b + 15);
    // Same distance from the top: the north-west flank faces the sun, the south-east one does not.
    const d = 0.8 * hill.sigmaM;
    expect(luminance(at(hill.eastM - d, hill.northM + d))).toBeGreaterThan(luminance(at(hill.eastM + d, hill.northM - d)) + 10);

    const [sr, sg, sb] = at(0.7 * district.widthM, district.coastM + 15); // beach
    expect(sr).toBeGreaterThan(190);
    expect(sr).toBeGreaterThan(sb + 30);
    expect(sg).toBeGreaterThan(170);

    const plaza = at(0.13 * district.widthM, 0.34 * district.heightM);
    expect(luminance(plaza)).toBeGreaterThan(180);
    expect(Math.max(...plaza) - Math.min(...plaza)).toBeLessThan(20);
  });

  it('darkens building footprints a little', () => {
    const { northM } = district.arterial;
    const e = 0.05 * district.widthM + 12;
    const roof = luminance(at(e, northM + 41));
    const ground = luminance(at(e, northM + 75));
    expect(roof).toBeLessThan(ground - 10);
    expect(roof).toBeGreaterThan(ground - 60);
  });

  it('gives the same bytes for the same input', async () => {
    const again = { ...options, outFile: join(dir, 'again.png') };
    await renderBasemap(again);
    expect(Buffer.compare(Buffer.from(png), await readFile(again.outFile))).toBe(0);
  });
});

describe('encodePng', () => {
  it('round-trips RGB and RGBA pixels and computes the standard CRC-32', () => {
    const rgb = Uint8Array.from({ length: 7 * 5 * 3 }, (_, i) => (i * 37) & 0xff);
    const a = decodePng(encodePng(7, 5, rgb, 3));
    expect([a.width, a.height, a.channels]).toEqual([7, 5, 3]);
    expect(a.pixels).toEqual(rgb);
    const rgba = Uint8Array.from({ length: 3 * 4 * 4 }, (_, i) => (i * 91) & 0xff);
    expect(decodePng(encodePng(3, 4, rgba, 4)).pixels).toEqual(rgba);
    const text = new TextEncoder().encode('123456789');
    expect(crc32(text)).toBe(0xcbf43926);
    expect(() => encodePng(2, 2, new Uint8Array(5), 3)).toThrow();
  });
});
