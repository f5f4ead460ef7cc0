/**
 * An arterial for green-wave coordination: signalised intersections along one road, each with
 * one through green per cycle for the outbound direction (increasing position) and one for the
 * inbound direction. This is the input the optimiser and the bandwidth evaluation share.
 */

export interface ArterialIntersection {
  id: string;
  /** Distance along the arterial from its start, metres; strictly increasing along the list. */
  positionM: number;
  /** Outbound (towards increasing position) through green per cycle, seconds. */
  greenSeconds: number;
  /** Inbound through green; the outbound green when absent (one phase serves both directions). */
  inboundGreenSeconds?: number;
  /** Start of the inbound green relative to the start of the outbound green, seconds. */
  inboundGreenStartSeconds?: number;
}

export interface Arterial {
  /** The cycle the greens were given for (and the common cycle unless a range is given). */
  cycleSeconds: number;
  /** Progression speed of the band, m/s (both directions). */
  speedMps: number;
  intersections: ArterialIntersection[];
  /** Let the optimiser choose the progression speed in [min, max]. */
  speedRangeMps?: [number, number];
  /** Let the optimiser choose the common cycle in [min, max]; greens keep their split. */
  cycleRangeSeconds?: [number, number];
  /** Grid steps for the ranges above (default 0.1 m/s and 1 s). */
  speedStepMps?: number;
  cycleStepSeconds?: number;
  /** Weight k of the inbound band in the objective b + k·b̄ (MAXBAND); default 1. */
  inboundWeight?: number;
  /** Offsets in force today, by id (start of outbound green relative to the first); default 0. */
  offsetsSeconds?: Record<string, number>;
}

/**
 * The arterial's timings at one cycle length, as plain arrays in intersection order. Greens and
 * inbound starts are given for `arterial.cycleSeconds`; at another cycle they keep their share of
 * the cycle (the split), which is how a coordinated plan stretches a timing plan.
 */
export interface ArterialTimings {
  cycleSeconds: number;
  speedMps: number;
  /** Travel time from the first intersection at the progression speed, seconds. */
  travelSeconds: number[];
  green: number[];
  inboundGreen: number[];
  /** Inbound green start relative to outbound green start, in [0, C). */
  inboundStart: number[];
}

/** Floating-point slack for comparisons of times in seconds (well below any signal resolution). */
export const TIME_EPS = 1e-9;

/** x mod m in [0, m), for negative x too. */
export function mod(x: number, m: number): number {
  const r = x % m;
  return r < 0 ? r + m : r;
}

export function timingsAt(arterial: Arterial, cycleSeconds: number, speedMps: number): ArterialTimings {
  const scale = cycleSeconds / arterial.cycleSeconds;
  const x0 = arterial.intersections[0]!.positionM;
  const list = arterial.intersections;
  return {
    cycleSeconds,
    speedMps,
    travelSeconds: list.map((s) => (s.positionM - x0) / speedMps),
    green: list.map((s) => s.greenSeconds * scale),
    inboundGreen: list.map((s) => (s.inboundGreenSeconds ?? s.greenSeconds) * scale),
    inboundStart: list.map((s) => mod((s.inboundGreenStartSeconds ?? 0) * scale, cycleSeconds)),
  };
}
