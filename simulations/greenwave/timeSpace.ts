/**
 * Time–space diagram data of a plan: green and red intervals per intersection and direction over
 * a few cycles, and the bands as parallelograms in (position, time). Plain JSON, drawn by the SVG
 * writer and by the client panel alike.
 */
import { mod, type ArterialTimings } from './arterial';
import type { TwoWayBand } from './bandwidth';

export interface SignalInterval {
  fromSeconds: number;
  toSeconds: number;
  state: 'green' | 'red';
}

export interface DiagramIntersection {
  id: string;
  positionM: number;
  offsetSeconds: number;
  outbound: SignalInterval[];
  inbound: SignalInterval[];
}

/** One passage of a band: corners (positionM, timeSeconds) in order around the parallelogram. */
export interface BandPolygon {
  direction: 'outbound' | 'inbound';
  points: [number, number][];
}

export interface TimeSpaceDiagram {
  cycleSeconds: number;
  speedMps: number;
  horizonSeconds: number;
  intersections: DiagramIntersection[];
  bandwidthSeconds: { outbound: number; inbound: number };
  bands: BandPolygon[];
}

export const DIAGRAM_CYCLES = 3;

/** Green intervals [start + mC, start + mC + green] clipped to [0, horizon], reds between. */
function intervals(start: number, green: number, cycle: number, horizon: number): SignalInterval[] {
  const out: SignalInterval[] = [];
  let t = 0;
  for (let from = mod(start, cycle) - cycle; from < horizon; from += cycle) {
    const g0 = Math.max(0, from);
    const g1 = Math.min(horizon, from + green);
    if (g1 <= g0) continue;
    if (g0 > t) out.push({ fromSeconds: t, toSeconds: g0, state: 'red' });
    out.push({ fromSeconds: g0, toSeconds: g1, state: 'green' });
    t = g1;
  }
  if (t < horizon) out.push({ fromSeconds: t, toSeconds: horizon, state: 'red' });
  return out;
}

export function timeSpaceDiagram(
  ids: readonly string[],
  positionsM: readonly number[],
  timings: ArterialTimings,
  offsets: readonly number[],
  band: TwoWayBand,
  cycles = DIAGRAM_CYCLES,
): TimeSpaceDiagram {
  const { cycleSeconds: C, travelSeconds: t, speedMps } = timings;
  const horizon = cycles * C;
  const x0 = positionsM[0]!;
  const xN = positionsM[positionsM.length - 1]!;
  const T = t[t.length - 1]!;
  const bands: BandPolygon[] = [];
  // Copies from one cycle before the window so that bands entering it from below are drawn.
  for (let m = -1; m < cycles + 1; m++) {
    const out = band.outbound;
    if (out.widthSeconds > 0) {
      const s = out.startSeconds + m * C;
      const e = s + out.widthSeconds;
      bands.push({ direction: 'outbound', points: [[x0, s], [xN, s + T], [xN, e + T], [x0, e]] });
    }
    const inb = band.inbound;
    if (inb.widthSeconds > 0) {
      // Inbound vehicles pass the last intersection T before they reach the first one.
      const s = inb.startSeconds + m * C;
      const e = s + inb.widthSeconds;
      bands.push({ direction: 'inbound', points: [[xN, s - T], [x0, s], [x0, e], [xN, e - T]] });
    }
  }
  return {
    cycleSeconds: C,
    speedMps,
    horizonSeconds: horizon,
    intersections: ids.map((id, i) => ({
      id,
      positionM: positionsM[i]!,
      offsetSeconds: offsets[i]!,
      outbound: intervals(offsets[i]!, timings.green[i]!, C, horizon),
      inbound: intervals(offsets[i]! + timings.inboundStart[i]!, timings.inboundGreen[i]!, C, horizon),
    })),
    bandwidthSeconds: { outbound: band.outbound.widthSeconds, inbound: band.inbound.widthSeconds },
    bands,
  };
}
