/**
 * Flood benchmark: cell updates per second of the local inertial core, and how much faster than
 * real time the demo city's 1-hour design storm runs.
 *
 * 1. A 1,000 × 1,000-cell wet domain (smooth hills under 0.5–2.5 m of water, 5 m cells,
 *    n = 0.03, light rain). Baseline, same run: the plain single-threaded implementation in
 *    test/simulations/flood/plainInertial.ts (same equations written the obvious way: three
 *    loops per step, Math.pow). Then the core on one thread without the convective term
 *    (scheme 'inertial', the baseline's equations), and with it (the default) on one thread and
 *    on all cores. Each is timed for
 *    a fixed wall-clock window after a warm-up, in steps × cells per second of wall clock and
 *    per CPU-second (all threads; on a shared machine the CPU figure says what the code costs,
 *    the wall figure what a user waits); rates of the core come from its progress reports, so
 *    worker start-up is not counted.
 * 2. The demo twin (data/demo/twin, or one generated) under a 50-year, 60-minute Chicago storm
 *    with 30 mm/h drainage, buildings as obstacles, run for the storm hour on all cores:
 *    simulated seconds ÷ wall seconds.
 */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TwinManifest } from '../domain/twinPackage';
import { DEFAULT_INTENSITY_FORMULA } from '../simulations/flood/designStorm';
import { DEFAULT_SETTINGS, type FloodProblem } from '../simulations/flood/floodProblem';
import { FloodCancelledError, runFlood } from '../simulations/flood/runFlood';
import { twinFloodSetup } from '../simulations/flood/twin/twinFloodSetup';
import { FLOOD_DEFAULTS } from '../simulations/flood/scenarioParams';
import { plainState, plainStep } from '../test/simulations/flood/plainInertial';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { round } from './support/stats';
import { fmt, table } from './support/table';

const SIDE = 1000;
const CELL_M = 5;
const WINDOW_S = 8;
const WARM_UP_S = 1.5;

export interface FloodRate {
  label: string;
  threads: number;
  steps: number;
  seconds: number;
  cellUpdatesPerS: number;
  vsBaseline: number;
  /** Cell updates per CPU-second over all threads: what the code costs, less sensitive to other load. */
  cellUpdatesPerCpuS: number;
  cpuVsBaseline: number;
}

interface Measured {
  steps: number;
  seconds: number;
  cpuSeconds: number;
}

/** CPU seconds of this process, all threads (workers included). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export interface FloodBenchResults {
  benchmark: 'flood';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  domain: { ncols: number; nrows: number; cellSizeM: number };
  rates: FloodRate[];
  demoStorm: {
    twin: string;
    grid: { ncols: number; nrows: number; cellSizeM: number };
    obstacleCells: number;
    threads: number;
    simulatedS: number;
    wallS: number;
    realTimeRatio: number;
    steps: number;
    maxDepthM: number;
    massBalanceError: number;
  };
}

function hills(): { bed: Float64Array; depth: Float64Array } {
  const bed = new Float64Array(SIDE * SIDE);
  const depth = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const z = 1 + 0.6 * Math.sin(c / 31) * Math.cos(r / 47) + 0.4 * Math.sin((c + 2 * r) / 53);
      bed[r * SIDE + c] = z;
      depth[r * SIDE + c] = 3 - z;
    }
  }
  return { bed, depth };
}

function plainRate(bed: Float64Array, depth: Float64Array): Measured {
  const s = plainState(SIDE, SIDE, CELL_M, bed, depth, 0.03);
  const warmEnd = performance.now() + WARM_UP_S * 1000;
  while (performance.now() < warmEnd) plainStep(s, 0.7, 5);
  let steps = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  while (performance.now() - t0 < WINDOW_S * 1000) {
    plainStep(s, 0.7, 5);
    steps++;
  }
  return { steps, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds() - c0 };
}

/** Runs the core until the window closes (then cancels), measuring between progress reports. */
async function coreRate(problem: FloodProblem, threads: number): Promise<Measured> {
  const controller = new AbortController();
  let start: { t: number; steps: number; cpu: number } | undefined;
  let last = { t: 0, steps: 0, cpu: 0 };
  try {
    await runFlood(problem, {
      threads,
      signal: controller.signal,
      onProgress: (_f, _s, steps) => {
        const now = performance.now();
        if (!start) {
          start = { t: now + WARM_UP_S * 1000, steps: -1, cpu: 0 };
          return;
        }
        if (start.steps < 0 && now >= start.t) start = { t: now, steps, cpu: cpuSeconds() };
        else if (start.steps >= 0) {
          last = { t: now, steps, cpu: cpuSeconds() };
          if (now - start.t >= WINDOW_S * 1000) controller.abort();
        }
      },
    });
  } catch (err) {
    if (!(err instanceof FloodCancelledError)) throw err;
  }
  if (!start || start.steps < 0) throw new Error('flood bench: the core finished before the timing window; lengthen the run');
  return { steps: last.steps - start.steps, seconds: (last.t - start.t) / 1000, cpuSeconds: last.cpu - start.cpu };
}

