/**
 * The traffic scenario: a microscopic run on the twin's own roads and signals (signalised
 * junctions carry the signal ids, e.g. "S001"), with the weekday peak, the holiday demand towards
 * the district's parks and beaches, or the caller's trips; optional signal offsets apply a
 * green-wave plan. Runs in a worker thread.
 *
 * Files: summary.json, vehicles.csv, links.json, intersections.json, od.json (outputFiles.ts),
 * network.json (nodes with signals, links with shapes, origin: what the client draws) and
 * frames.bin (vehicle positions for playback, playbackFrames.ts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDemand, type Demand, type Trip } from '../../simulations/traffic/demand';
import { holidayDemand, peakDemand } from '../../simulations/traffic/demandScenarios';
import { applySignalOffsets } from '../../simulations/traffic/network';
import { readTwinNetwork } from '../../simulations/traffic/networkFiles';
import { NetworkError } from '../../simulations/traffic/networkJson';
import { writeTrafficOutputs } from '../../simulations/traffic/outputFiles';
import { encodePlayback } from '../../simulations/traffic/playbackFrames';
import { runTrafficInWorker } from '../../simulations/traffic/worker/runTrafficInWorker';
import { ScenarioParamsError, type ScenarioKind } from './ScenarioKind';

export interface TrafficParams {
  /** Built-in demand, or the caller's trips between node ids of the twin network. */
  demand: 'peak' | 'holiday' | { trips: Trip[] };
  /** Vehicles of a built-in demand. */
  vehicles: number;
  durationSeconds: number;
  /** Seconds by signalised node id (a green-wave plan). */
  signalOffsets?: Record<string, number>;
  /** Playback sampling interval, s. */
  sampleEverySeconds: number;
  seed: number;
}

export const TRAFFIC_DEFAULTS = { vehicles: 6000, durationSeconds: 4200, sampleEverySeconds: 2, seed: 1 } as const;
/** Bounds for a server run: a few hours of a busy district, a few tens of MB of playback. */
const LIMITS = { vehicles: 50_000, durationSeconds: 6 * 3600, customTrips: 50_000 };
const FIELDS = ['demand', 'vehicles', 'durationSeconds', 'signalOffsets', 'sampleEverySeconds', 'seed'];

function numberIn(v: unknown, path: string, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new ScenarioParamsError(path, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return v;
}

export function parseTrafficParams(raw: unknown): TrafficParams {
  const body = raw ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ScenarioParamsError('params', 'must be an object');
  const p = body as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!FIELDS.includes(key)) throw new ScenarioParamsError(`params.${key}`, `unknown field; expected one of ${FIELDS.join(', ')}`);
  }
  const out: TrafficParams = { demand: 'peak', ...TRAFFIC_DEFAULTS };
  if (p.demand !== undefined) {
    if (p.demand === 'peak' || p.demand === 'holiday') out.demand = p.demand;
    else if (typeof p.demand === 'object' && p.demand !== null && Array.isArray((p.demand as { trips?: unknown }).trips)) {
      const trips = (p.demand as { trips: unknown[] }).trips;
      if (trips.length > LIMITS.customTrips) throw new ScenarioParamsError('params.demand.trips', `more than ${LIMITS.customTrips} trips`);
      // Shape only here; node ids are checked against the twin's network when the run starts.
      out.demand = { trips: trips as Trip[] };
    } else throw new ScenarioParamsError('params.demand', 'must be "peak", "holiday" or {"trips": [...]}');
  }
  if (p.vehicles !== undefined) out.vehicles = numberIn(p.vehicles, 'params.vehicles', 1, LIMITS.vehicles, true);
  if (p.durationSeconds !== undefined) out.durationSeconds = numberIn(p.durationSeconds, 'params.durationSeconds', 60, LIMITS.durationSeconds);
  if (p.sampleEverySeconds !== undefined) out.sampleEverySeconds = numberIn(p.sampleEverySeconds, 'params.sampleEverySeconds', 0.5, 60);
  if (p.seed !== undefined) out.seed = numberIn(p.seed, 'params.seed', 0, 2 ** 31 - 1, true);
  if (p.signalOffsets !== undefined) {
    const o = p.signalOffsets;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ScenarioParamsError('params.signalOffsets', 'must be an object {nodeId: seconds}');
    for (const [k, v] of Object.entries(o)) numberIn(v, `params.signalOffsets.${k}`, -86_400, 86_400);
    out.signalOffsets = o as Record<string, number>;
  }
  return out;
}

