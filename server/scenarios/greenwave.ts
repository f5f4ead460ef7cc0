/**
 * The green-wave scenario: a MAXBAND plan for the twin's arterial and the traffic simulation
 * before and after it, run in a worker thread. Two ways to simulate (`params.network`):
 *
 * - "twin" (default): the twin's whole road network as the traffic simulation builds it, with a
 *   peak-hour demand plus through traffic along the arterial; the arterial's positions, greens
 *   and offsets are read from that network's signals, so the plan fits what is simulated.
 * - "corridor": the arterial alone (its signals placed along the road line, timings from their
 *   properties or the default plan) as a straight corridor with through and crossing traffic.
 *
 * Files: result.json (plan, bands, offsets, time–space diagram data), before-after.json,
 * time-space.svg and time-space-before.svg.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArterialError, ARTERIAL_LIMITS, checkNumber, checkRange, parseArterial } from '../../simulations/greenwave/parseArterial';
import type { Arterial } from '../../simulations/greenwave/arterial';
import type { ArterialCorridor } from '../../simulations/greenwave/corridor';
import type { GreenWaveStudyInput } from '../../simulations/greenwave/greenWaveStudy';
import { arterialInNetwork } from '../../simulations/greenwave/networkArterial';
import { chooseArterialRoad, twinArterial, type RoadCollection, type SignalCollection } from '../../simulations/greenwave/twinArterial';
import { runStudyInWorker } from '../../simulations/greenwave/worker/runStudyInWorker';
import { expandDemand, type Demand } from '../../simulations/traffic/demand';
import { peakDemand } from '../../simulations/traffic/demandScenarios';
import type { Network } from '../../simulations/traffic/network';
import { readTwinNetwork } from '../../simulations/traffic/networkFiles';
import { ScenarioParamsError, type ScenarioKind } from './ScenarioKind';

export interface GreenwaveParams {
  /** Road to coordinate; the twin's longest arterial when absent. */
  roadId?: string;
  /** Simulate on the twin's road network or on the arterial's own corridor. */
  network: 'twin' | 'corridor';
  /** Twin network: background peak-hour demand, vehicles per hour. */
  peakVehPerHour: number;
  /** Corridor network: cycle of the default timing plan (signals without their own timing), s. */
  cycleSeconds: number;
  /** Cycle range the optimiser may choose from; null keeps the signals' cycle. */
  cycleRangeSeconds: [number, number] | null;
  /** Progression speed range; null keeps the road's speed limit. */
  speedRangeMps: [number, number] | null;
  /** k in b + k·b̄. */
  inboundWeight: number;
  throughVehPerHour: number;
  crossVehPerHour: number;
  /** Span of departures of the before/after runs, s. */
  demandSeconds: number;
}

export const GREENWAVE_DEFAULTS: GreenwaveParams = {
  network: 'twin',
  peakVehPerHour: 3000,
  cycleSeconds: 90,
  cycleRangeSeconds: [60, 120],
  // 50 to 60 km/h: progression speeds an urban arterial signs without slowing its traffic much.
  speedRangeMps: [13.9, 16.7],
  inboundWeight: 1,
  // Through traffic end to end each way: what a green wave is for.
  throughVehPerHour: 600,
  crossVehPerHour: 120,
  demandSeconds: 1800,
};

const FIELDS = ['roadId', ...Object.keys(GREENWAVE_DEFAULTS)];

function parseGreenwaveParams(raw: unknown): GreenwaveParams {
  const body = raw ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ScenarioParamsError('params', 'must be an object');
  const p = body as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!FIELDS.includes(key)) throw new ScenarioParamsError(`params.${key}`, `unknown field; expected one of ${FIELDS.join(', ')}`);
  }
  try {
    const out: GreenwaveParams = { ...GREENWAVE_DEFAULTS };
    if (p.roadId !== undefined) {
      if (typeof p.roadId !== 'string' || p.roadId === '' || p.roadId.length > 64) throw new ArterialError('params.roadId', 'must be a road id');
      out.roadId = p.roadId;
    }
    if (p.network !== undefined) {
      if (p.network !== 'twin' && p.network !== 'corridor') throw new ArterialError('params.network', 'must be "twin" or "corridor"');
      out.network = p.network;
    }
    if (p.peakVehPerHour !== undefined) out.peakVehPerHour = checkNumber(p.peakVehPerHour, 'params.peakVehPerHour', { min: 0, max: 20_000 });
    if (p.cycleSeconds !== undefined) out.cycleSeconds = checkNumber(p.cycleSeconds, 'params.cycleSeconds', ARTERIAL_LIMITS.cycleSeconds);
    if (p.cycleRangeSeconds !== undefined) {
      out.cycleRangeSeconds = p.cycleRangeSeconds === null ? null : checkRange(p.cycleRangeSeconds, 'params.cycleRangeSeconds', ARTERIAL_LIMITS.cycleSeconds);
    }
    if (p.speedRangeMps !== undefined) {
      out.speedRangeMps = p.speedRangeMps === null ? null : checkRange(p.speedRangeMps, 'params.speedRangeMps', ARTERIAL_LIMITS.speedMps);
    }
    if (p.inboundWeight !== undefined) out.inboundWeight = checkNumber(p.inboundWeight, 'params.inboundWeight', ARTERIAL_LIMITS.inboundWeight);
    if (p.throughVehPerHour !== undefined) out.throughVehPerHour = checkNumber(p.throughVehPerHour, 'params.throughVehPerHour', { min: 0, max: 3000 });
    if (p.crossVehPerHour !== undefined) out.crossVehPerHour = checkNumber(p.crossVehPerHour, 'params.crossVehPerHour', { min: 0, max: 1500 });
    if (p.demandSeconds !== undefined) out.demandSeconds = checkNumber(p.demandSeconds, 'params.demandSeconds', { min: 300, max: 3 * 3600 });
    return out;
  } catch (err) {
    if (err instanceof ArterialError) throw new ScenarioParamsError(err.path, err.detail);
    throw err;
  }
}

