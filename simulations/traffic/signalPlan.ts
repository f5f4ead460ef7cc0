/**
 * The default fixed-time plan that importers give a signalised junction when the source names
 * no timings: phase 0 is the main road's green (what green-wave offsets refer to), then the
 * cross road, each followed by a short all-red. A junction with a single approach group gets a
 * pedestrian phase (all red) instead of the cross-road green.
 */
import type { Signal, SignalPhase } from './network';

export const DEFAULT_SIGNAL_PLAN = { mainGreenSeconds: 48, crossGreenSeconds: 38, pedestrianSeconds: 20, allRedSeconds: 2 } as const;

export function twoPhasePlan(mainLinks: string[], crossLinks: string[]): Signal {
  const plan = DEFAULT_SIGNAL_PLAN;
  const phases: SignalPhase[] = [
    { durationSeconds: plan.mainGreenSeconds, greenLinks: mainLinks },
    { durationSeconds: plan.allRedSeconds, greenLinks: [] },
  ];
  if (crossLinks.length > 0) phases.push({ durationSeconds: plan.crossGreenSeconds, greenLinks: crossLinks });
  else phases.push({ durationSeconds: plan.pedestrianSeconds, greenLinks: [] });
  phases.push({ durationSeconds: plan.allRedSeconds, greenLinks: [] });
  return { cycleSeconds: phases.reduce((a, p) => a + p.durationSeconds, 0), offsetSeconds: 0, phases };
}
