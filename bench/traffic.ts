/**
 * Traffic benchmark: vehicle updates per second of the traffic core on the demo city's road
 * network (twin roads + signals) with a weekday peak-hour demand, at a realistic peak-hour level.
 *
 * Baseline, same run, same inputs: SUMO (Debian's `sumo`, when installed), the field's reference
 * simulator. The network and the demand — with the routes our run chose, so both drive the same
 * paths — are exported as SUMO plain XML, built with `netconvert` and run with SUMO's IDM, the
 * same parameters and time step. Reported: our updates/s ÷ SUMO's (SUMO's own UPS figure), and
 * the difference in mean travel time over the vehicles that arrived in both.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { peakDemand } from '../simulations/traffic/demandScenarios';
import { CITY_IDM } from '../simulations/traffic/idm';
import { readTwinNetwork } from '../simulations/traffic/networkFiles';
import { runTraffic } from '../simulations/traffic/runTraffic';
import { exportSumo, netconvertArgs } from '../simulations/traffic/sumoExport';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { round } from './support/stats';
import { fmt, table } from './support/table';

/** Peak-hour vehicles: a busy weekday hour for a 3 km × 3 km district (one level keeps SUMO under a minute). */
const LEVELS = [6000];
/** The peak hour plus time for the last departures to arrive, s. */
const DURATION_S = 4800;
const STEP_S = 0.5;

export interface TrafficLevelResult {
  vehicles: number;
  ours: { vehicleUpdates: number; wallS: number; updatesPerS: number; arrived: number; meanTravelTimeS: number | null };
  sumo?: { ups: number; wallS: number; arrived: number; meanTravelTimeS: number; collisions: number };
  /** Our updates/s ÷ SUMO's. */
  speedRatio?: number;
  /** Vehicles that arrived in both, and the relative difference of their mean travel times. */
  compared?: { vehicles: number; oursMeanS: number; sumoMeanS: number; differencePct: number };
}

export interface TrafficBenchResults {
  benchmark: 'traffic';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  network: { nodes: number; links: number; signals: number; source: string };
  sumoVersion: string | null;
  levels: TrafficLevelResult[];
}

