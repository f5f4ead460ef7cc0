/**
 * Flood benchmark (issue 14): time to solution of one rain-on-grid problem, for the solver and
 * for a fair plain kernel, in the same run.
 *
 * The problem: a 700 × 700 grid of 5 m cells (a 3.5 km city-like bed: a 0.4 % fall to the
 * south-east, rolling hills, a street-scale texture; see `cityBed`), dry at the start, 600 s of
 * uniform 60 mm/h rain, Manning's n 0.03, closed edges.
 *
 * The baseline: test/simulations/flood/plainInertial.ts, the local inertial scheme in three
 * plain loops on one thread as a competent user would write it — Float32 state, h²·∛h for
 * h^(7/3), each face's outflow capped at a quarter of its upwind cell's water, α = 0.7 — timed
 * from its arrays to its last step. The solver: `runFlood` as `citytwin sim flood` runs it
 * (default settings, α = 0.6, all cores), for the default scheme and for `--scheme inertial`,
 * timed from the problem to the gathered result (worker start-up, state set-up and outputs
 * included: what a user waits for). Both schemes run the WebAssembly SIMD sweep
 * (simulations/flood/assembly/inertialKernel.ts).
 *
 * Reported per run: steps, wall seconds, time to solution (simulated ÷ wall seconds), cell
 * updates per second counting all cells (cells × steps ÷ wall seconds), CPU seconds of the
 * process and the mass balance error; the ratio of each run's time to solution to the
 * baseline's, and of its CPU seconds; and two verdicts (wall clock), against the goals:
 * the faster scheme ≥ 3× the baseline, the default ≥ 1×. A fourth run, not in the verdicts, is
 * the WebAssembly SIMD prototype of the baseline kernel (bench/floodSimd.ts). The runs are
 * interleaved (baseline, default, inertial, prototype, then again) and each figure is the median
 * over the rounds, so a burst of other load hits them alike. Each
 * round also times a 20 × 20 run on the solver's threads: the worker start-up every
 * multi-thread run includes.
 *
 * Options (after `--`): `--size <cells per side>` (default 700; 250 is a quick run),
 * `--rounds <n>` (default 3), `--threads <n>` (default: all cores).
 */
import { availableParallelism } from 'node:os';
import { DEFAULT_SETTINGS, type FloodProblem, type FloodScheme } from '../simulations/flood/floodProblem';
import { runFlood } from '../simulations/flood/runFlood';
import { plainRun, plainState, plainVolume } from '../test/simulations/flood/plainInertial';
import { coupledDrainageCase, type CoupledCaseResult } from './floodDrainage';
import { simdKernelModule, simdPlainRun } from './floodSimd';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { median, round } from './support/stats';
import { fmt, table } from './support/table';
import { BenchOptionError } from './scaleOptions';

const CELL_M = 5;
const DURATION_S = 600;
const RAIN_MM_PER_HOUR = 60;
const MANNING_N = 0.03;
/** The fair kernel's CFL coefficient (issue 14). */
const PLAIN_ALPHA = 0.7;
/** Goals of issue 14, on time to solution against the baseline. */
const GOAL_FASTER = 3;
const GOAL_DEFAULT = 1;

export interface FloodBenchOptions {
  size: number;
  rounds: number;
  threads: number;
}

export interface FloodRun {
  label: string;
  scheme: FloodScheme | 'plain' | 'plain-wasm-simd';
  threads: number;
  alpha: number;
  steps: number;
  /** Medians over the rounds. */
  wallS: number;
  cpuS: number;
  /** Simulated seconds per wall second. */
  timeToSolution: number;
  cellUpdatesPerS: number;
  /** timeToSolution ÷ the baseline's. */
  vsBaseline: number;
  /**
   * The baseline's CPU seconds ÷ this run's: the work ratio, which a loaded machine disturbs less
   * than wall clock (two threads at most halve the wall time of the same CPU seconds).
   */
  cpuVsBaseline: number;
  massBalanceError: number;
  /** Every round's wall seconds, in order. */
  wallSRounds: number[];
}

export interface FloodVerdict {
  goal: string;
  ratio: number;
  met: boolean;
  line: string;
}

export interface FloodBenchResults {
  benchmark: 'flood';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  problem: { ncols: number; nrows: number; cellSizeM: number; durationS: number; rainMmPerHour: number; manningN: number; bed: string };
  rounds: number;
  runs: FloodRun[];
  /**
   * Wall seconds of a 20 × 20, 10 s run on the solver's threads (median over the rounds): the
   * worker threads' start-up, which every multi-thread run above includes.
   */
  workerStartS: number;
  verdicts: FloodVerdict[];
  /** The coupled case: the default scheme with a storm network, against itself without (bench/floodDrainage.ts). */
  coupled?: CoupledCaseResult;
}

