/**
 * Before/after of a green-wave plan in the traffic simulation: the same network and demand run
 * once with the offsets in force and once with the plan's, and the figures planners compare —
 * stops, delay and travel time of the vehicles driving along the arterial, per direction, and the
 * control delay at its signals.
 */
import type { Demand } from '../traffic/demand';
import { applySignalOffsets, type Network, type Signal } from '../traffic/network';
import { runTraffic, type TrafficOptions, type TrafficResult } from '../traffic/runTraffic';
import { mod } from './arterial';
import type { ArterialCorridor } from './corridor';
import { corridorSections, sectionKpis, type SectionKpis } from './corridorSections';

/** A vehicle counts as arterial traffic in a direction when it drives this many of its links. */
export const MIN_CORRIDOR_LINKS = 2;

export interface DirectionKpis {
  vehicles: number;
  meanTravelTimeSeconds: number | null;
  meanDelaySeconds: number | null;
  meanStops: number | null;
}

export interface CorridorKpis {
  outbound: DirectionKpis;
  inbound: DirectionKpis;
  /** Every arrived vehicle of the run, arterial or not. */
  allVehicles: DirectionKpis;
  /** Vehicle-weighted mean control delay at the arterial's signals, s. */
  signalDelaySeconds: number | null;
  /** Per coordinated junction (outbound order): vehicles through it and their mean control delay. */
  junctions: Array<{ id: string; vehicles: number; controlDelaySeconds: number }>;
  /** Per section between junctions, each direction (corridorSections.ts). */
  sections: SectionKpis[];
  vehiclesArrived: number;
  trips: number;
  /** Why the run ended early (cancelled, wall-clock limit), or null. */
  stoppedEarly: TrafficResult['summary']['stoppedEarly'];
}

export interface GreenWaveComparison {
  before: CorridorKpis;
  after: CorridorKpis;
  /** after − before for the arterial's two directions together (negative is better). */
  change: { meanTravelTimeSeconds: number | null; meanDelaySeconds: number | null; meanStops: number | null };
}

/**
 * The green run that serves `linkId` at a signal: its start within the cycle (phase-0 time) and
 * length. A link green in several separate runs per cycle gets its longest one (the through
 * green a band can use).
 */
export function greenRun(signal: Signal, linkId: string, where: string): { startSeconds: number; durationSeconds: number } {
  const phases = signal.phases;
  const n = phases.length;
  const green = phases.map((p) => p.greenLinks.includes(linkId));
  if (!green.includes(true)) throw new RangeError(`${where}: link "${linkId}" never gets green`);
  if (!green.includes(false)) return { startSeconds: 0, durationSeconds: signal.cycleSeconds };
  const starts: number[] = [];
  let t = 0;
  for (const p of phases) {
    starts.push(t);
    t += p.durationSeconds;
  }
  let best = { startSeconds: 0, durationSeconds: -1 };
  for (let p = 0; p < n; p++) {
    // A run starts where the link turns green; it may wrap past the end of the cycle.
    if (!green[p] || green[(p - 1 + n) % n]) continue;
    let duration = 0;
    for (let q = p; green[q % n] && duration < signal.cycleSeconds; q++) duration += phases[q % n]!.durationSeconds;
    if (duration > best.durationSeconds) best = { startSeconds: starts[p]!, durationSeconds: duration };
  }
  return best;
}

/**
 * A copy of `network` running a plan: the corridor's signals stretched to the plan's cycle
 * (phases keep their split, as the optimiser assumed) and offset so that each outbound green
 * starts at `offsets[nodeId]` seconds; with `speedMps`, the arterial's links signed at the
 * plan's progression speed.
 */
export function withPlan(network: Network, corridor: ArterialCorridor, offsets: Record<string, number>, cycleSeconds: number, speedMps?: number): Network {
  const onCorridor = new Set(corridor.nodeIds);
  const signed = new Set(speedMps === undefined ? [] : [...corridor.outboundLinks, ...corridor.inboundLinks]);
  const stretched: Network = {
    ...network,
    links: network.links.map((l) => (signed.has(l.id) ? { ...l, speedLimitMps: speedMps! } : l)),
    nodes: network.nodes.map((n) => {
      if (!onCorridor.has(n.id)) return n;
      if (!n.signal) throw new RangeError(`corridor node "${n.id}" has no signal`);
      const scale = cycleSeconds / n.signal.cycleSeconds;
      return {
        ...n,
        signal: { ...n.signal, cycleSeconds, phases: n.signal.phases.map((p) => ({ ...p, durationSeconds: p.durationSeconds * scale })) },
      };
    }),
  };
  const byId = new Map(stretched.nodes.map((n) => [n.id, n]));
  const signalOffsets: Record<string, number> = {};
  corridor.nodeIds.forEach((id, i) => {
    const theta = offsets[id];
    if (theta === undefined) throw new RangeError(`plan has no offset for corridor node "${id}"`);
    const start = greenRun(byId.get(id)!.signal!, corridor.outboundApproach[i]!, `node "${id}"`).startSeconds;
    signalOffsets[id] = mod(theta - start, cycleSeconds);
  });
  return applySignalOffsets(stretched, signalOffsets);
}

