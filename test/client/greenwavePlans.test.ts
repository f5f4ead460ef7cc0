/**
 * A green-wave result as the corridor's timing plans (client/src/features/greenwave/core/timingPlans.ts):
 * the arterial green from the diagram, the crossing green the rest of the cycle less the lost time,
 * the result's offsets in [0, cycle) — every plan one the server's rules accept.
 */
import { describe, expect, it } from 'vitest';
import { checkTimingPlan } from '../../domain/signalPlans';
import { greenWavePlans } from '../../client/src/features/greenwave/core/timingPlans';
import { planGreenWave } from '../../simulations/greenwave/planGreenWave';
import type { Arterial } from '../../simulations/greenwave/arterial';

const arterial: Arterial = {
  cycleSeconds: 90,
  speedMps: 14,
  cycleRangeSeconds: [60, 120],
  intersections: [
    { id: 'S001', positionM: 0, greenSeconds: 48 },
    { id: 'S002', positionM: 420, greenSeconds: 38 },
    { id: 'S003', positionM: 900, greenSeconds: 48 },
  ],
};

describe('greenWavePlans', () => {
  it("keeps each junction's green share at the chosen cycle and the optimiser's offsets", () => {
    const result = planGreenWave(arterial);
    const plans = greenWavePlans(result);
    expect(plans.map((p) => p.signalId)).toEqual(['S001', 'S002', 'S003']);
    const c = Math.round(result.cycleSeconds);
    for (const [i, p] of plans.entries()) {
      expect(p.cycleS).toBe(c);
      expect(p.lostTimeS).toBe(4);
      // The arterial's green is its share of the 90 s plan at the new cycle.
      expect(p.splitsS[0]).toBe(Math.round((arterial.intersections[i]!.greenSeconds * c) / 90));
      expect(p.splitsS[0]! + p.splitsS[1]!).toBe(c - 4);
      expect(p.offsetS).toBe(((Math.round(result.offsetsSeconds[p.signalId]!) % c) + c) % c);
      expect(() => checkTimingPlan(p)).not.toThrow();
    }
  });
});