export function parseFloodBenchOptions(argv: readonly string[]): FloodBenchOptions {
  const options: FloodBenchOptions = { size: 700, rounds: 3, threads: availableParallelism() };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    const value = Number(argv[i + 1]);
    const key = name.replace(/^--/, '') as keyof FloodBenchOptions;
    const bounds: Record<keyof FloodBenchOptions, [number, number]> = { size: [20, 2000], rounds: [1, 20], threads: [1, 16] };
    if (!(key in bounds)) throw new BenchOptionError(`bench flood: unknown option ${name}; use --size, --rounds or --threads`);
    const [min, max] = bounds[key];
    if (!Number.isInteger(value) || value < min || value > max) throw new BenchOptionError(`bench flood: ${name} must be an integer from ${min} to ${max}, got ${argv[i + 1]}`);
    options[key] = value;
  }
  return options;
}

/**
 * The bed, metres: a 0.4 % fall to the south-east, hills of ±2.5 m some 2.5–3.5 km across,
 * ±0.8 m swells 1 km apart, and a ±0.15 m street-scale texture that leaves shallow pits to pond in.
 */
export function cityBed(side: number, dx: number): Float64Array {
  const bed = new Float64Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const x = c * dx;
      const y = r * dx;
      bed[r * side + c] =
        20 - (0.004 * (x + y)) / Math.SQRT2 + 2.5 * Math.sin(x / 410) * Math.cos(y / 530) + 0.8 * Math.sin((x + 2 * y) / 170) + 0.15 * Math.sin(x / 23) * Math.sin(y / 29);
    }
  }
  return bed;
}