export async function runFloodBench(log: (line: string) => void): Promise<FloodBenchResults> {
  const machine = machineInfo();
  const cores = availableParallelism();
  const { bed, depth } = hills();
  const cells = SIDE * SIDE;
  const problem: FloodProblem = {
    grid: { ncols: SIDE, nrows: SIDE, cellSizeM: CELL_M, bedM: bed, manningN: 0.03, initialDepthM: depth },
    forcing: { rain: { kind: 'uniform', mmPerHour: 30 }, drainageMmPerHour: 0, inflows: [], boundaries: {} },
    // Long enough never to finish inside the window: the run is cancelled when the window closes.
    settings: { ...DEFAULT_SETTINGS, durationS: 7 * 24 * 3600, snapshotTimesS: [] },
  };
  log(`flood: ${SIDE} × ${SIDE} wet cells; ${WINDOW_S} s per measurement after ${WARM_UP_S} s warm-up`);
  const rates: FloodRate[] = [];
  const add = (label: string, threads: number, m: Measured): void => {
    const perS = (m.steps * cells) / m.seconds;
    const perCpuS = (m.steps * cells) / m.cpuSeconds;
    const base = rates[0];
    rates.push({
      label,
      threads,
      steps: m.steps,
      seconds: round(m.seconds, 2),
      cellUpdatesPerS: Math.round(perS),
      vsBaseline: base ? round(perS / base.cellUpdatesPerS, 2) : 1,
      cellUpdatesPerCpuS: Math.round(perCpuS),
      cpuVsBaseline: base ? round(perCpuS / base.cellUpdatesPerCpuS, 2) : 1,
    });
  };
  log('  plain baseline …');
  add('plain reference (baseline)', 1, plainRate(bed, depth));
  const plainScheme: FloodProblem = { ...problem, settings: { ...problem.settings, scheme: 'inertial' } };
  log('  core, one thread, without the convective term …');
  add('core (inertial), 1 thread', 1, await coreRate(plainScheme, 1));
  log('  core, one thread …');
  add(`core (${problem.settings.scheme}), 1 thread`, 1, await coreRate(problem, 1));
  log(`  core, ${cores} threads …`);
  add(`core (${problem.settings.scheme}), ${cores} threads`, cores, await coreRate(problem, cores));

  log('  demo city, 1-hour design storm …');
  const twin = await openDemoTwin(log);
  let demoStorm: FloodBenchResults['demoStorm'];
  try {
    const manifest = JSON.parse(await readFile(path.join(twin.dir, 'twin.json'), 'utf8')) as TwinManifest;
    const setup = await twinFloodSetup(twin.dir, manifest, {
      // The server scenario's default budget: the 5 m DEM coarsened to 10 m cells.
      maxCells: FLOOD_DEFAULTS.maxCells,
      durationS: 3600,
      snapshotTimesS: [],
      rain: { kind: 'chicago', storm: { returnPeriodYears: 50, durationMinutes: 60, peakRatio: 0.4, formula: DEFAULT_INTENSITY_FORMULA } },
      drainageMmPerHour: 30,
      inflows: [],
      boundaries: {},
    });
    const result = await runFlood(setup.problem, { threads: cores });
    const obstacleCells = setup.problem.grid.blocked!.reduce((n, v) => n + v, 0);
    demoStorm = {
      twin: twin.origin,
      grid: { ncols: setup.grid.ncols, nrows: setup.grid.nrows, cellSizeM: setup.grid.cellSize },
      obstacleCells,
      threads: result.threads,
      simulatedS: result.simulatedSeconds,
      wallS: round(result.wallSeconds, 2),
      realTimeRatio: round(result.simulatedSeconds / result.wallSeconds, 1),
      steps: result.steps,
      maxDepthM: round(result.maxDepthOverallM, 2),
      massBalanceError: result.massBalanceError,
    };
  } finally {
    await twin.cleanup();
  }

  const results: FloodBenchResults = {
    benchmark: 'flood',
    machine,
    loadAvg1mEnd: loadAvg1m(),
    domain: { ncols: SIDE, nrows: SIDE, cellSizeM: CELL_M },
    rates,
    demoStorm,
  };
  log('');
  log(`Flood — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load avg ${machine.loadAvg1m} → ${results.loadAvg1mEnd}`);
  const rows = rates.map((r) => [
    r.label,
    r.threads,
    r.steps,
    fmt(r.seconds, 2),
    fmt(r.cellUpdatesPerS / 1e6, 1),
    `${fmt(r.vsBaseline, 2)}×`,
    fmt(r.cellUpdatesPerCpuS / 1e6, 1),
    `${fmt(r.cpuVsBaseline, 2)}×`,
  ]);
  for (const line of table(['run', 'threads', 'steps', 'wall s', 'M updates/s', 'vs baseline', 'M updates/CPU-s', 'vs baseline'], rows)) log(`  ${line}`);
  const d = demoStorm;
  log('');
  log(`Demo city (${d.twin}), 50-year 60-minute Chicago storm, 30 mm/h drainage: ${d.grid.ncols} × ${d.grid.nrows} cells of ${d.grid.cellSizeM} m, ${fmt(d.obstacleCells)} building cells`);
  log(`  ${fmt(d.simulatedS)} s simulated in ${fmt(d.wallS, 1)} s on ${d.threads} threads: ${fmt(d.realTimeRatio, 1)}× real time (${fmt(d.steps)} steps, max depth ${fmt(d.maxDepthM, 2)} m, mass balance error ${d.massBalanceError.toExponential(1)})`);
  log(`  wrote ${await writeResults('flood', results)}`);
  return results;
}
