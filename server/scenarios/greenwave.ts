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
 * time-space.svg, time-space-before.svg and corridor.json (the sections on the map).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArterial } from '../../simulations/greenwave/parseArterial';
import type { Arterial } from '../../simulations/greenwave/arterial';
import { arterialNetwork } from '../../simulations/greenwave/arterialNetwork';
import type { ArterialCorridor } from '../../simulations/greenwave/corridor';
import { networkSectionLines, roadSectionLines, type CorridorMap, type CorridorMapSection } from '../../simulations/greenwave/corridorMap';
import type { GreenWaveStudyInput } from '../../simulations/greenwave/greenWaveStudy';
import { arterialInNetwork } from '../../simulations/greenwave/networkArterial';
import { chooseArterialRoad, twinArterial, type RoadCollection, type SignalCollection } from '../../simulations/greenwave/twinArterial';
import { GreenwaveParamsSchema, parseGreenwaveParams, type GreenwaveParams } from '../../simulations/greenwave/scenarioParams';
import { runStudyInWorker } from '../../simulations/greenwave/worker/runStudyInWorker';
import { expandDemand, type Demand } from '../../simulations/traffic/demand';
import { peakDemand } from '../../simulations/traffic/demandScenarios';
import type { Network } from '../../simulations/traffic/network';
import { readTwinNetwork } from '../../simulations/traffic/networkFiles';
import type { ScenarioKind } from './ScenarioKind';

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
  /** The corridor's sections on the map. */
  sections: CorridorMapSection[];
}

/** The arterial, network and demand of the twin network mode. */
async function twinSetup(dir: string, roads: RoadCollection, params: GreenwaveParams): Promise<Setup> {
  const road = chooseArterialRoad(roads, params.roadId);
  const { network } = await readTwinNetwork(dir);
  // The traffic network names each link after its road; the arterial is the chain of its links.
  const found = arterialInNetwork(network, (l) => l.name === road.properties.name);
  const peak = peakDemand(network, { vehicles: Math.round((params.peakVehPerHour * params.demandSeconds) / 3600), durationSeconds: params.demandSeconds });
  const demand = { trips: [...peak.trips, ...throughTrips(found.ends, params).trips].sort((a, b) => a.depart - b.depart) };
  const sections = networkSectionLines(network, found.corridor);
  return { roadId: road.properties.id, roadName: road.properties.name, arterial: found.arterial, network, demand, corridor: found.corridor, sections };
}

export const greenwaveScenario: ScenarioKind<GreenwaveParams> = {
  kind: 'greenwave',
  paramsSchema: GreenwaveParamsSchema,
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
      // The study builds this same corridor network; its sections are laid on the road's line.
      const corridor = arterialNetwork(derived.arterial, derived.arterial.cycleSeconds, derived.arterial.speedMps);
      const chainage = new Map(derived.arterial.intersections.map((i) => [i.id, i.positionM]));
      const line = chooseArterialRoad(roads, derived.roadId).geometry.coordinates;
      const sections = roadSectionLines(line, chainage, corridor.network, corridor.corridor);
      setup = { roadId: derived.roadId, roadName: derived.roadName, arterial: derived.arterial, sections };
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
    const map: CorridorMap = { roadId: setup.roadId, roadName: setup.roadName, network: params.network, sections: setup.sections };
    files['corridor.json'] = JSON.stringify(map) + '\n';
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