interface VehicleFigures {
  travelTimeSeconds: number | null;
  delaySeconds: number | null;
  stops: number;
}

function kpis(records: VehicleFigures[]): DirectionKpis {
  const done = records.filter((r) => r.travelTimeSeconds !== null);
  const mean = (f: (r: VehicleFigures) => number): number | null => (done.length ? done.reduce((a, r) => a + f(r), 0) / done.length : null);
  return {
    vehicles: done.length,
    meanTravelTimeSeconds: mean((r) => r.travelTimeSeconds!),
    meanDelaySeconds: mean((r) => r.delaySeconds ?? 0),
    meanStops: mean((r) => r.stops),
  };
}

/**
 * The corridor's figures from one traffic run. Delay is measured against free flow at the posted
 * speeds of `reference` (the network before the plan) so that a plan that also changes the
 * progression speed is not credited with a slower free flow.
 */
export function corridorKpis(result: TrafficResult, corridor: ArterialCorridor, reference: Network): CorridorKpis {
  const freeFlow = new Map(reference.links.map((l) => [l.id, l.lengthM / l.speedLimitMps]));
  const vehicles: VehicleFigures[] = result.vehicles.map((r, v) => {
    const ff = result.routes[v]!.reduce((a, id) => a + (freeFlow.get(id) ?? 0), 0);
    return { travelTimeSeconds: r.travelTimeSeconds, delaySeconds: r.travelTimeSeconds === null ? null : r.travelTimeSeconds - ff, stops: r.stops };
  });
  const outSet = new Set(corridor.outboundLinks);
  const inSet = new Set(corridor.inboundLinks);
  const uses = (route: string[], set: Set<string>): boolean => route.filter((l) => set.has(l)).length >= MIN_CORRIDOR_LINKS;
  const outbound = vehicles.filter((_, v) => uses(result.routes[v]!, outSet));
  const inbound = vehicles.filter((_, v) => uses(result.routes[v]!, inSet));
  const nodes = new Set(corridor.nodeIds);
  let delay = 0;
  let count = 0;
  for (const s of result.intersections) {
    if (!nodes.has(s.nodeId)) continue;
    delay += s.controlDelaySeconds * s.vehicles;
    count += s.vehicles;
  }
  const los = new Map(result.intersections.map((s) => [s.nodeId, s]));
  return {
    outbound: kpis(outbound),
    inbound: kpis(inbound),
    allVehicles: kpis(vehicles),
    signalDelaySeconds: count > 0 ? delay / count : null,
    junctions: corridor.nodeIds.map((id) => ({ id, vehicles: los.get(id)?.vehicles ?? 0, controlDelaySeconds: los.get(id)?.controlDelaySeconds ?? 0 })),
    sections: sectionKpis(result, corridorSections(reference, corridor), reference),
    vehiclesArrived: result.summary.vehiclesArrived,
    trips: result.summary.trips,
    stoppedEarly: result.summary.stoppedEarly,
  };
}

/** Both directions' vehicles together, weighted by their counts. */
export function arterialMean(k: CorridorKpis, field: 'meanTravelTimeSeconds' | 'meanDelaySeconds' | 'meanStops'): number | null {
  const parts = [k.outbound, k.inbound].filter((d) => d[field] !== null && d.vehicles > 0);
  const n = parts.reduce((a, d) => a + d.vehicles, 0);
  return n > 0 ? parts.reduce((a, d) => a + d[field]! * d.vehicles, 0) / n : null;
}

/**
 * Runs the traffic simulation on the network before and after the plan (same demand, same
 * options) and compares the corridor's figures. `onProgress` gets 0..1 over both runs.
 */
export function compareGreenWave(
  before: Network,
  after: Network,
  demand: Demand,
  corridor: ArterialCorridor,
  options: TrafficOptions,
): GreenWaveComparison {
  const run = (network: Network, part: number): CorridorKpis =>
    corridorKpis(
      runTraffic(network, demand, { ...options, onProgress: (f, s) => options.onProgress?.((part + f) / 2, s) }),
      corridor,
      before,
    );
  const b = run(before, 0);
  const a = run(after, 1);
  const diff = (field: 'meanTravelTimeSeconds' | 'meanDelaySeconds' | 'meanStops'): number | null => {
    const x = arterialMean(a, field);
    const y = arterialMean(b, field);
    return x === null || y === null ? null : x - y;
  };
  return {
    before: b,
    after: a,
    change: { meanTravelTimeSeconds: diff('meanTravelTimeSeconds'), meanDelaySeconds: diff('meanDelaySeconds'), meanStops: diff('meanStops') },
  };
}
