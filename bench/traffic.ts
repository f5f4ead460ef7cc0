/**
 * Traffic benchmark: vehicle updates per second of the traffic core on the demo city's road
 * network (twin roads + signals) with a weekday peak-hour demand, at a realistic peak-hour level.
 *
 * Baseline, same run, same inputs: SUMO (Debian's `sumo`, when installed), the field's reference
 * simulator. The network and the demand — with the routes our first run chose, so both drive the
 * same paths — are exported as SUMO plain XML, built with `netconvert` (not timed) and run with
 * SUMO's IDM, the same parameters and time step, no GUI, no per-step log.
 *
 * Runs are interleaved — ours, SUMO, ours, SUMO, ours, SUMO — so load from other work on the
 * machine hits both alike, and the median of the three is reported. Vehicle updates are counted
 * the same way for both: the vehicles on the network at each step, summed over the steps (ours
 * from the core's counter, SUMO's from its `--summary-output` `running` column). Both rates are
 * over the whole run: our `runTraffic` call (set-up, every step, results) and SUMO's process (net
 * and route loading, every step, tripinfo written), wall time and CPU time (user + system; SUMO's
 * from /usr/bin/time). Goal (issue 7): at least as many updates/s as SUMO, mean travel time within
 * 15 % of SUMO's over the vehicles that arrived in both.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { peakDemand } from '../simulations/traffic/demandScenarios';
import { CITY_IDM } from '../simulations/traffic/idm';
import { readTwinNetwork } from '../simulations/traffic/networkFiles';
import { runTraffic, type TrafficResult } from '../simulations/traffic/runTraffic';
import { exportSumo, netconvertArgs } from '../simulations/traffic/sumoExport';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { median, round } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';

/** Peak-hour vehicles: a busy weekday hour for a 3 km × 3 km district. */
const VEHICLES = 6000;
/** The peak hour plus time for the last departures to arrive, s. */
const DURATION_S = 4800;
const STEP_S = 0.5;
const RUNS = 3;
const GOAL_TT_PCT = 15;

export interface RunFigures {
  /** Vehicles on the network at each step, summed over the steps. */
  vehicleUpdates: number;
  wallS: number;
  cpuS: number;
  updatesPerS: number;
  updatesPerCpuS: number;
  /** Updates per second of the stepping loop alone (ours: the core's own figure; SUMO: its UPS). */
  loopUpdatesPerS: number;
  loadAvg1m: number;
}

export interface SumoRun extends RunFigures {
  maxRssMiB: number;
}

export interface TrafficBenchResults {
  benchmark: 'traffic';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  network: { nodes: number; links: number; signals: number; source: string };
  sumoVersion: string | null;
  vehicles: number;
  durationS: number;
  stepS: number;
  ours: { runs: RunFigures[]; median: RunFigures; arrived: number };
  sumo?: { runs: SumoRun[]; median: SumoRun; arrived: number; collisions: number };
  /** Medians: ours ÷ SUMO's. */
  ratios?: { updatesPerS: number; updatesPerCpuS: number };
  /** Vehicles that arrived in both, and the relative difference of their mean travel times. */
  compared?: { vehicles: number; oursMeanS: number; sumoMeanS: number; differencePct: number };
  verdict: Verdict;
}

function sumoVersion(): string | null {
  const r = spawnSync('sumo', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || spawnSync('netconvert', ['--version'], { stdio: 'ignore' }).status !== 0 || !existsSync('/usr/bin/time')) return null;
  return /Version ([\w.]+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/** Trip durations by vehicle id from SUMO's tripinfo output. */
function tripDurations(xml: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of xml.matchAll(/<tripinfo id="([^"]+)"[^>]*?\sduration="([\d.]+)"/g)) out.set(m[1]!, Number(m[2]));
  return out;
}

/** Σ over steps of the vehicles running, from SUMO's summary output: the count our core keeps. */
function summedRunning(xml: string): number {
  let sum = 0;
  for (const m of xml.matchAll(/<step [^>]*?\srunning="(\d+)"/g)) sum += Number(m[1]);
  return sum;
}

/** The figure of the median run by wall time, every field from that one run. */
function medianRun<T extends RunFigures>(runs: readonly T[]): T {
  const m = median(runs.map((r) => r.wallS));
  return runs.find((r) => r.wallS === m)!;
}

function runOurs(network: Parameters<typeof runTraffic>[0], demand: Parameters<typeof runTraffic>[1]): { figures: RunFigures; result: TrafficResult } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = runTraffic(network, demand, { durationSeconds: DURATION_S, stepSeconds: STEP_S });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const updates = result.summary.vehicleUpdates;
  return { result, figures: { vehicleUpdates: updates, wallS: round(wallS, 2), cpuS: round(cpuS, 2), updatesPerS: Math.round(updates / wallS), updatesPerCpuS: Math.round(updates / cpuS), loopUpdatesPerS: Math.round(result.summary.vehicleUpdatesPerSecond), loadAvg1m: loadAvg1m() } };
}

