/**
 * Energy from power readings, pure (docs/energy.md): the integral of a lamp's power over a window,
 * in Wh, with the time the readings cover and the time they do not.
 *
 * A reading holds until the next one (`step`, zero-order hold: a lamp's power changes in steps —
 * switched, dimmed — and its controller reports the new value) or is joined to the next by a
 * straight line (`trapezoid`, for quantities that drift). A reading holds for at most `maxHoldMs`:
 * when the next comes later, the time beyond is a **gap** — no energy is counted for it and it is
 * reported (`gapMs`), so a silent lamp lowers the coverage instead of being guessed. A reading at
 * or below `offAtOrBelowW` (switched off, or the controller's standby) holds whatever the gap: a
 * switched-off lamp has nothing to report until it is switched on again, and draws nothing.
 *
 * Two inputs: raw readings (`integrateReadings`), and rollup buckets (`integrateBuckets`), each
 * holding its mean over its own width and its `last` reading beyond it, like a reading.
 */

export type IntegrationMethod = 'step' | 'trapezoid';

export interface IntegrateOptions {
  method: IntegrationMethod;
  /** Longest a reading stands for when the next is later; beyond it the time is a gap. */
  maxHoldMs: number;
  /** Readings at or below this power (W) hold across any gap: the lamp is off. */
  offAtOrBelowW: number;
}

/** One power reading: device time (ms) and watts. */
export interface PowerReading {
  t: number;
  w: number;
}

/** One rollup bucket of a power series: start (ms), mean and last reading (W). */
export interface PowerBucket {
  t: number;
  mean: number;
  last: number;
}

/** What a window's integral came to. */
export interface EnergyTally {
  wh: number;
  /** Time within the window the readings cover (held or interpolated). */
  coveredMs: number;
  /** Time within the window no reading covers (before the first, silences over `maxHoldMs`, after the last). */
  gapMs: number;
  /** Covered time at more than `offAtOrBelowW`: the lamp was lit. */
  litMs: number;
}

export const emptyTally = (): EnergyTally => ({ wh: 0, coveredMs: 0, gapMs: 0, litMs: 0 });

const MS_PER_H = 3_600_000;

/**
 * Adds a piece of power that runs linearly from `w0` at `t0` to `w1` at `t1`, clipped to
 * [from, to), to `tally`. A step is the case w0 = w1.
 */
function addPiece(tally: EnergyTally, t0: number, t1: number, w0: number, w1: number, from: number, to: number, offW: number): void {
  const a = Math.max(t0, from);
  const b = Math.min(t1, to);
  if (!(b > a)) return;
  const slope = t1 > t0 ? (w1 - w0) / (t1 - t0) : 0;
  const wa = w0 + slope * (a - t0);
  const wb = w0 + slope * (b - t0);
  tally.wh += ((wa + wb) / 2) * ((b - a) / MS_PER_H);
  tally.coveredMs += b - a;
  // Lit: the part above the off level (on a sloped piece, where the line crosses it).
  if (wa > offW && wb > offW) tally.litMs += b - a;
  else if (wa > offW || wb > offW) tally.litMs += (b - a) * (Math.max(wa, wb) - offW) / Math.abs(wb - wa);
}

/**
 * Integrates readings (sorted by time; readings before `from` serve as the lead-in that holds into
 * the window) over [from, to). Time not covered is added to `gapMs`, so covered + gap = to − from.
 */
export function integrateReadings(readings: readonly PowerReading[], from: number, to: number, opts: IntegrateOptions): EnergyTally {
  const tally = emptyTally();
  if (!(to > from)) return tally;
  const { maxHoldMs, offAtOrBelowW: offW } = opts;
  for (let i = 0; i < readings.length; i++) {
    const a = readings[i]!;
    if (a.t >= to) break;
    const next = readings[i + 1];
    const end = next ? next.t : to;
    if (end <= from) continue;
    const off = a.w <= offW;
    const heldUntil = off ? end : Math.min(end, a.t + maxHoldMs);
    if (next && opts.method === 'trapezoid' && !off && next.t - a.t <= maxHoldMs) {
      addPiece(tally, a.t, next.t, a.w, next.w, from, to, offW);
    } else {
      addPiece(tally, a.t, heldUntil, a.w, a.w, from, to, offW);
    }
  }
  tally.gapMs = to - from - tally.coveredMs;
  return tally;
}

/**
 * Integrates rollup buckets of width `stepMs` (sorted by start) over [from, to): each bucket
 * stands for its mean over its own width, and its last reading holds after it like a reading (up
 * to `maxHoldMs` from the bucket's end, or across any gap when off). Good to the bucket's width
 * where the power changed inside it.
 */
export function integrateBuckets(buckets: readonly PowerBucket[], stepMs: number, from: number, to: number, opts: IntegrateOptions): EnergyTally {
  const tally = emptyTally();
  if (!(to > from)) return tally;
  const { maxHoldMs, offAtOrBelowW: offW } = opts;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (b.t >= to) break;
    const bucketEnd = b.t + stepMs;
    const nextStart = buckets[i + 1]?.t ?? to;
    if (Math.max(bucketEnd, nextStart) <= from) continue;
    addPiece(tally, b.t, bucketEnd, b.mean, b.mean, from, to, offW);
    if (nextStart > bucketEnd) {
      const heldUntil = b.last <= offW ? nextStart : Math.min(nextStart, bucketEnd + maxHoldMs);
      addPiece(tally, bucketEnd, heldUntil, b.last, b.last, from, to, offW);
    }
  }
  tally.gapMs = to - from - tally.coveredMs;
  return tally;
}
