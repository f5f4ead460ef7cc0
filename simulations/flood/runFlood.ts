/**
 * Runs a flood problem to the end: sets up the state, steps it in chunks on one thread or on
 * worker threads (row stripes over shared memory), keeps depth snapshots, reports progress,
 * honours cancellation and the wall-clock limit between chunks, and gathers the outputs and the
 * mass balance. Single- and multi-thread runs take the same steps on the same cells, so their
 * grids are identical; only the order of the volume sums differs (rounding).
 */
import { availableParallelism } from 'node:os';
import { linkTeamSpec } from '../drainage/linkTeam';
import type { PipeRun } from '../drainage/pipeResults';
import type { DrainageCouplingSpec } from '../drainage/surfaceCoupling';
import { checkFloodNetwork, checkFloodProblem, EDGES, type FloodProblem } from './floodProblem';
import { floodArrays, floodStateBytes, maxOpenDepth, STAT, STAT_COUNT, waterVolume, type FloodArrays, type FloodLayout } from './floodState';
import { FloodWorkerPool, type ChunkDone } from './parallel/floodWorkerPool';
import { rowStripes, sourceCells, StripeStepper, type StepperConfig } from './stripeStepper';
import { floodMemory, inertialKernelModule, WasmSweepKernel, type WasmKernelShare } from './wasmKernel';

export interface FloodRunOptions {
  /** Worker threads; 1 runs in the calling thread. Default 1. */
  threads?: number;
  /** Stop with FloodLimitError after this many wall-clock seconds (default 1 hour). */
  wallClockLimitS?: number;
  signal?: AbortSignal;
  /**
   * The sweep, for either scheme: the WebAssembly SIMD kernel (default) or the TypeScript
   * reference it is held to (same depths bit for bit; for tests and comparisons).
   */
  kernel?: 'wasm' | 'typescript';
  /** After each chunk: fraction of the duration done, simulated seconds, steps taken so far. */
  onProgress?(fraction: number, simulatedS: number, steps: number): void;
}

export interface FloodSnapshot {
  timeS: number;
  depthM: Float32Array;
}

export interface FloodVolumes {
  initial: number;
  rain: number;
  /** Point inflows, flow boundaries and inflow through level boundaries. */
  inflow: number;
  /** Out through level and free boundaries. */
  outflow: number;
  drainage: number;
  /** With a drainage network: surface water taken in by its inlets, and water its nodes spilled onto the surface. */
  toDrains?: number;
  fromDrains?: number;
  final: number;
}

/**
 * Both domains' balance of a run with a drainage network, m³: what came in (rain, surface
 * inflows, node hydrographs) and what was there (surface and pipe storage at the start) against what left (surface
 * boundaries, the mm/h drainage if any, outfalls, spills of uncoupled nodes) and what is left.
 * `relativeError` = (final − expected) / (initial + rain + inflow + pipe inflow).
 */
export interface CoupledMassBalance {
  initialSurface: number;
  initialPipes: number;
  rain: number;
  inflow: number;
  /** Hydrographs straight into pipe nodes. */
  pipeInflow: number;
  surfaceOutflow: number;
  drainage: number;
  outfalls: number;
  /** Spilled by junctions not coupled to a cell (lost, as SWMM without ponding). */
  floodingLost: number;
  finalSurface: number;
  finalPipes: number;
  relativeError: number;
}

/** The drainage network's part of a coupled run's result. */
export interface CoupledDrainageResult {
  pipes: PipeRun;
  massBalance: CoupledMassBalance;
}

export interface FloodResult {
  ncols: number;
  nrows: number;
  cellSizeM: number;
  snapshots: FloodSnapshot[];
  /** Per cell, row 0 north; NaN on obstacles (and, for arrival, where never wet). */
  finalDepthM: Float32Array;
  maxDepthM: Float32Array;
  maxSpeedMs: Float32Array;
  arrivalS: Float32Array;
  durationS: Float32Array;
  maxHazard: Float32Array;
  volumesM3: FloodVolumes;
  /** (final − expected) / (initial + rain + inflow): 0 for perfect conservation. */
  massBalanceError: number;
  maxDepthOverallM: number;
  /** Cells deeper than the wet threshold at any time. */
  wetCells: number;
  steps: number;
  simulatedSeconds: number;
  wallSeconds: number;
  /** Cells × steps ÷ wall seconds. */
  cellUpdatesPerSecond: number;
  threads: number;
  /** Present when the run had a drainage network. */
  drainage?: CoupledDrainageResult;
}

