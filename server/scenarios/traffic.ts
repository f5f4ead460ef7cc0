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
import { parseDemand, type Demand } from '../../simulations/traffic/demand';
import { holidayDemand, peakDemand } from '../../simulations/traffic/demandScenarios';
import { applySignalOffsets } from '../../simulations/traffic/network';
import { readTwinNetwork } from '../../simulations/traffic/networkFiles';
import { NetworkError } from '../../simulations/traffic/networkJson';
import { writeTrafficOutputs } from '../../simulations/traffic/outputFiles';
import { encodePlayback } from '../../simulations/traffic/playbackFrames';
import { runTrafficInWorker } from '../../simulations/traffic/worker/runTrafficInWorker';
import { parseTrafficParams, TrafficParamsSchema, type TrafficParams } from '../../simulations/traffic/scenarioParams';
import { ScenarioParamsError, type ScenarioKind } from './ScenarioKind';

export const trafficScenario: ScenarioKind<TrafficParams> = {
  kind: 'traffic',
  paramsSchema: TrafficParamsSchema,
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
