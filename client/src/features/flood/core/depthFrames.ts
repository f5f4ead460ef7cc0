/**
 * Decodes a flood scenario's frames.json + frames.bin (simulations/flood/io/depthFrames.ts):
 * frame k is a Uint16Array view of ncols × nrows centimetres, row 0 north, no copy.
 */
import type { DepthFramesMeta } from '../../../../../simulations/flood/io/depthFrames';

export interface DepthFrames {
  meta: DepthFramesMeta;
  frames: Uint16Array[];
}

export function decodeDepthFrames(meta: DepthFramesMeta, bytes: ArrayBuffer): DepthFrames {
  if (meta.format !== 'citytwin-flood-frames' || meta.version !== 1) throw new Error(`frames.json: unknown format ${meta.format} v${meta.version}`);
  const cells = meta.ncols * meta.nrows;
  if (bytes.byteLength !== cells * 2 * meta.timesS.length) {
    throw new Error(`frames.bin: ${bytes.byteLength} bytes, expected ${cells * 2 * meta.timesS.length} for ${meta.timesS.length} frames`);
  }
  const frames = meta.timesS.map((_, k) => new Uint16Array(bytes, k * cells * 2, cells));
  return { meta, frames };
}

/** Index of the last frame at or before `t` seconds (0 before the first). */
export function frameAt(meta: DepthFramesMeta, t: number): number {
  let k = 0;
  while (k + 1 < meta.timesS.length && meta.timesS[k + 1]! <= t) k++;
  return k;
}
