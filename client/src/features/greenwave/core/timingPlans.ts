/**
 * A green-wave result as timing plans for the corridor's signal controllers (domain/signalPlans.ts),
 * pure: each junction keeps two phases — the arterial's green as the result's time–space diagram
 * gives it at the chosen cycle, and the crossing road's green the rest of the cycle less the lost
 * time — with the result's offset. Controllers time in whole seconds, so every figure is rounded.
 */
import { SIGNAL_PLAN_LIMITS } from '../../../../../domain/signalPlans';
import { DEFAULT_SIGNAL_PLAN } from '../../../../../simulations/traffic/signalPlan';
import type { GreenWaveResult } from '../../../../../simulations/greenwave/planGreenWave';

export interface JunctionPlan {
  signalId: string;
  cycleS: number;
  splitsS: number[];
  offsetS: number;
  lostTimeS: number;
}

/** The twin's plans lose two all-red intervals a cycle (simulations/traffic/signalPlan.ts). */
export const DEFAULT_LOST_TIME_S = 2 * DEFAULT_SIGNAL_PLAN.allRedSeconds;

export function greenWavePlans(result: Pick<GreenWaveResult, 'cycleSeconds' | 'offsetsSeconds' | 'diagram'>, lostTimeS = DEFAULT_LOST_TIME_S): JunctionPlan[] {
  const cycleS = Math.round(result.cycleSeconds);
  const minGreen = SIGNAL_PLAN_LIMITS.splitS.min;
  return result.diagram.intersections.map((x) => {
    // The full green of the arterial's outbound phase: the longest green interval drawn (the first and last may be clipped).
    const green = Math.max(0, ...x.outbound.filter((i) => i.state === 'green').map((i) => i.toSeconds - i.fromSeconds));
    const main = Math.min(cycleS - lostTimeS - minGreen, Math.max(minGreen, Math.round((green * cycleS) / result.cycleSeconds)));
    const offset = result.offsetsSeconds[x.id] ?? x.offsetSeconds;
    return { signalId: x.id, cycleS, splitsS: [main, cycleS - lostTimeS - main], offsetS: ((Math.round(offset) % cycleS) + cycleS) % cycleS, lostTimeS };
  });
}
