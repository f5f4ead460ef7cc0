/**
 * One traffic run from a network and a demand to results: the simulation loop with its bounds
 * (vehicles, simulated duration, wall clock, cancellation), period-by-period re-routing, and the
 * outputs planners read — per-link flow, speed and queue per interval, travel time per OD pair,
 * stops and delay per vehicle, level of service per signalised intersection.
 *
 * Pure apart from reading the clock for the wall-clock bound and the updates-per-second figure.
 */
import { compileNetwork } from './compiledNetwork';
import type { Demand } from './demand';
import { CITY_IDM, type IdmParams } from './idm';
import { levelOfService, type LevelOfService } from './losHcm';
import type { Network } from './network';
import { HALT_SPEED_MPS, STATE_ARRIVED, STATE_RUNNING, TrafficSimulation } from './simulation';
import { TrajectoryRecorder, type Trajectories } from './trajectories';

export const MAX_DURATION_S = 86_400;
export const MAX_VEHICLES = 500_000;
const MAX_SERIES_CELLS = 5_000_000;

export interface TrafficOptions {
  durationSeconds: number;
  /** Simulation step, seconds (default 0.5). */
  stepSeconds?: number;
  idm?: Partial<IdmParams>;
  /** Refuse demands with more trips than this (default and ceiling MAX_VEHICLES). */
  maxVehicles?: number;
  /** Stop early, with what was simulated so far, after this much wall-clock time. */
  wallClockLimitMs?: number;
  /** Length of the per-link measurement intervals, seconds (default 300). */
  intervalSeconds?: number;
  /** Routes are recomputed on measured link times every this many seconds (default 300). */
  reroutePeriodSeconds?: number;
  /** Record vehicle positions every this many seconds for playback (default: none). */
  sampleEverySeconds?: number;
  /** Polled every few steps: return true to stop (cancellation). */
  shouldStop?: () => boolean;
  onProgress?: (fraction: number, simSeconds: number) => void;
}

export interface VehicleRecord {
  id: string;
  from: string;
  to: string;
  /** Planned departure, s. */
  depart: number;
  /** When it entered the network (later than `depart` when it queued at the origin), s. */
  inserted: number | null;
  arrival: number | null;
  /** arrival − inserted, s. */
  travelTimeSeconds: number | null;
  /** travel time − free-flow time of the route, s. */
  delaySeconds: number | null;
  stops: number;
}

export interface LinkSeries {
  linkId: string;
  /** Vehicles leaving the link per hour, per interval. */
  flowVehPerHour: number[];
  /** Mean speed of vehicles on the link (null when none was), m/s. */
  meanSpeedMps: Array<number | null>;
  /** Largest number of halted vehicles seen on the link, per interval. */
  queueVehicles: number[];
}

export interface IntersectionLos {
  nodeId: string;
  vehicles: number;
  /** Mean delay of vehicles on the approaches over their free-flow time, s. */
  controlDelaySeconds: number;
  los: LevelOfService;
}

export interface OdTravelTime {
  from: string;
  to: string;
  vehicles: number;
  meanTravelTimeSeconds: number;
}

export interface TrafficSummary {
  durationSeconds: number;
  stepSeconds: number;
  trips: number;
  departed: number;
  inserted: number;
  arrived: number;
  enRoute: number;
  waiting: number;
  unroutable: number;
  meanTravelTimeSeconds: number | null;
  meanDelaySeconds: number | null;
  meanStops: number | null;
  vehiclesArrived: number;
  vehicleUpdates: number;
  wallSeconds: number;
  vehicleUpdatesPerSecond: number;
  /** Why the run ended before `durationSeconds`, if it did. */
  stoppedEarly: 'cancelled' | 'wall-clock' | null;
  routing: string;
}

export interface TrafficResult {
  summary: TrafficSummary;
  vehicles: VehicleRecord[];
  links: { intervalSeconds: number; series: LinkSeries[] };
  intersections: IntersectionLos[];
  odTravelTimes: OdTravelTime[];
  /** Link ids actually driven, per vehicle (empty for those never inserted). */
  routes: string[][];
  trajectories?: Trajectories;
}

function positive(name: string, v: number | undefined, fallback: number, max: number): number {
  const x = v ?? fallback;
  if (!Number.isFinite(x) || x <= 0 || x > max) throw new RangeError(`${name} must be > 0 and ≤ ${max}, got ${x}`);
  return x;
}