export class FloodCancelledError extends Error {
  constructor(atS: number) {
    super(`flood run cancelled at ${atS.toFixed(1)} s simulated`);
    this.name = 'FloodCancelledError';
  }
}

export class FloodLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FloodLimitError';
  }
}

export const DEFAULT_WALL_CLOCK_LIMIT_S = 3600;
/** Wall-clock length of a chunk between checks for cancellation and progress. */
const CHUNK_TARGET_S = 0.1;

interface ChunkRunner {
  advance(untilS: number, maxSteps: number): Promise<ChunkDone>;
  /** Runs with a drainage network: the pipe results and the water in the pipes now. */
  drainage(simulatedS: number): Promise<{ run: PipeRun; storageM3: number }>;
  close(): Promise<void>;
}

/** The coupling spec a run uses: tidal outfalls follow the first level boundary unless the spec names a sea level. */
function couplingSpec(problem: FloodProblem): DrainageCouplingSpec | undefined {
  const spec = problem.drainage;
  if (!spec || spec.seaLevelM) return spec;
  for (const edge of EDGES) {
    const b = problem.forcing.boundaries[edge];
    if (b?.type === 'level') return { ...spec, seaLevelM: b.levelM };
  }
  return spec;
}

/** Fills the state from the problem; `workers` sizes the per-stripe accumulators. */
function initialState(problem: FloodProblem, buffer: ArrayBufferLike, layout: FloodLayout): FloodArrays {
  const { grid } = problem;
  const s = floodArrays(buffer, layout);
  const cells = grid.ncols * grid.nrows;
  const n = grid.manningN;
  for (let i = 0; i < cells; i++) {
    const open = grid.blocked?.[i] ? 0 : 1;
    s.open[i] = open;
    s.z[i] = grid.bedM[i]!;
    const ni = typeof n === 'number' ? n : n[i]!;
    s.n2[i] = ni * ni;
    const h0 = open ? (grid.initialDepthM?.[i] ?? 0) : 0;
    s.h[i] = h0;
    s.maxDepth[i] = h0;
    s.arrival[i] = h0 > problem.settings.wetDepthM ? 0 : -1;
  }
  s.stats[STAT.hMax] = maxOpenDepth(s);
  return s;
}

/** Float32 copy of a field with NaN on obstacles (and where `hide` says so). */
function outputGrid(s: FloodArrays, field: Float64Array, hide?: (v: number) => boolean): Float32Array {
  const out = new Float32Array(field.length);
  for (let i = 0; i < field.length; i++) {
    const v = field[i]!;
    out[i] = !s.open[i] || (hide && hide(v)) ? Number.NaN : v;
  }
  return out;
}

