import { describe, expect, it } from 'vitest';
import type { Arterial } from '../../../simulations/greenwave/arterial';
import { arterialNetwork } from '../../../simulations/greenwave/arterialNetwork';
import { withPlan } from '../../../simulations/greenwave/compareGreenWave';
import { runGreenWaveStudy } from '../../../simulations/greenwave/greenWaveStudy';
import { isGreen, type Network } from '../../../simulations/traffic/network';

/** 300 m at 10 m/s is half the 60 s cycle: with all greens together, a platoon meets every red. */
const halfCycle: Arterial = {
  cycleSeconds: 60,
  speedMps: 10,
  intersections: [0, 300, 600, 900].map((x, i) => ({ id: `S${i}`, positionM: x, greenSeconds: 30 })),
};

describe('plan applied to the traffic simulation', () => {
  it('starts each outbound green at the planned offset, whatever the phase order', () => {
    const split: Arterial = {
      ...halfCycle,
      intersections: halfCycle.intersections.map((s) => ({ ...s, inboundGreenSeconds: 20, inboundGreenStartSeconds: 40 })),
    };
    const { network, corridor } = arterialNetwork(split, 60, 10);
    // Rotate one signal's phases so that its outbound green is no longer phase 0.
    const rotated: Network = {
      ...network,
      nodes: network.nodes.map((n) => (n.id === 'S2' && n.signal ? { ...n, signal: { ...n.signal, phases: [...n.signal.phases.slice(1), n.signal.phases[0]!] } } : n)),
    };
    const offsets = { S0: 0, S1: 17, S2: 44.5, S3: 5 };
    const planned = withPlan(rotated, corridor, offsets, 60);
    corridor.nodeIds.forEach((id, i) => {
      const signal = planned.nodes.find((n) => n.id === id)!.signal!;
      const link = corridor.outboundLinks[i]!;
      const theta = offsets[id as keyof typeof offsets];
      expect(isGreen(signal, link, theta + 0.01)).toBe(true);
      expect(isGreen(signal, link, theta - 0.01)).toBe(false);
      expect(isGreen(signal, link, theta + 29.99)).toBe(true);
      expect(isGreen(signal, link, theta + 30.01)).toBe(false);
    });
  });

  it('stretches the phases when the plan changes the cycle', () => {
    const { network, corridor } = arterialNetwork(halfCycle, 60, 10);
    const planned = withPlan(network, corridor, { S0: 0, S1: 0, S2: 0, S3: 0 }, 80);
    const signal = planned.nodes.find((n) => n.id === 'S1')!.signal!;
    expect(signal.cycleSeconds).toBe(80);
    expect(signal.phases.map((p) => p.durationSeconds)).toEqual([40, 40]);
  });

  it('cuts stops and travel time along the arterial against simultaneous greens', () => {
    const study = runGreenWaveStudy({ arterial: halfCycle, traffic: { throughVehPerHour: 500, crossVehPerHour: 60, durationSeconds: 900 } });
    expect(study.plan.bandwidthSeconds).toEqual({ outbound: 30, inbound: 30 });
    expect(study.plan.before.bandwidthSeconds).toEqual({ outbound: 0, inbound: 0 });
    const ba = study.beforeAfter!;
    for (const dir of ['outbound', 'inbound'] as const) {
      const before = ba.before[dir];
      const after = ba.after[dir];
      expect(before.vehicles).toBeGreaterThan(50);
      expect(after.vehicles).toBe(before.vehicles);
      // Before: stopped at nearly every one of the 4 signals; after: at most at the first.
      expect(before.meanStops!).toBeGreaterThan(2.5);
      expect(after.meanStops!).toBeLessThan(1);
      expect(after.meanTravelTimeSeconds!).toBeLessThan(before.meanTravelTimeSeconds! - 30);
    }
    expect(ba.change.meanStops!).toBeLessThan(-2);
    expect(ba.after.signalDelaySeconds!).toBeLessThan(ba.before.signalDelaySeconds!);
  });
});