async function readLayer<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;
}

/** Through trips between the arterial's two ends, both ways, spread over the demand span. */
function throughTrips(ends: [string, string], params: GreenwaveParams): Demand {
  const n = (params.throughVehPerHour * params.demandSeconds) / 3600;
  const profile = [{ startSeconds: 0, endSeconds: params.demandSeconds, share: 1 }];
  const demand = expandDemand({ seed: 7, matrices: [{ origins: ends, destinations: ends, vehicles: [[0, n], [n, 0]], profile }] });
  // Distinct from the peak demand's trip ids, which come from the same expansion scheme.
  return { trips: demand.trips.map((t) => ({ ...t, id: `through-${t.id}` })) };
}

interface Setup {
  roadId: string;
  roadName: string;
  arterial: Arterial;
  network?: Network;
  demand?: Demand;
  corridor?: ArterialCorridor;
}

/** The arterial, network and demand of the twin network mode. */
async function twinSetup(dir: string, roads: RoadCollection, params: GreenwaveParams): Promise<Setup> {
  const road = chooseArterialRoad(roads, params.roadId);
  const { network } = await readTwinNetwork(dir);
  // The traffic network names each link after its road; the arterial is the chain of its links.
  const found = arterialInNetwork(network, (l) => l.name === road.properties.name);
  const peak = peakDemand(network, { vehicles: Math.round((params.peakVehPerHour * params.demandSeconds) / 3600), durationSeconds: params.demandSeconds });
  const demand = { trips: [...peak.trips, ...throughTrips(found.ends, params).trips].sort((a, b) => a.depart - b.depart) };
  return { roadId: road.properties.id, roadName: road.properties.name, arterial: found.arterial, network, demand, corridor: found.corridor };
}

export const greenwaveScenario: ScenarioKind<GreenwaveParams> = {
  kind: 'greenwave',
  parseParams: parseGreenwaveParams,
  async run(params, ctx) {
    const { twin } = ctx;
    const roads = await readLayer<RoadCollection>(twin.dir, twin.manifest.files.roads);
    let setup: Setup;
    if (params.network === 'twin') {
      setup = await twinSetup(twin.dir, roads, params);
    } else {
      const signals = await readLayer<SignalCollection>(twin.dir, twin.manifest.files.signals);
      const derived = twinArterial(roads, signals, { roadId: params.roadId, cycleSeconds: params.cycleSeconds });
      setup = { roadId: derived.roadId, roadName: derived.roadName, arterial: derived.arterial };
    }
    // The twin's data passes the same checks as a user's arterial file.
    const raw: Record<string, unknown> = { ...setup.arterial, inboundWeight: params.inboundWeight };
    if (params.cycleRangeSeconds) raw.cycleRangeSeconds = params.cycleRangeSeconds;
    if (params.speedRangeMps) raw.speedRangeMps = params.speedRangeMps;
    const arterial = parseArterial(raw, `twin arterial ${setup.roadId}`);
    ctx.onProgress(0, `coordinating ${arterial.intersections.length} signals on ${setup.roadName}`);

    const input: GreenWaveStudyInput = {
      arterial,
      traffic: { throughVehPerHour: params.throughVehPerHour, crossVehPerHour: params.crossVehPerHour, durationSeconds: params.demandSeconds },
    };
    if (setup.network) Object.assign(input, { network: setup.network, demand: setup.demand, corridor: setup.corridor });
    const { study, files } = await runStudyInWorker(input, setup.roadName, ctx.onProgress, ctx.signal);
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(ctx.outDir, name), text);

    const plan = study.plan;
    const ba = study.beforeAfter;
    return {
      summary: {
        roadId: setup.roadId,
        roadName: setup.roadName,
        network: params.network,
        intersections: arterial.intersections.length,
        cycleSeconds: plan.cycleSeconds,
        speedMps: plan.speedMps,
        bandwidthSeconds: plan.bandwidthSeconds,
        efficiency: plan.efficiency.twoWay,
        beforeBandwidthSeconds: plan.before.bandwidthSeconds,
        trips: ba?.trips ?? 0,
        arterialChange: ba?.change ?? null,
      },
      files: Object.keys(files),
    };
  },
};