export const trafficScenario: ScenarioKind<TrafficParams> = {
  kind: 'traffic',
  parseParams: parseTrafficParams,
  async run(params, ctx) {
    const { network: base, attractions } = await readTwinNetwork(ctx.twin.dir);
    let network = base;
    let demand: Demand;
    try {
      if (params.signalOffsets) network = applySignalOffsets(network, params.signalOffsets);
      // A run shorter than the demand profile squeezes the profile into it, so every vehicle asked
      // for departs (a one-hour peak in a four-minute run would start only a fifteenth of them).
      const profile = (seconds: number): number => Math.min(seconds, params.durationSeconds);
      if (params.demand === 'peak') demand = peakDemand(network, { vehicles: params.vehicles, seed: params.seed, durationSeconds: profile(3600) });
      else if (params.demand === 'holiday')
        demand = holidayDemand(network, attractions, { vehicles: params.vehicles, seed: params.seed, durationSeconds: profile(7200) });
      else {
        const spec = parseDemand(params.demand, new Set(network.nodes.map((n) => n.id)));
        demand = { trips: [...spec.trips!].sort((a, b) => a.depart - b.depart) };
      }
    } catch (err) {
      if (err instanceof NetworkError) throw new ScenarioParamsError(`params.demand.${err.path}`, err.message.slice(err.path.length + 2));
      if (err instanceof RangeError) throw new ScenarioParamsError('params.signalOffsets', err.message);
      throw err;
    }
    ctx.onProgress(0, `${demand.trips.length} vehicles on ${network.links.length} links`);

    const result = await runTrafficInWorker(
      network,
      demand,
      { durationSeconds: params.durationSeconds, sampleEverySeconds: params.sampleEverySeconds, intervalSeconds: 300 },
      { signal: ctx.signal, onProgress: (f, t) => ctx.onProgress(f, `${Math.round(t / 60)} min simulated`) },
    );
    if (ctx.signal.aborted) throw new Error('cancelled');
    const files = await writeTrafficOutputs(ctx.outDir, result, 'csv');
    await writeFile(path.join(ctx.outDir, 'network.json'), JSON.stringify({ ...network, attractions }));
    files.push('network.json');
    if (result.trajectories) {
      await writeFile(path.join(ctx.outDir, 'frames.bin'), encodePlayback(result.trajectories, network));
      files.push('frames.bin');
    }
    const s = result.summary;
    const losCounts: Record<string, number> = {};
    for (const i of result.intersections) losCounts[i.los] = (losCounts[i.los] ?? 0) + 1;
    return {
      summary: {
        demand: typeof params.demand === 'string' ? params.demand : 'custom',
        trips: s.trips,
        vehiclesArrived: s.vehiclesArrived,
        enRoute: s.enRoute,
        waiting: s.waiting,
        meanTravelTimeSeconds: s.meanTravelTimeSeconds,
        meanDelaySeconds: s.meanDelaySeconds,
        meanStops: s.meanStops,
        vehicleUpdatesPerSecond: Math.round(s.vehicleUpdatesPerSecond),
        losCounts,
        playbackTruncated: result.trajectories?.truncated ?? false,
        signalOffsetsApplied: params.signalOffsets ? Object.keys(params.signalOffsets).length : 0,
      },
      files,
    };
  },
};