export function runTraffic(network: Network, demand: Demand, options: TrafficOptions): TrafficResult {
  const duration = positive('durationSeconds', options.durationSeconds, 0, MAX_DURATION_S);
  const dt = positive('stepSeconds', options.stepSeconds, 0.5, 2);
  const interval = positive('intervalSeconds', options.intervalSeconds, 300, MAX_DURATION_S);
  const reroute = positive('reroutePeriodSeconds', options.reroutePeriodSeconds, 300, MAX_DURATION_S);
  const maxVehicles = Math.min(options.maxVehicles ?? MAX_VEHICLES, MAX_VEHICLES);
  if (demand.trips.length > maxVehicles) throw new RangeError(`demand has ${demand.trips.length} trips, more than the limit of ${maxVehicles}`);
  const idm: IdmParams = { ...CITY_IDM, ...options.idm };
  const net = compileNetwork(network);
  const trips = [...demand.trips].sort((a, b) => a.depart - b.depart);
  for (const [i, trip] of trips.entries()) {
    if (!net.nodeIndex.has(trip.from)) throw new RangeError(`trips[${i}].from: unknown node "${trip.from}"`);
    if (!net.nodeIndex.has(trip.to)) throw new RangeError(`trips[${i}].to: unknown node "${trip.to}"`);
  }

  const nLinks = net.lengthM.length;
  const nIntervals = Math.ceil(duration / interval);
  if (nLinks * nIntervals > MAX_SERIES_CELLS) throw new RangeError(`${nLinks} links × ${nIntervals} intervals is too many; use a longer intervalSeconds`);
  const exits = new Float64Array(nLinks * nIntervals);
  const speedSum = new Float64Array(nLinks * nIntervals);
  const speedCount = new Float64Array(nLinks * nIntervals);
  const queueMax = new Float64Array(nLinks * nIntervals);
  const nodeDelay = new Float64Array(net.network.nodes.length);
  const nodeCount = new Float64Array(net.network.nodes.length);

  const sim = new TrafficSimulation(net, trips, idm, dt, {
    onLinkExit(_v, link, seconds, t) {
      const k = Math.min(nIntervals - 1, Math.floor((t - 1e-9) / interval));
      exits[link * nIntervals + k]! += 1;
      if (net.linkSignal[link]! >= 0) {
        const node = net.linkTo[link]!;
        nodeDelay[node]! += Math.max(0, seconds - sim.times.freeFlowSeconds(link));
        nodeCount[node]! += 1;
      }
    },
  });
  const sampleEvery = options.sampleEverySeconds;
  const recorder = sampleEvery ? new TrajectoryRecorder(Math.max(1, Math.round(sampleEvery / dt))) : undefined;

  const totalSteps = Math.round(duration / dt);
  const rerouteSteps = Math.max(1, Math.round(reroute / dt));
  const started = performance.now();
  let stoppedEarly: TrafficSummary['stoppedEarly'] = null;
  for (let s = 0; s < totalSteps; s++) {
    if (s > 0 && s % rerouteSteps === 0) sim.reroute();
    recorder?.maybeRecord(sim);
    sim.step();
    measureStep(sim, nIntervals, interval, speedSum, speedCount, queueMax);
    if ((s & 63) === 63) {
      if (options.shouldStop?.()) {
        stoppedEarly = 'cancelled';
        break;
      }
      if (options.wallClockLimitMs !== undefined && performance.now() - started > options.wallClockLimitMs) {
        stoppedEarly = 'wall-clock';
        break;
      }
      options.onProgress?.((s + 1) / totalSteps, sim.t);
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;

  const vehicles: VehicleRecord[] = trips.map((trip, v) => {
    const inserted = Number.isNaN(sim.departActual[v]!) ? null : sim.departActual[v]!;
    const arrived = sim.state[v] === STATE_ARRIVED;
    const tt = arrived && inserted !== null ? sim.arrival[v]! - inserted : null;
    return {
      id: trip.id,
      from: trip.from,
      to: trip.to,
      depart: trip.depart,
      inserted,
      arrival: arrived ? sim.arrival[v]! : null,
      travelTimeSeconds: tt,
      delaySeconds: tt === null ? null : Math.max(0, tt - sim.freeFlowS[v]!),
      stops: sim.stops[v]!,
    };
  });
  const routes = trips.map((_, v) => {
    if (sim.departActual[v] !== sim.departActual[v]) return [];
    const start = sim.routeStart[v]!;
    return Array.from(sim.routePool.subarray(start, start + sim.routeLen[v]!), (l) => net.network.links[l]!.id);
  });

  const done = vehicles.filter((r) => r.travelTimeSeconds !== null);
  const mean = (f: (r: VehicleRecord) => number): number | null => (done.length ? done.reduce((a, r) => a + f(r), 0) / done.length : null);

  const series: LinkSeries[] = net.network.links.map((link, l) => {
    const row = (k: number): number => l * nIntervals + k;
    const span = (k: number): number => Math.min(interval, duration - k * interval);
    return {
      linkId: link.id,
      flowVehPerHour: Array.from({ length: nIntervals }, (_, k) => (exits[row(k)]! * 3600) / span(k)),
      meanSpeedMps: Array.from({ length: nIntervals }, (_, k) => (speedCount[row(k)]! > 0 ? speedSum[row(k)]! / speedCount[row(k)]! : null)),
      queueVehicles: Array.from({ length: nIntervals }, (_, k) => queueMax[row(k)]!),
    };
  });

  const intersections: IntersectionLos[] = net.signals.map((s) => {
    const n = s.nodeIndex;
    const delay = nodeCount[n]! > 0 ? nodeDelay[n]! / nodeCount[n]! : 0;
    return { nodeId: net.network.nodes[n]!.id, vehicles: nodeCount[n]!, controlDelaySeconds: delay, los: levelOfService(delay) };
  });

  const od = new Map<string, OdTravelTime & { sum: number }>();
  for (const r of done) {
    const key = `${r.from}\u0000${r.to}`;
    let e = od.get(key);
    if (!e) od.set(key, (e = { from: r.from, to: r.to, vehicles: 0, meanTravelTimeSeconds: 0, sum: 0 }));
    e.vehicles += 1;
    e.sum += r.travelTimeSeconds!;
  }
  const odTravelTimes = [...od.values()].map(({ sum, ...e }) => ({ ...e, meanTravelTimeSeconds: sum / e.vehicles }));

  const summary: TrafficSummary = {
    durationSeconds: sim.t,
    stepSeconds: dt,
    trips: trips.length,
    departed: sim.departedCount,
    inserted: sim.insertedCount,
    arrived: sim.arrivedCount,
    enRoute: sim.enRouteCount,
    waiting: sim.waitingCount,
    unroutable: sim.unroutableCount,
    meanTravelTimeSeconds: mean((r) => r.travelTimeSeconds!),
    meanDelaySeconds: mean((r) => r.delaySeconds!),
    meanStops: mean((r) => r.stops),
    vehiclesArrived: sim.arrivedCount,
    vehicleUpdates: sim.vehicleUpdates,
    wallSeconds,
    vehicleUpdatesPerSecond: wallSeconds > 0 ? sim.vehicleUpdates / wallSeconds : 0,
    stoppedEarly,
    routing: `fastest path on free-flow times, re-routed every ${reroute} s on measured link times`,
  };
  const result: TrafficResult = { summary, vehicles, links: { intervalSeconds: interval, series }, intersections, odTravelTimes, routes };
  if (recorder) result.trajectories = recorder.finish(net.network.links.map((l) => l.id));
  return result;
}

/** Adds each running vehicle's speed to its link's interval and tracks the longest queue. */
function measureStep(
  sim: TrafficSimulation,
  nIntervals: number,
  interval: number,
  speedSum: Float64Array,
  speedCount: Float64Array,
  queueMax: Float64Array,
): void {
  const net = sim.net;
  const k = Math.min(nIntervals - 1, Math.floor((sim.t - 1e-9) / interval));
  for (let l = 0; l < net.lengthM.length; l++) {
    let halted = 0;
    let sum = 0;
    let count = 0;
    for (let j = 0; j < net.lanes[l]!; j++) {
      for (const v of sim.laneVehicles[net.laneStart[l]! + j]!) {
        if (sim.state[v] !== STATE_RUNNING) continue;
        const sp = sim.speed[v]!;
        sum += sp;
        count += 1;
        if (sp < HALT_SPEED_MPS) halted += 1;
      }
    }
    if (count === 0) continue;
    const cell = l * nIntervals + k;
    speedSum[cell]! += sum;
    speedCount[cell]! += count;
    if (halted > queueMax[cell]!) queueMax[cell] = halted;
  }
}