export async function runFlood(problem: FloodProblem, options: FloodRunOptions = {}): Promise<FloodResult> {
  checkFloodProblem(problem);
  const { grid, forcing, settings } = problem;
  const threadsWanted = options.threads ?? 1;
  if (!Number.isInteger(threadsWanted) || threadsWanted < 1 || threadsWanted > Math.max(availableParallelism(), 1) * 4) {
    throw new RangeError(`threads must be an integer between 1 and ${availableParallelism() * 4}, got ${threadsWanted}`);
  }
  const stripes = rowStripes(grid.nrows, threadsWanted);
  const threads = stripes.length;
  const layout: FloodLayout = { ncols: grid.ncols, nrows: grid.nrows, workers: threads };
  const bytes = floodStateBytes(layout);
  const wasm: WasmKernelShare | undefined =
    (options.kernel ?? 'wasm') === 'wasm' ? { module: inertialKernelModule(), memory: floodMemory(bytes) } : undefined;
  const buffer = wasm ? wasm.memory.buffer : threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  // The workers start now and wait for their configuration: their start-up overlaps the
  // network's check and compile and the state's set-up below, which they need.
  const pool = threads > 1 ? await FloodWorkerPool.start(buffer as SharedArrayBuffer, layout, stripes, wasm) : undefined;
  let s: FloodArrays;
  let config: StepperConfig;
  let drainageSpec: DrainageCouplingSpec | undefined;
  try {
    const drainageNet = checkFloodNetwork(problem);
    s = initialState(problem, buffer, layout);
    drainageSpec = couplingSpec(problem);
    config = { dx: grid.cellSizeM, forcing, settings, sources: sourceCells(s.open, grid.ncols, grid.nrows, forcing, grid.cellSizeM), drainage: drainageSpec };
    if (drainageSpec) config.drainageNet = drainageNet;
    if (drainageSpec && threads > 1) config.linkTeam = linkTeamSpec(drainageSpec.network, threads);
  } catch (err) {
    await pool?.close();
    throw err;
  }
  const dx = grid.cellSizeM;
  const initialVolume = waterVolume(s, dx);

  let runner: ChunkRunner;
  if (pool) {
    pool.init(config);
    runner = pool;
  } else {
    const stepper = new StripeStepper(s, stripes[0]!, config, () => undefined, wasm ? new WasmSweepKernel(wasm, s, 0) : undefined);
    runner = {
      advance: async (untilS: number, maxSteps: number) => ({ steps: stepper.advance(untilS, maxSteps), t: stepper.t }),
      drainage: async (simulatedS: number) => stepper.drainage(simulatedS)!,
      close: async () => undefined,
    };
  }

  const wallLimitS = options.wallClockLimitS ?? DEFAULT_WALL_CLOCK_LIMIT_S;
  const snapshotTimes = [...new Set(settings.snapshotTimesS)].sort((a, b) => a - b);
  const snapshots: FloodSnapshot[] = [];
  const started = performance.now();
  let t = 0;
  let steps = 0;
  let maxSteps = 4;
  let pipes: { run: PipeRun; storageM3: number } | undefined;
  try {
    let nextSnapshot = 0;
    while (t < settings.durationS) {
      if (options.signal?.aborted) throw new FloodCancelledError(t);
      const elapsedS = (performance.now() - started) / 1000;
      if (elapsedS > wallLimitS) {
        throw new FloodLimitError(`flood run passed its wall-clock limit of ${wallLimitS} s at ${t.toFixed(1)} of ${settings.durationS} s simulated`);
      }
      const target = nextSnapshot < snapshotTimes.length ? snapshotTimes[nextSnapshot]! : settings.durationS;
      const chunkStart = performance.now();
      const done = await runner.advance(target, maxSteps);
      const chunkS = (performance.now() - chunkStart) / 1000;
      const taken = done.steps;
      steps += taken;
      t = done.t;
      // Aim each chunk at CHUNK_TARGET_S of wall clock, so checks stay frequent on any grid.
      maxSteps = Math.max(1, Math.min(100_000, Math.round((taken / Math.max(chunkS, 1e-4)) * CHUNK_TARGET_S)));
      if (t >= target && nextSnapshot < snapshotTimes.length && target === snapshotTimes[nextSnapshot]) {
        snapshots.push({ timeS: target, depthM: outputGrid(s, s.h) });
        nextSnapshot++;
      }
      options.onProgress?.(t / settings.durationS, t, steps);
    }
    if (drainageSpec) pipes = await runner.drainage(settings.durationS);
  } finally {
    await runner.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const result = gatherResult(problem, s, threads, initialVolume, snapshots, steps, wallSeconds, pipes?.run);
  if (pipes && drainageSpec) result.drainage = { pipes: pipes.run, massBalance: coupledBalance(result.volumesM3, pipes.run, pipes.storageM3, drainageSpec) };
  return result;
}

function coupledBalance(v: FloodVolumes, pipes: PipeRun, finalPipes: number, spec: DrainageCouplingSpec): CoupledMassBalance {
  const coupled = new Set(spec.nodeCells.map((c) => c.nodeId));
  let floodingLost = 0;
  for (const n of pipes.nodes) if (!coupled.has(n.id)) floodingLost += n.floodVolumeM3;
  const initialPipes = pipes.massBalance.initialStorageM3;
  const pipeInflow = pipes.massBalance.inflowM3;
  const expected = v.initial + initialPipes + v.rain + v.inflow + pipeInflow - v.outflow - v.drainage - pipes.massBalance.outfallM3 - floodingLost;
  const finalSurface = v.final;
  const scale = v.initial + initialPipes + v.rain + v.inflow + Math.max(pipeInflow, 0);
  return {
    initialSurface: v.initial,
    initialPipes,
    rain: v.rain,
    inflow: v.inflow,
    pipeInflow,
    surfaceOutflow: v.outflow,
    drainage: v.drainage,
    outfalls: pipes.massBalance.outfallM3,
    floodingLost,
    finalSurface,
    finalPipes,
    relativeError: scale > 0 ? (finalSurface + finalPipes - expected) / scale : 0,
  };
}

function gatherResult(problem: FloodProblem, s: FloodArrays, threads: number, initial: number, snapshots: FloodSnapshot[], steps: number, wallSeconds: number, pipes?: PipeRun): FloodResult {
  const { grid, settings } = problem;
  const dx = grid.cellSizeM;
  const sum = (stat: number): number => {
    let v = 0;
    for (let w = 0; w < threads; w++) v += s.stats[w * STAT_COUNT + stat]!;
    return v;
  };
  const final = waterVolume(s, dx);
  const volumesM3: FloodVolumes = {
    initial,
    rain: sum(STAT.rain),
    inflow: sum(STAT.sources) + sum(STAT.boundaryIn),
    outflow: sum(STAT.boundaryOut),
    drainage: sum(STAT.drainage),
    final,
  };
  if (pipes) {
    volumesM3.toDrains = pipes.massBalance.inletM3;
    const coupled = new Set(problem.drainage!.nodeCells.map((c) => c.nodeId));
    volumesM3.fromDrains = pipes.nodes.reduce((sum, n) => sum + (coupled.has(n.id) ? n.floodVolumeM3 : 0), 0);
  }
  const exchanged = (volumesM3.fromDrains ?? 0) - (volumesM3.toDrains ?? 0);
  const expected = initial + volumesM3.rain + volumesM3.inflow - volumesM3.outflow - volumesM3.drainage + exchanged;
  const scale = initial + volumesM3.rain + volumesM3.inflow;
  let wetCells = 0;
  let maxDepthOverallM = 0;
  for (let i = 0; i < s.h.length; i++) {
    if (!s.open[i]) continue;
    if (s.maxDepth[i]! > settings.wetDepthM) wetCells++;
    if (s.maxDepth[i]! > maxDepthOverallM) maxDepthOverallM = s.maxDepth[i]!;
  }
  const cells = grid.ncols * grid.nrows;
  return {
    ncols: grid.ncols,
    nrows: grid.nrows,
    cellSizeM: dx,
    snapshots,
    finalDepthM: outputGrid(s, s.h),
    maxDepthM: outputGrid(s, s.maxDepth),
    maxSpeedMs: outputGrid(s, s.maxSpeed),
    arrivalS: outputGrid(s, s.arrival, (v) => v < 0),
    durationS: outputGrid(s, s.duration),
    maxHazard: outputGrid(s, s.maxHazard),
    volumesM3,
    massBalanceError: scale > 0 ? (final - expected) / scale : 0,
    maxDepthOverallM,
    wetCells,
    steps,
    simulatedSeconds: settings.durationS,
    wallSeconds,
    cellUpdatesPerSecond: wallSeconds > 0 ? (cells * steps) / wallSeconds : 0,
    threads,
  };
}
