/**
 * Depth frames for playback in the client: `frames.json` (grid size, geographic corners, frame
 * times, scale) and `frames.bin`, the frames back to back, each ncols × nrows little-endian
 * uint16 depths in centimetres (row 0 north; 65535 marks obstacles), so a 360 × 360 frame is
 * 253 KB and a browser decodes it with one Uint16Array view.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FloodResult } from '../runFlood';

export const FRAME_NO_DATA = 65535;
export const FRAME_SCALE_M = 0.01;

export interface DepthFramesMeta {
  format: 'citytwin-flood-frames';
  version: 1;
  ncols: number;
  nrows: number;
  cellSizeM: number;
  /** Corner lon/lat of the grid: north-west, north-east, south-east, south-west. */
  corners: Array<[number, number]>;
  timesS: number[];
  /** Metres per unit of the stored uint16. */
  scaleM: number;
  noData: number;
  maxDepthM: number;
}

/** Encodes one depth grid (NaN = obstacle) as uint16 centimetres. */
export function encodeDepthFrame(depthM: Float32Array, out: Uint16Array): void {
  for (let i = 0; i < depthM.length; i++) {
    const d = depthM[i]!;
    out[i] = Number.isNaN(d) ? FRAME_NO_DATA : Math.min(FRAME_NO_DATA - 1, Math.round(d / FRAME_SCALE_M));
  }
}

/** Writes frames.json and frames.bin: the snapshots, then the final depth if no snapshot is at the end. */
export async function writeDepthFrames(
  dir: string,
  result: FloodResult,
  corners: Array<[number, number]>,
): Promise<string[]> {
  const frames = result.snapshots.map((s) => ({ t: s.timeS, depth: s.depthM }));
  if (frames.at(-1)?.t !== result.simulatedSeconds) frames.push({ t: result.simulatedSeconds, depth: result.finalDepthM });
  const cells = result.ncols * result.nrows;
  const bin = new Uint16Array(cells * frames.length);
  frames.forEach((f, k) => encodeDepthFrame(f.depth, bin.subarray(k * cells, (k + 1) * cells)));
  const meta: DepthFramesMeta = {
    format: 'citytwin-flood-frames',
    version: 1,
    ncols: result.ncols,
    nrows: result.nrows,
    cellSizeM: result.cellSizeM,
    corners,
    timesS: frames.map((f) => f.t),
    scaleM: FRAME_SCALE_M,
    noData: FRAME_NO_DATA,
    maxDepthM: result.maxDepthOverallM,
  };
  await writeFile(path.join(dir, 'frames.json'), JSON.stringify(meta) + '\n');
  await writeFile(path.join(dir, 'frames.bin'), new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength));
  return ['frames.json', 'frames.bin'];
}
