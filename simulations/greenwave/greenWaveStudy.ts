/**
 * A green-wave study end to end, as the CLI and the scenario run it: the plan, then the traffic
 * simulation before and after it — on a given network and demand, or on the arterial's own
 * corridor network with through and crossing demand — and the files it leaves.
 */
import { expandDemand, type Demand } from '../traffic/demand';
import { CITY_IDM } from '../traffic/idm';
import type { Network } from '../traffic/network';
import type { Arterial } from './arterial';
import { arterialNetwork, corridorDemand, type CorridorDemand } from './arterialNetwork';
import { compareGreenWave, withPlan, type GreenWaveComparison } from './compareGreenWave';
import { findCorridor, type ArterialCorridor } from './corridor';
import { planGreenWave, type GreenWaveResult } from './planGreenWave';
import { timeSpaceSvg } from './timeSpaceSvg';

export interface TrafficCheck extends CorridorDemand {
  /** Simulated seconds per run (default: the demand's span plus 15 minutes to drain). */
  simulateSeconds?: number;
  /** Wall-clock limit per run, ms (default 120 000). */
  wallClockLimitMs?: number;
}

export interface GreenWaveStudyInput {
  arterial: Arterial;
  /** Run before/after on this network and demand (arterial ids are its node ids). */
  network?: Network;
  demand?: Demand;
  /** The arterial in `network`; found from direct links between its signals when absent. */
  corridor?: ArterialCorridor;
  /** Options of the before/after runs; null skips them. */
  traffic?: TrafficCheck | null;
}

export interface BeforeAfter extends GreenWaveComparison {
  /** "given" network and demand, or the arterial's own corridor network. */
  network: 'given' | 'arterial';
  simulateSeconds: number;
  trips: number;
  /** Progression speed before and after; the after run signs the plan's on the arterial. */
  arterialSpeedMps: { before: number; after: number };
}

export interface GreenWaveStudy {
  plan: GreenWaveResult;
  beforeAfter: BeforeAfter | null;
}

const DRAIN_SECONDS = 900;

export function runGreenWaveStudy(
  input: GreenWaveStudyInput,
  onProgress: (fraction: number, message: string) => void = () => {},
  shouldStop?: () => boolean,
): GreenWaveStudy {
  const { arterial } = input;
  // The optimisation is cheap next to the two traffic runs: a tenth of the progress bar.
  const plan = planGreenWave(arterial, (f) => onProgress(0.1 * f, 'optimising offsets'));
  if (input.traffic === null) return { plan, beforeAfter: null };
  const options = input.traffic ?? {};
  const ids = arterial.intersections.map((s) => s.id);

  let before: Network;
  let demand: Demand;
  let corridor: ArterialCorridor;
  if (input.network) {
    if (!input.demand) throw new RangeError('demand: a network needs a demand for the before/after runs');
    corridor = input.corridor ?? findCorridor(input.network, ids);
    before = input.network;
    demand = input.demand;
  } else {
    const base = arterialNetwork(arterial, arterial.cycleSeconds, arterial.speedMps);
    corridor = base.corridor;
    before = withPlan(base.network, corridor, plan.before.offsetsSeconds, arterial.cycleSeconds);
    demand = expandDemand(corridorDemand(base.network, arterial, options));
  }
  // A plan that chose its progression speed signs it on the arterial (it is part of the plan).
  const signs = Math.abs(plan.speedMps - arterial.speedMps) > 1e-9;
  const after = withPlan(before, corridor, plan.offsetsSeconds, plan.cycleSeconds, signs ? plan.speedMps : undefined);
  // Drivers keep to the posted speeds, so that a band laid out for the posted speed is driven at it.
  const postedMax = Math.max(...before.links.map((l) => l.speedLimitMps), ...after.links.map((l) => l.speedLimitMps));
  const lastDepart = demand.trips.reduce((m, t) => Math.max(m, t.depart), 0);
  const simulateSeconds = options.simulateSeconds ?? Math.ceil(lastDepart + DRAIN_SECONDS);
  const comparison = compareGreenWave(before, after, demand, corridor, {
    durationSeconds: simulateSeconds,
    wallClockLimitMs: options.wallClockLimitMs ?? 120_000,
    idm: { v0_mps: Math.max(CITY_IDM.v0_mps, postedMax) },
    shouldStop,
    onProgress: (f) => onProgress(0.1 + 0.9 * f, f < 0.5 ? 'simulating traffic before' : 'simulating traffic after'),
  });
  return {
    plan,
    beforeAfter: {
      ...comparison,
      network: input.network ? 'given' : 'arterial',
      simulateSeconds,
      trips: demand.trips.length,
      arterialSpeedMps: { before: arterial.speedMps, after: plan.speedMps },
    },
  };
}

/** The study's result files by name: result.json, before-after.json and the two diagrams. */
export function studyFiles(study: GreenWaveStudy, title: string): Record<string, string> {
  const files: Record<string, string> = {
    'result.json': JSON.stringify(study.plan, null, 2) + '\n',
    'time-space.svg': timeSpaceSvg(study.plan.diagram, `${title}: optimised offsets`),
    'time-space-before.svg': timeSpaceSvg(study.plan.before.diagram, `${title}: offsets before`),
  };
  if (study.beforeAfter) files['before-after.json'] = JSON.stringify(study.beforeAfter, null, 2) + '\n';
  return files;
}