function sumoVersion(): string | null {
  const r = spawnSync('sumo', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || spawnSync('netconvert', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  return /Version ([\w.]+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/** Trip durations by vehicle id from SUMO's tripinfo output. */
function tripDurations(xml: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of xml.matchAll(/<tripinfo id="([^"]+)"[^>]*?\sduration="([\d.]+)"/g)) out.set(m[1]!, Number(m[2]));
  return out;
}

export async function runTrafficBench(log: (line: string) => void): Promise<TrafficBenchResults> {
  const twin = await openDemoTwin(log);
  const work = await mkdtemp(path.join(tmpdir(), 'citytwin-bench-traffic-'));
  try {
    const { network } = await readTwinNetwork(twin.dir);
    const signals = network.nodes.filter((n) => n.signal).length;
    const version = sumoVersion();
    log(`traffic: demo city network (${twin.origin}): ${network.nodes.length} nodes, ${network.links.length} links, ${signals} signals; step ${STEP_S} s, ${DURATION_S} s simulated`);
    if (!version) log('traffic: sumo/netconvert not installed — reporting our figures only (apt-get install sumo for the comparison)');

    const levels: TrafficLevelResult[] = [];
    for (const vehicles of LEVELS) {
      const demand = peakDemand(network, { vehicles, seed: 1 });
      const result = runTraffic(network, demand, { durationSeconds: DURATION_S, stepSeconds: STEP_S });
      const s = result.summary;
      const level: TrafficLevelResult = {
        vehicles: demand.trips.length,
        ours: { vehicleUpdates: s.vehicleUpdates, wallS: round(s.wallSeconds, 2), updatesPerS: Math.round(s.vehicleUpdatesPerSecond), arrived: s.arrived, meanTravelTimeS: s.meanTravelTimeSeconds },
      };
      if (version) {
        const dir = path.join(work, String(vehicles));
        const routed = demand.trips.map((t, i) => ({ ...t, route: result.routes[i]! }));
        execFileSync('mkdir', ['-p', dir]);
        for (const [name, text] of Object.entries(exportSumo(network, routed, CITY_IDM))) await writeFile(path.join(dir, name), text);
        const net = path.join(dir, 'net.net.xml');
        execFileSync('netconvert', netconvertArgs(dir, net), { stdio: 'pipe' });
        const tripinfo = path.join(dir, 'tripinfo.xml');
        const started = performance.now();
        const out = execFileSync(
          'sumo',
          ['-n', net, '-r', path.join(dir, 'demand.rou.xml'), '--step-length', String(STEP_S), '--end', String(DURATION_S), '--tripinfo-output', tripinfo,
            '--no-step-log', 'true', '--verbose', 'true', '--duration-log.statistics', 'true', '--time-to-teleport', '-1', '--collision.action', 'warn'],
          { encoding: 'utf8', stdio: 'pipe', maxBuffer: 1 << 28 },
        );
        const wallS = (performance.now() - started) / 1000;
        const ups = Number(/UPS: ([\d.]+)/.exec(out)?.[1] ?? NaN);
        const collisions = Number(/Collisions: (\d+)/.exec(out)?.[1] ?? 0);
        const durations = tripDurations(await readFile(tripinfo, 'utf8'));
        const sumoMean = [...durations.values()].reduce((a, d) => a + d, 0) / Math.max(1, durations.size);
        level.sumo = { ups: Math.round(ups), wallS: round(wallS, 2), arrived: durations.size, meanTravelTimeS: round(sumoMean, 1), collisions };
        level.speedRatio = round(s.vehicleUpdatesPerSecond / ups, 2);
        const both = result.vehicles.filter((v) => v.travelTimeSeconds !== null && durations.has(v.id));
        const oursMean = both.reduce((a, v) => a + v.travelTimeSeconds!, 0) / Math.max(1, both.length);
        const sumoBoth = both.reduce((a, v) => a + durations.get(v.id)!, 0) / Math.max(1, both.length);
        level.compared = { vehicles: both.length, oursMeanS: round(oursMean, 1), sumoMeanS: round(sumoBoth, 1), differencePct: round((100 * (oursMean - sumoBoth)) / sumoBoth, 1) };
      }
      levels.push(level);
    }

    log('');
    for (const line of table(
      ['vehicles', 'updates', 'ours upd/s', 'SUMO UPS', 'ratio', 'ours TT s', 'SUMO TT s', 'TT diff', 'arrived ours/SUMO'],
      levels.map((l) => [
        l.vehicles,
        l.ours.vehicleUpdates,
        l.ours.updatesPerS,
        l.sumo?.ups,
        l.speedRatio === undefined ? undefined : `${fmt(l.speedRatio, 2)}×`,
        l.compared ? fmt(l.compared.oursMeanS, 1) : fmt(l.ours.meanTravelTimeS ?? undefined, 1),
        l.compared ? fmt(l.compared.sumoMeanS, 1) : undefined,
        l.compared ? `${l.compared.differencePct > 0 ? '+' : ''}${fmt(l.compared.differencePct, 1)} %` : undefined,
        `${l.ours.arrived}/${l.sumo?.arrived ?? '–'}`,
      ]),
    )) log(line);
    log('TT: mean travel time (arrival − insertion) over the vehicles that arrived in both runs.');
    const results: TrafficBenchResults = {
      benchmark: 'traffic',
      machine: machineInfo(),
      loadAvg1mEnd: loadAvg1m(),
      network: { nodes: network.nodes.length, links: network.links.length, signals, source: twin.origin },
      sumoVersion: version,
      levels,
    };
    log(`traffic: results in ${await writeResults('traffic', results)}`);
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
    await twin.cleanup();
  }
}
