/**
 * Reads frames.bin, the traffic scenario's sampled vehicle positions (layout documented in
 * simulations/traffic/playbackFrames.ts), and interpolates between frames for smooth playback.
 * Pure: no Cesium, so Node tests read the same bytes.
 */
export const PLAYBACK_MAGIC = 0x50545443;

export interface Playback {
  times: Float32Array;
  frameStart: Uint32Array;
  vehicle: Uint32Array;
  /** x, y pairs in the network's local frame, metres. */
  xy: Float32Array;
  speed: Float32Array;
}

export function decodePlayback(buffer: ArrayBuffer): Playback {
  if (buffer.byteLength < 16) throw new Error('frames.bin: shorter than its header');
  const [magic, version, F, R] = new Uint32Array(buffer, 0, 4) as unknown as [number, number, number, number];
  if (magic !== PLAYBACK_MAGIC) throw new Error('frames.bin: not a traffic playback file');
  if (version !== 1) throw new Error(`frames.bin: unsupported version ${version}`);
  const expected = 16 + 4 * F + 4 * (F + 1) + 16 * R;
  if (buffer.byteLength !== expected) throw new Error(`frames.bin: ${buffer.byteLength} bytes, expected ${expected}`);
  let o = 16;
  const times = new Float32Array(buffer, o, F);
  o += 4 * F;
  const frameStart = new Uint32Array(buffer, o, F + 1);
  o += 4 * (F + 1);
  const vehicle = new Uint32Array(buffer, o, R);
  o += 4 * R;
  const xy = new Float32Array(buffer, o, 2 * R);
  o += 8 * R;
  const speed = new Float32Array(buffer, o, R);
  return { times, frameStart, vehicle, xy, speed };
}

/** Index of the last frame at or before `t` (0 before the first). */
export function frameAt(p: Playback, t: number): number {
  let lo = 0;
  let hi = p.times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p.times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Positions at time `t`: each vehicle of the frame before `t`, moved towards where it is in the
 * next frame (vehicles that leave or change link far between frames jump instead of sliding).
 * Writes x, y, speed triples into `out`; returns how many vehicles were written.
 */
export function positionsAt(p: Playback, t: number, out: Float32Array, nextIndex: Map<number, number>): number {
  const f = frameAt(p, t);
  const a = p.frameStart[f]!;
  const b = p.frameStart[f + 1]!;
  const hasNext = f + 1 < p.times.length;
  const span = hasNext ? p.times[f + 1]! - p.times[f]! : 1;
  const w = hasNext ? Math.max(0, Math.min(1, (t - p.times[f]!) / span)) : 0;
  nextIndex.clear();
  if (hasNext) for (let r = b; r < p.frameStart[f + 2]!; r++) nextIndex.set(p.vehicle[r]!, r);
  let n = 0;
  for (let r = a; r < b && 3 * n + 2 < out.length; r++) {
    let x = p.xy[2 * r]!;
    let y = p.xy[2 * r + 1]!;
    const q = nextIndex.get(p.vehicle[r]!);
    if (q !== undefined) {
      const nx = p.xy[2 * q]!;
      const ny = p.xy[2 * q + 1]!;
      // More than 60 m apart in one frame is not driving: show it where it was.
      if (Math.hypot(nx - x, ny - y) < 60) ((x += (nx - x) * w), (y += (ny - y) * w));
    }
    out[3 * n] = x;
    out[3 * n + 1] = y;
    out[3 * n + 2] = p.speed[r]!;
    n++;
  }
  return n;
}
