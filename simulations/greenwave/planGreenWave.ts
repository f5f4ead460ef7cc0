/**
 * A green-wave plan for an arterial: the optimiser's offsets, cycle and speed, their exactly
 * evaluated bands, and the same figures for the offsets in force today ("before"), each with its
 * time–space diagram. The result is the JSON the CLI and the scenario write as result.json.
 */
import { timingsAt, type Arterial } from './arterial';
import { evaluateBandwidth } from './bandwidth';
import { DEFAULT_CYCLE_STEP_SECONDS, DEFAULT_SPEED_STEP_MPS, optimiseGreenWave, searchGrid } from './optimise';
import { timeSpaceDiagram, type TimeSpaceDiagram } from './timeSpace';

export interface PlanFigures {
  cycleSeconds: number;
  speedMps: number;
  offsetsSeconds: Record<string, number>;
  bandwidthSeconds: { outbound: number; inbound: number };
  /** Bandwidth as a share of the cycle; `twoWay` is (b + b̄) / 2C. */
  efficiency: { outbound: number; inbound: number; twoWay: number };
  diagram: TimeSpaceDiagram;
}

export interface GreenWaveResult extends PlanFigures {
  inboundWeight: number;
  /** b + k·b̄ of the plan, seconds. */
  objective: number;
  search: {
    method: string;
    gridPoints: number;
    cyclesSeconds: [number, number] | null;
    speedsMps: [number, number] | null;
    cycleStepSeconds: number | null;
    speedStepMps: number | null;
  };
  before: PlanFigures;
}

/** Offsets are reported to the millisecond and every figure is evaluated on the reported values. */
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function figures(arterial: Arterial, cycleSeconds: number, speedMps: number, offsets: number[]): PlanFigures {
  const timings = timingsAt(arterial, cycleSeconds, speedMps);
  const rounded = offsets.map(round3);
  const band = evaluateBandwidth(timings, rounded);
  const b = band.outbound.widthSeconds;
  const bBar = band.inbound.widthSeconds;
  const ids = arterial.intersections.map((s) => s.id);
  return {
    cycleSeconds,
    speedMps,
    offsetsSeconds: Object.fromEntries(ids.map((id, i) => [id, rounded[i]!])),
    bandwidthSeconds: { outbound: round3(b), inbound: round3(bBar) },
    efficiency: { outbound: b / cycleSeconds, inbound: bBar / cycleSeconds, twoWay: (b + bBar) / (2 * cycleSeconds) },
    diagram: timeSpaceDiagram(ids, arterial.intersections.map((s) => s.positionM), timings, rounded, band),
  };
}

/** The offsets in force today, relative to the first intersection (missing ones count as 0). */
export function currentOffsets(arterial: Arterial): number[] {
  const given = arterial.offsetsSeconds ?? {};
  const first = given[arterial.intersections[0]!.id] ?? 0;
  return arterial.intersections.map((s) => (given[s.id] ?? 0) - first);
}

export function planGreenWave(arterial: Arterial, onProgress?: (fraction: number) => void): GreenWaveResult {
  const opt = optimiseGreenWave(arterial, onProgress);
  const after = figures(arterial, opt.cycleSeconds, opt.speedMps, opt.offsets);
  const k = arterial.inboundWeight ?? 1;
  const grid = searchGrid(arterial);
  return {
    ...after,
    inboundWeight: k,
    objective: after.bandwidthSeconds.outbound + k * after.bandwidthSeconds.inbound,
    search: {
      method: 'MAXBAND, exact: loop-constraint vertex enumeration at each grid point',
      gridPoints: grid.cycles.length * grid.speeds.length,
      cyclesSeconds: arterial.cycleRangeSeconds ?? null,
      speedsMps: arterial.speedRangeMps ?? null,
      cycleStepSeconds: arterial.cycleRangeSeconds ? (arterial.cycleStepSeconds ?? DEFAULT_CYCLE_STEP_SECONDS) : null,
      speedStepMps: arterial.speedRangeMps ? (arterial.speedStepMps ?? DEFAULT_SPEED_STEP_MPS) : null,
    },
    before: figures(arterial, arterial.cycleSeconds, arterial.speedMps, currentOffsets(arterial)),
  };
}