/** CPU seconds of this process, all threads (workers included). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Sample {
  steps: number;
  wallS: number;
  cpuS: number;
  massBalanceError: number;
}

const RAIN_M_PER_S = RAIN_MM_PER_HOUR / 3.6e6;

function plainSample(side: number, bed: Float64Array): Sample {
  const rainMs = RAIN_M_PER_S;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const s = plainState(side, side, CELL_M, bed, new Float64Array(side * side), MANNING_N);
  const steps = plainRun(s, PLAIN_ALPHA, DEFAULT_SETTINGS.maxDtS, rainMs, DURATION_S);
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds() - c0;
  const rained = rainMs * DURATION_S * side * side * CELL_M * CELL_M;
  return { steps, wallS, cpuS, massBalanceError: (plainVolume(s) - rained) / rained };
}

function simdSample(module: WebAssembly.Module, side: number, bed: Float64Array): Sample {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const run = simdPlainRun(module, side, CELL_M, bed, MANNING_N, PLAIN_ALPHA, DEFAULT_SETTINGS.maxDtS, RAIN_M_PER_S, DURATION_S);
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds() - c0;
  const rained = RAIN_M_PER_S * DURATION_S * side * side * CELL_M * CELL_M;
  return { steps: run.steps, wallS, cpuS, massBalanceError: (run.volumeM3 - rained) / rained };
}

async function solverSample(problem: FloodProblem, threads: number): Promise<Sample> {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const r = await runFlood(problem, { threads });
  return { steps: r.steps, wallS: (performance.now() - t0) / 1000, cpuS: cpuSeconds() - c0, massBalanceError: r.massBalanceError };
}

export async function runFloodBench(log: (line: string) => void, argv: readonly string[] = []): Promise<FloodBenchResults> {
  const options = parseFloodBenchOptions(argv);
  const { size: side, rounds, threads } = options;
  const machine = machineInfo();
  const bed = cityBed(side, CELL_M);
  const cells = side * side;
  const problemOf = (scheme: FloodScheme): FloodProblem => ({
    grid: { ncols: side, nrows: side, cellSizeM: CELL_M, bedM: bed, manningN: MANNING_N },
    forcing: { rain: { kind: 'uniform', mmPerHour: RAIN_MM_PER_HOUR }, drainageMmPerHour: 0, inflows: [], boundaries: {} },
    settings: { ...DEFAULT_SETTINGS, scheme, durationS: DURATION_S, snapshotTimesS: [] },
  });
  const simdModule = await simdKernelModule();
  const variants: Array<{ label: string; scheme: FloodRun['scheme']; threads: number; alpha: number; sample: () => Promise<Sample> }> = [
    { label: 'plain kernel (baseline)', scheme: 'plain', threads: 1, alpha: PLAIN_ALPHA, sample: async () => plainSample(side, bed) },
    { label: `default (${DEFAULT_SETTINGS.scheme}, WASM SIMD kernel)`, scheme: DEFAULT_SETTINGS.scheme, threads, alpha: DEFAULT_SETTINGS.alpha, sample: () => solverSample(problemOf(DEFAULT_SETTINGS.scheme), threads) },
    { label: '--scheme inertial (WASM SIMD kernel)', scheme: 'inertial', threads, alpha: DEFAULT_SETTINGS.alpha, sample: () => solverSample(problemOf('inertial'), threads) },
    { label: 'plain kernel, WASM SIMD (prototype)', scheme: 'plain-wasm-simd', threads: 1, alpha: PLAIN_ALPHA, sample: async () => simdSample(simdModule, side, bed) },
  ];
  log(`flood: ${side} × ${side} cells of ${CELL_M} m, ${DURATION_S} s of ${RAIN_MM_PER_HOUR} mm/h rain, n = ${MANNING_N}; ${rounds} interleaved round(s), solver on ${threads} thread(s); load avg ${machine.loadAvg1m}`);
  const samples: Sample[][] = variants.map(() => []);
  const starts: number[] = [];
  const tiny: FloodProblem = {
    grid: { ncols: 20, nrows: 20, cellSizeM: CELL_M, bedM: new Float64Array(400), manningN: MANNING_N },
    forcing: { rain: { kind: 'none' }, drainageMmPerHour: 0, inflows: [], boundaries: {} },
    settings: { ...DEFAULT_SETTINGS, durationS: 10, snapshotTimesS: [] },
  };
  for (let round = 0; round < rounds; round++) {
    if (threads > 1) starts.push((await solverSample(tiny, threads)).wallS);
    for (const [k, v] of variants.entries()) {
      const s = await v.sample();
      samples[k]!.push(s);
      log(`  round ${round + 1}: ${v.label}: ${s.steps} steps in ${fmt(s.wallS, 2)} s (load avg ${loadAvg1m()})`);
    }
  }

  const runs: FloodRun[] = variants.map((v, k) => {
    const all = samples[k]!;
    const wallS = median(all.map((s) => s.wallS));
    const steps = all[0]!.steps;
    return {
      label: v.label,
      scheme: v.scheme,
      threads: v.threads,
      alpha: v.alpha,
      steps,
      wallS: round(wallS, 3),
      cpuS: round(median(all.map((s) => s.cpuS)), 3),
      timeToSolution: round(DURATION_S / wallS, 2),
      cellUpdatesPerS: Math.round((cells * steps) / wallS),
      vsBaseline: 1,
      cpuVsBaseline: 1,
      massBalanceError: all[0]!.massBalanceError,
      wallSRounds: all.map((s) => round(s.wallS, 3)),
    };
  });
  const base = runs[0]!;
  for (const r of runs) {
    r.vsBaseline = round(base.wallS / r.wallS, 2);
    r.cpuVsBaseline = round(base.cpuS / r.cpuS, 2);
  }
  const [, defaultRun, inertialRun] = runs as [FloodRun, FloodRun, FloodRun];
  const faster = defaultRun.vsBaseline >= inertialRun.vsBaseline ? defaultRun : inertialRun;
  const verdict = (goal: string, run: FloodRun, target: number): FloodVerdict => {
    const met = run.vsBaseline >= target;
    return { goal, ratio: run.vsBaseline, met, line: `verdict: ${goal}: ${fmt(run.vsBaseline, 2)}× (${run.label}) — ${met ? 'met' : 'NOT met'}` };
  };
  const verdicts = [verdict(`faster scheme ≥ ${GOAL_FASTER}× the plain kernel`, faster, GOAL_FASTER), verdict(`default scheme ≥ ${GOAL_DEFAULT}× the plain kernel`, defaultRun, GOAL_DEFAULT)];

  const results: FloodBenchResults = {
    benchmark: 'flood',
    machine,
    loadAvg1mEnd: loadAvg1m(),
    problem: { ncols: side, nrows: side, cellSizeM: CELL_M, durationS: DURATION_S, rainMmPerHour: RAIN_MM_PER_HOUR, manningN: MANNING_N, bed: 'cityBed (bench/flood.ts)' },
    rounds,
    runs,
    workerStartS: starts.length > 0 ? round(median(starts), 3) : 0,
    verdicts,
  };
  log('');
  log(`Flood — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load avg ${machine.loadAvg1m} → ${results.loadAvg1mEnd}; medians of ${rounds} round(s)`);
  const rows = runs.map((r) => [
    r.label,
    r.threads,
    fmt(r.alpha, 1),
    fmt(r.steps),
    fmt(r.wallS, 2),
    fmt(r.cpuS, 2),
    fmt(r.timeToSolution, 1),
    fmt(r.cellUpdatesPerS / 1e6, 1),
    `${fmt(r.vsBaseline, 2)}×`,
    `${fmt(r.cpuVsBaseline, 2)}×`,
    r.massBalanceError.toExponential(1),
  ]);
  for (const line of table(['run', 'threads', 'α', 'steps', 'wall s', 'CPU s', 'sim s / wall s', 'M cell updates/s', 'vs baseline', 'CPU vs baseline', 'mass error'], rows)) log(`  ${line}`);
  if (threads > 1) log(`  worker start-up (${threads} threads, a 20 × 20 run): ${fmt(results.workerStartS, 2)} s, included in each solver run above`);
  for (const v of verdicts) log(v.line);
  log('Coupled with a drainage network (default scheme):');
  results.coupled = await coupledDrainageCase(problemOf(DEFAULT_SETTINGS.scheme), threads, rounds, log);
  log(results.coupled.line);
  log(`  wrote ${await writeResults('flood', results)}`);
  return results;
}
