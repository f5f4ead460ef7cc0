/**
 * The green-wave optimiser: MAXBAND's exact fixed-cycle optimum (maxband.ts) searched over the
 * common cycle and the progression speed when the arterial gives ranges for them.
 *
 * The ranges are searched on a stated grid (default 1 s and 0.1 m/s, both ends included); the
 * optimum is exact at every grid point. Plans at different cycles are compared as MAXBAND does,
 * by (b + k·b̄)/C — bandwidth as a share of the cycle — since a longer cycle stretches every green.
 */
import { timingsAt, TIME_EPS, type Arterial } from './arterial';
import { maxbandFixed, maxbandWork, better, type FixedCycleOptimum } from './maxband';

export const DEFAULT_SPEED_STEP_MPS = 0.1;
export const DEFAULT_CYCLE_STEP_SECONDS = 1;
/** Refuse searches above this many elementary steps (about 10 s on one core). */
export const MAX_SEARCH_WORK = 1.5e9;

export interface GreenWaveOptimum extends FixedCycleOptimum {
  cycleSeconds: number;
  speedMps: number;
  /** Grid points tried (1 when neither range is given). */
  gridPoints: number;
}

/** Values lo, lo + step, … up to hi, hi always included. */
export function gridValues(range: [number, number] | undefined, fixed: number, step: number): number[] {
  if (!range) return [fixed];
  const [lo, hi] = range;
  const out: number[] = [];
  const count = Math.floor((hi - lo) / step + TIME_EPS);
  for (let i = 0; i <= count; i++) out.push(lo + i * step);
  if (hi - out[out.length - 1]! > TIME_EPS) out.push(hi);
  return out;
}

export function searchGrid(arterial: Arterial): { cycles: number[]; speeds: number[] } {
  return {
    cycles: gridValues(arterial.cycleRangeSeconds, arterial.cycleSeconds, arterial.cycleStepSeconds ?? DEFAULT_CYCLE_STEP_SECONDS),
    speeds: gridValues(arterial.speedRangeMps, arterial.speedMps, arterial.speedStepMps ?? DEFAULT_SPEED_STEP_MPS),
  };
}

/** Elementary steps a search would take, for the caller's limit check. */
export function searchWork(arterial: Arterial): number {
  const { cycles, speeds } = searchGrid(arterial);
  return cycles.length * speeds.length * maxbandWork(arterial.intersections.length);
}

/** `onProgress` gets the fraction of grid points done (called once per cycle value). */
export function optimiseGreenWave(arterial: Arterial, onProgress?: (fraction: number) => void): GreenWaveOptimum {
  const k = arterial.inboundWeight ?? 1;
  const { cycles, speeds } = searchGrid(arterial);
  let best: { C: number; v: number; share: number; balance: number } | null = null;
  for (let ci = 0; ci < cycles.length; ci++) {
    const C = cycles[ci]!;
    for (const v of speeds) {
      const opt = maxbandFixed(timingsAt(arterial, C, v), k, false);
      const share = opt.objective / C;
      const balance = Math.min(opt.outboundSeconds, opt.inboundSeconds) / C;
      if (!best || better(share, balance, best.share, best.balance)) best = { C, v, share, balance };
    }
    onProgress?.((ci + 1) / cycles.length);
  }
  if (!best) throw new RangeError('optimiseGreenWave: empty search grid');
  const { C, v } = best;
  // Re-solve the winner with the balance candidates: same optimum, more even split between bands.
  const opt = maxbandFixed(timingsAt(arterial, C, v), k, true);
  return { ...opt, cycleSeconds: C, speedMps: v, gridPoints: cycles.length * speeds.length };
}
