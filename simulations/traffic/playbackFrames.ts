/**
 * Sampled vehicle positions as a compact binary file for playback in the client (frames.bin).
 * Positions are resolved to x, y in the network's local frame (metres east and north of
 * `network.origin`), drawn on the right of the centreline by lane, so the client only has to
 * map them to the globe.
 *
 * Layout, little-endian, every block 4-byte aligned:
 *   u32 magic 0x50545443 ("CTTP"), u32 version 1, u32 F frames, u32 R records
 *   f32[F]     frame times, s
 *   u32[F + 1] first record of each frame (the last entry is R)
 *   u32[R]     vehicle index (trip order)
 *   f32[2R]    x, y, metres
 *   f32[R]     speed, m/s
 */
import type { Network } from './network';
import type { Trajectories } from './trajectories';

export const PLAYBACK_MAGIC = 0x50545443;
export const PLAYBACK_VERSION = 1;
/** Lane width used to place vehicles beside the centreline, metres. */
const LANE_WIDTH_M = 3.2;

interface LinkGeometry {
  pts: Array<[number, number]>;
  cum: Float64Array;
  /** Shape length ÷ simulated length: shapes and lengths may differ by rounding or by design. */
  scale: number;
}

function linkGeometries(network: Network): LinkGeometry[] {
  const at = new Map(network.nodes.map((n) => [n.id, n]));
  return network.links.map((l) => {
    const pts = l.shape && l.shape.length >= 2 ? l.shape : [[at.get(l.from)!.x, at.get(l.from)!.y] as [number, number], [at.get(l.to)!.x, at.get(l.to)!.y] as [number, number]];
    const cum = new Float64Array(pts.length);
    for (let i = 1; i < pts.length; i++) cum[i] = cum[i - 1]! + Math.hypot(pts[i]![0] - pts[i - 1]![0], pts[i]![1] - pts[i - 1]![1]);
    return { pts, cum, scale: cum[pts.length - 1]! / l.lengthM };
  });
}

/** Point `offset` metres along the link, `lateral` metres to the right of its direction. */
function place(g: LinkGeometry, offset: number, lateral: number, out: Float32Array, at: number): void {
  const s = Math.max(0, Math.min(g.cum[g.cum.length - 1]!, offset * g.scale));
  let i = 0;
  while (i + 2 < g.pts.length && g.cum[i + 1]! < s) i++;
  const a = g.pts[i]!;
  const b = g.pts[i + 1]!;
  const seg = g.cum[i + 1]! - g.cum[i]!;
  const t = seg > 0 ? (s - g.cum[i]!) / seg : 0;
  const dx = seg > 0 ? (b[0] - a[0]) / seg : 0;
  const dy = seg > 0 ? (b[1] - a[1]) / seg : 0;
  // The right-hand normal of direction (dx, dy) is (dy, −dx).
  out[at] = a[0] + t * (b[0] - a[0]) + dy * lateral;
  out[at + 1] = a[1] + t * (b[1] - a[1]) - dx * lateral;
}

export function encodePlayback(traj: Trajectories, network: Network): Uint8Array {
  const geoms = linkGeometries(network);
  const F = traj.times.length;
  const R = traj.vehicle.length;
  const bytes = 16 + 4 * F + 4 * (F + 1) + 4 * R + 8 * R + 4 * R;
  const buf = new ArrayBuffer(bytes);
  const head = new Uint32Array(buf, 0, 4);
  head.set([PLAYBACK_MAGIC, PLAYBACK_VERSION, F, R]);
  let o = 16;
  new Float32Array(buf, o, F).set(traj.times);
  o += 4 * F;
  new Uint32Array(buf, o, F + 1).set(traj.frameStart);
  o += 4 * (F + 1);
  new Uint32Array(buf, o, R).set(traj.vehicle);
  o += 4 * R;
  const xy = new Float32Array(buf, o, 2 * R);
  for (let r = 0; r < R; r++) place(geoms[traj.link[r]!]!, traj.offsetM[r]!, (traj.lane[r]! + 0.5) * LANE_WIDTH_M, xy, 2 * r);
  o += 8 * R;
  new Float32Array(buf, o, R).set(traj.speedMps);
  return new Uint8Array(buf);
}
