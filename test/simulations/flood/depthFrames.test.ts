import { describe, expect, it } from 'vitest';
import { decodeDepthFrames, frameAt } from '../../../client/src/features/flood/core/depthFrames';
import { encodeDepthFrame, FRAME_NO_DATA, FRAME_SCALE_M, type DepthFramesMeta } from '../../../simulations/flood/io/depthFrames';

describe('depth frames', () => {
  it('round-trips depths as centimetres, obstacles as no-data', () => {
    const depth = Float32Array.from([0, 0.004, 0.126, 2.5, Number.NaN, 1000]);
    const bin = new Uint16Array(depth.length * 2);
    encodeDepthFrame(depth, bin.subarray(0, 6));
    encodeDepthFrame(depth.map((d) => d * 2), bin.subarray(6, 12));
    expect(Array.from(bin.subarray(0, 6))).toEqual([0, 0, 13, 250, FRAME_NO_DATA, FRAME_NO_DATA - 1]);
    const meta: DepthFramesMeta = { format: 'citytwin-flood-frames', version: 1, ncols: 3, nrows: 2, cellSizeM: 10, corners: [], timesS: [300, 600], scaleM: FRAME_SCALE_M, noData: FRAME_NO_DATA, maxDepthM: 2.5 };
    const decoded = decodeDepthFrames(meta, bin.buffer);
    expect(decoded.frames[1]![3]).toBe(500);
    expect(frameAt(meta, 0)).toBe(0);
    expect(frameAt(meta, 599)).toBe(0);
    expect(frameAt(meta, 600)).toBe(1);
    expect(() => decodeDepthFrames({ ...meta, timesS: [300] }, bin.buffer)).toThrow(/expected 12 for 1 frames/);
  });
});