interface SumoCase {
  net: string;
  routes: string;
  dir: string;
}

async function runSumo(c: SumoCase, k: number): Promise<{ figures: SumoRun; tripinfo: string; collisions: number }> {
  const tripinfo = path.join(c.dir, `tripinfo-${k}.xml`);
  const summary = path.join(c.dir, `summary-${k}.xml`);
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'CITYTWIN_TIME %e %U %S %M', 'sumo', '-n', c.net, '-r', c.routes, '--step-length', String(STEP_S), '--end', String(DURATION_S),
      '--tripinfo-output', tripinfo, '--summary-output', summary, '--no-step-log', 'true', '--verbose', 'true', '--duration-log.statistics', 'true',
      '--time-to-teleport', '-1', '--collision.action', 'warn'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const timing = /CITYTWIN_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !timing) throw new Error(`sumo failed (${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
  const [wallS, userS, sysS, maxRssKiB] = timing.slice(1).map(Number) as [number, number, number, number];
  const out = r.stdout + r.stderr;
  const updates = summedRunning(await readFile(summary, 'utf8'));
  const cpuS = userS + sysS;
  return {
    tripinfo,
    collisions: Number(/Collisions: (\d+)/.exec(out)?.[1] ?? 0),
    figures: {
      vehicleUpdates: updates,
      wallS: round(wallS, 2),
      cpuS: round(cpuS, 2),
      updatesPerS: Math.round(updates / wallS),
      updatesPerCpuS: Math.round(updates / cpuS),
      // SUMO's own UPS: vehicle updates per second of its simulation loop (loading excluded).
      loopUpdatesPerS: Math.round(Number(/UPS: ([\d.]+)/.exec(out)?.[1] ?? NaN)),
      loadAvg1m: loadAvg1m(),
      maxRssMiB: Math.round(maxRssKiB / 1024),
    },
  };
}

export async function runTrafficBench(log: (line: string) => void): Promise<TrafficBenchResults> {
  const machine = machineInfo();
  const twin = await openDemoTwin(log);
  const work = await mkdtemp(path.join(tmpdir(), 'citytwin-bench-traffic-'));
  try {
    const { network } = await readTwinNetwork(twin.dir);
    const signals = network.nodes.filter((n) => n.signal).length;
    const version = sumoVersion();
    log(`traffic: demo city network (${twin.origin}): ${network.nodes.length} nodes, ${network.links.length} links, ${signals} signals; ${VEHICLES} vehicles, step ${STEP_S} s, ${DURATION_S} s simulated; ${RUNS} runs each, interleaved; load ${machine.loadAvg1m}`);
    if (!version) log('traffic: sumo/netconvert (or /usr/bin/time) not installed — reporting our figures only (apt-get install sumo time for the comparison)');

    const demand = peakDemand(network, { vehicles: VEHICLES, seed: 1 });
    const ours: RunFigures[] = [];
    const sumo: SumoRun[] = [];
    let first: TrafficResult | undefined;
    let sumoCase: SumoCase | undefined;
    let lastTripinfo = '';
    let collisions = 0;
    for (let k = 0; k < RUNS; k++) {
      const run = runOurs(network, demand);
      first ??= run.result;
      ours.push(run.figures);
      log(`traffic: run ${k + 1} ours: ${fmt(run.figures.vehicleUpdates)} updates in ${run.figures.wallS} s wall, ${run.figures.cpuS} s CPU (load ${run.figures.loadAvg1m})`);
      if (!version) continue;
      if (!sumoCase) {
        // SUMO drives the routes our first run chose; netconvert is preparation, not timed.
        const dir = path.join(work, 'sumo');
        await mkdir(dir, { recursive: true });
        const routed = demand.trips.map((t, i) => ({ ...t, route: first!.routes[i]! }));
        for (const [name, text] of Object.entries(exportSumo(network, routed, CITY_IDM))) await writeFile(path.join(dir, name), text);
        const net = path.join(dir, 'net.net.xml');
        execFileSync('netconvert', netconvertArgs(dir, net), { stdio: 'pipe' });
        sumoCase = { net, routes: path.join(dir, 'demand.rou.xml'), dir };
      }
      const s = await runSumo(sumoCase, k);
      sumo.push(s.figures);
      lastTripinfo = s.tripinfo;
      collisions = Math.max(collisions, s.collisions);
      log(`traffic: run ${k + 1} SUMO: ${fmt(s.figures.vehicleUpdates)} updates in ${s.figures.wallS} s wall, ${s.figures.cpuS} s CPU (load ${s.figures.loadAvg1m})`);
    }

    const oursMedian = medianRun(ours);
    const summary = first!.summary;
    const results: TrafficBenchResults = {
      benchmark: 'traffic',
      machine,
      loadAvg1mEnd: 0,
      network: { nodes: network.nodes.length, links: network.links.length, signals, source: twin.origin },
      sumoVersion: version,
      vehicles: demand.trips.length,
      durationS: DURATION_S,
      stepS: STEP_S,
      ours: { runs: ours, median: oursMedian, arrived: summary.arrived },
      verdict: verdict('', '', undefined, 0),
    };
    if (sumo.length > 0) {
      const sumoMedian = medianRun(sumo);
      const durations = tripDurations(await readFile(lastTripinfo, 'utf8'));
      results.sumo = { runs: sumo, median: sumoMedian, arrived: durations.size, collisions };
      results.ratios = {
        updatesPerS: round(median(ours.map((r) => r.updatesPerS)) / median(sumo.map((r) => r.updatesPerS)), 2),
        updatesPerCpuS: round(median(ours.map((r) => r.updatesPerCpuS)) / median(sumo.map((r) => r.updatesPerCpuS)), 2),
      };
      const both = first!.vehicles.filter((v) => v.travelTimeSeconds !== null && durations.has(v.id));
      const oursMean = both.reduce((a, v) => a + v.travelTimeSeconds!, 0) / Math.max(1, both.length);
      const sumoMean = both.reduce((a, v) => a + durations.get(v.id)!, 0) / Math.max(1, both.length);
      results.compared = { vehicles: both.length, oursMeanS: round(oursMean, 1), sumoMeanS: round(sumoMean, 1), differencePct: round((100 * (oursMean - sumoMean)) / sumoMean, 1) };
    }
    results.loadAvg1mEnd = loadAvg1m();

    log('');
    const med = (xs: readonly RunFigures[], key: keyof RunFigures, digits = 0): string => fmt(median(xs.map((r) => r[key])), digits);
    const rows = [
      ['ours', med(ours, 'vehicleUpdates'), med(ours, 'wallS', 2), med(ours, 'cpuS', 2), med(ours, 'updatesPerS'), med(ours, 'updatesPerCpuS'), med(ours, 'loopUpdatesPerS'), String(summary.arrived)],
      ...(results.sumo ? [['SUMO ' + version, med(sumo, 'vehicleUpdates'), med(sumo, 'wallS', 2), med(sumo, 'cpuS', 2), med(sumo, 'updatesPerS'), med(sumo, 'updatesPerCpuS'), med(sumo, 'loopUpdatesPerS'), String(results.sumo.arrived)]] : []),
    ];
    for (const line of table(['median of ' + RUNS, 'vehicle updates', 'wall s', 'CPU s', 'updates/s', 'updates/CPU s', 'loop only upd/s', 'arrived'], rows)) log(line);
    log('vehicle updates: vehicles on the network each step, summed (SUMO: its summary `running`); wall and CPU over the whole run;');
    log("loop only: the stepping loop alone, ours from the core's summary, SUMO's own UPS (loading excluded); medians.");
    if (results.ratios && results.compared) {
      log(`traffic: ours ÷ SUMO, medians: ${fmt(results.ratios.updatesPerS, 2)}× updates/s (wall), ${fmt(results.ratios.updatesPerCpuS, 2)}× updates per CPU second`);
      log(`traffic: mean travel time over the ${fmt(results.compared.vehicles)} vehicles that arrived in both: ours ${fmt(results.compared.oursMeanS, 1)} s, SUMO ${fmt(results.compared.sumoMeanS, 1)} s (${results.compared.differencePct > 0 ? '+' : ''}${fmt(results.compared.differencePct, 1)} %); SUMO collisions ${collisions}`);
    }
    const r = results.ratios;
    const c = results.compared;
    results.verdict = verdict(
      `updates/s ≥ SUMO's (median of ${RUNS}, interleaved) and mean travel time within ${GOAL_TT_PCT} % of SUMO's`,
      r && c ? `${fmt(r.updatesPerS, 2)}× SUMO's updates/s (${fmt(r.updatesPerCpuS, 2)}× per CPU s), travel time ${c.differencePct > 0 ? '+' : ''}${fmt(c.differencePct, 1)} %` : 'SUMO not installed',
      r && c ? r.updatesPerS >= 1 && Math.abs(c.differencePct) <= GOAL_TT_PCT : undefined,
      results.loadAvg1mEnd,
    );
    log(verdictLine('traffic', results.verdict));
    log(`traffic: results in ${await writeResults('traffic', results)}`);
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
    await twin.cleanup();
  }
}
