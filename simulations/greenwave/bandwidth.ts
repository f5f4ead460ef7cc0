/**
 * Exact two-way bandwidth of given offsets.
 *
 * A vehicle of the outbound band that passes the first intersection at time τ passes
 * intersection i at τ + t_i (t_i its travel time at the progression speed), so it clears i when
 * τ lies in the arc [θ_i − t_i, θ_i − t_i + g_i] of the cycle circle (θ_i the outbound green
 * start). Inbound vehicles pass the first intersection last: one passing it at τ̄ passed i at
 * τ̄ − t_i, so τ̄ must lie in [θ_i + s_i + t_i, … + ḡ_i]. The band in each direction is the
 * longest arc common to all intersections' arcs — computed here by intersecting intervals, with
 * no discretisation of time.
 */
import { mod, TIME_EPS, type ArterialTimings } from './arterial';

export interface Band {
  /** Width of the band, seconds. */
  widthSeconds: number;
  /** Time its leading edge passes the first intersection, in [0, C); 0 when the width is 0. */
  startSeconds: number;
}

export interface TwoWayBand {
  outbound: Band;
  inbound: Band;
}

/**
 * The longest arc contained in every arc [starts[i], starts[i] + lengths[i]] on a circle of
 * circumference `cycle`. Lengths are in [0, cycle]; an arc of length `cycle` is the whole circle.
 */
export function largestCommonArc(starts: readonly number[], lengths: readonly number[], cycle: number): Band {
  // Start from the shortest arc: it cannot wrap onto itself (unless every arc is the circle), so a
  // common arc is one interval inside it and never split at its seam.
  let base = 0;
  for (let i = 1; i < lengths.length; i++) if (lengths[i]! < lengths[base]!) base = i;
  if (lengths[base]! >= cycle - TIME_EPS) return { widthSeconds: cycle, startSeconds: 0 };
  const a0 = mod(starts[base]!, cycle);
  let pieces: [number, number][] = [[a0, a0 + lengths[base]!]];
  for (let i = 0; i < starts.length && pieces.length > 0; i++) {
    if (i === base || lengths[i]! >= cycle - TIME_EPS) continue;
    const a = starts[i]!;
    const len = lengths[i]!;
    const next: [number, number][] = [];
    for (const [p, q] of pieces) {
      // Every copy a + mC of the arc that can overlap [p, q].
      const mLo = Math.floor((p - a - len) / cycle);
      const mHi = Math.ceil((q - a) / cycle);
      for (let m = mLo; m <= mHi; m++) {
        const lo = Math.max(p, a + m * cycle);
        const hi = Math.min(q, a + m * cycle + len);
        if (hi >= lo - TIME_EPS) next.push([lo, Math.max(lo, hi)]);
      }
    }
    pieces = next;
  }
  let best: Band = { widthSeconds: 0, startSeconds: 0 };
  for (const [p, q] of pieces) {
    if (q - p > best.widthSeconds) best = { widthSeconds: q - p, startSeconds: mod(p, cycle) };
  }
  return best;
}

/** Outbound and inbound bands of the offsets θ (seconds, intersection order). */
export function evaluateBandwidth(timings: ArterialTimings, offsets: readonly number[]): TwoWayBand {
  const { travelSeconds: t, green, inboundGreen, inboundStart, cycleSeconds: C } = timings;
  const outStarts = offsets.map((theta, i) => theta - t[i]!);
  const inStarts = offsets.map((theta, i) => theta + inboundStart[i]! + t[i]!);
  return {
    outbound: largestCommonArc(outStarts, green, C),
    inbound: largestCommonArc(inStarts, inboundGreen, C),
  };
}
