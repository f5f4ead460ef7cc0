/**
 * The pipe network coupled to the 2D surface by operator splitting: between two surface steps
 * the flood stepper calls `run(h, z, Δt, t)` once (on one thread: the stripe-0 worker or the
 * single thread), which
 *   1. reads the surface depth of every coupled node's cell into a small reservoir per cell,
 *   2. steps the pipes through the surface step Δt in their own sub-steps (Courant, pipeSolver),
 *      exchanging water with those reservoirs at every sub-step (surfaceExchange.ts: weir or
 *      orifice into an inlet, orifice out of a surcharged node),
 *   3. writes the reservoirs' depths back into the surface cells.
 * The surface sees the exchange as a change of depth at the node cells between steps; the pipes
 * see the surface level held over the step but drawn down (or raised) by what they exchanged,
 * so an inlet never takes more than its cell holds and the two sides never overshoot each other.
 * The volume moved is counted on both sides (inlet volumes and spills per node), which is what
 * closes the two domains' joint mass balance (runFlood).
 */
import { seriesValueAt, type TimeSeries } from '../flood/timeSeries';
import { compileNetwork, surfaceAreaAtDepth, volumeAtDepth, type CompiledNetwork } from './compiledNetwork';
import { checkNodeInflows, DrainageNetworkError } from './networkCheck';
import type { DrainageNetwork, NodeInflow } from './network';
import { LinkTeam, type LinkTeamSpec } from './linkTeam';
import { PipeRecorder } from './pipeRecorder';
import type { PipeRun } from './pipeResults';
import { PipeSolver, type PipeSolverOptions } from './pipeSolver';
import { DEFAULT_EXCHANGE, DEFAULT_INLET, exchangeRateM3s, type ExchangeCoefficients, type ExchangeState, type InletGeometry } from './surfaceExchange';

/** A node's surface cell (row 0 the north row, as the flood grid) and, optionally, its inlet. */
export interface NodeCell {
  nodeId: string;
  row: number;
  col: number;
  inlet?: InletGeometry;
}

/** The drainage option of a flood run; plain data, so it travels to a worker thread. */
export interface DrainageCouplingSpec {
  network: DrainageNetwork;
  /** Junctions coupled to the surface; others spill what rises above their rim as lost flooding. */
  nodeCells: NodeCell[];
  exchange?: ExchangeCoefficients;
  /** Hydrographs straight into nodes (a `.inp` file's [INFLOWS]: dry-weather or upstream catchments). */
  inflows?: NodeInflow[];
  /** Report step of the pipe series, s (default 300). */
  reportStepS?: number;
  /** Longest pipe sub-step, s (default 5). */
  maxStepS?: number;
  courant?: number;
  /** Trials per pipe sub-step (SWMM's MAX_TRIALS, pipeSolver.ts); default COUPLED_TRIALS. */
  trials?: number;
  /**
   * Conduits shorter than a gravity wave travels in this many seconds are lengthened for the
   * Courant condition (SWMM's LENGTHENING_STEP, compiledNetwork.ts), s; default
   * DEFAULT_LENGTHENING_STEP_S (none).
   */
  lengtheningStepS?: number;
  /** Sea level for tidal outfalls; runFlood passes its first level boundary's series when this is absent. */
  seaLevelM?: TimeSeries;
}

/**
 * Coupled runs' default lengthening step, s: none. Measured on the demo twin (docs/drainage.md
 * "Performance"): lengthening at 1 s saved 7 % of the pipe sub-steps over a 30-minute storm (the
 * slot's celerity in surcharged short links still sets them) and moved peak depths by up to
 * 0.5 m in a step-sensitive surcharge transient, so it is an option for networks whose short
 * links run open, not a default.
 */
export const DEFAULT_LENGTHENING_STEP_S = 0;

/**
 * Coupled runs' default trials per pipe sub-step: one explicit pass. SWMM's iterated step (8
 * trials, pipeSolver.ts) was measured against fine-step references (docs/drainage.md "Convergence
 * of the coupled step"): through surcharge it stands further from them than one pass (on the
 * demo's YSO025 catchment 33 cm against 6 cm in peak node depth at Courant 0.75, 11 cm apart
 * even at Courant 0.02) and costs more, so one pass stays.
 */
export const COUPLED_TRIALS = 1;

/** Shortest pipe sub-step before the run is refused, s. */
const MIN_SUB_STEP_S = 1e-3;

/** Checks the coupling's cells against the grid; throws DrainageNetworkError naming the node. */
export function checkCoupling(spec: DrainageCouplingSpec, ncols: number, nrows: number, blocked: Uint8Array | undefined): CompiledNetwork {
  const lengthening = spec.lengtheningStepS ?? DEFAULT_LENGTHENING_STEP_S;
  if (!(lengthening >= 0 && lengthening <= 60)) throw new DrainageNetworkError('lengtheningStepS', `must be in [0, 60] s, got ${spec.lengtheningStepS}`);
  const net = compileNetwork(spec.network, 'slot', lengthening);
  if (spec.inflows) checkNodeInflows(spec.network, spec.inflows);
  const seen = new Set<string>();
  spec.nodeCells.forEach((c, k) => {
    const where = `nodeCells[${k}]`;
    const node = net.nodeIndex.get(c.nodeId);
    if (node === undefined) throw new DrainageNetworkError(`${where}.nodeId`, `"${c.nodeId}" is not a node of the network`);
    if (net.outfall[node]) throw new DrainageNetworkError(`${where}.nodeId`, `"${c.nodeId}" is an outfall; only junctions exchange with the surface`);
    if (seen.has(c.nodeId)) throw new DrainageNetworkError(`${where}.nodeId`, `"${c.nodeId}" is coupled twice`);
    seen.add(c.nodeId);
    if (!Number.isInteger(c.row) || !Number.isInteger(c.col) || c.row < 0 || c.col < 0 || c.row >= nrows || c.col >= ncols) {
      throw new DrainageNetworkError(where, `node "${c.nodeId}" lies at (row ${c.row}, col ${c.col}), outside the ${ncols} × ${nrows} grid`);
    }
    if (blocked?.[c.row * ncols + c.col]) throw new DrainageNetworkError(where, `node "${c.nodeId}" lies in a blocked cell (a building) at (row ${c.row}, col ${c.col})`);
    if (c.inlet && !(c.inlet.areaM2 > 0 && c.inlet.areaM2 <= 100 && c.inlet.perimeterM > 0 && c.inlet.perimeterM <= 100)) {
      throw new DrainageNetworkError(`${where}.inlet`, `node "${c.nodeId}": inlet area and perimeter must be > 0 and ≤ 100`);
    }
  });
  if (spec.trials !== undefined && !(Number.isInteger(spec.trials) && spec.trials >= 1 && spec.trials <= 50)) throw new DrainageNetworkError('trials', `must be an integer in [1, 50], got ${spec.trials}`);
  if (spec.courant !== undefined && !(spec.courant > 0 && spec.courant <= 1)) throw new DrainageNetworkError('courant', `must be in (0, 1], got ${spec.courant}`);
  const e = spec.exchange;
  if (e && !(e.weir > 0 && e.weir <= 2 && e.orifice > 0 && e.orifice <= 1)) throw new DrainageNetworkError('exchange', `weir must be in (0, 2] and orifice in (0, 1], got ${e.weir} and ${e.orifice}`);
  return net;
}

/** A thread's place in a link team (linkTeam.ts): the run's barrier, this thread, all threads. */
export interface LinkTeamSeat {
  spec: LinkTeamSpec;
  barrier: () => void;
  index: number;
  count: number;
}

/** The solver options of a coupled run's pipes (the lead's and the link team's alike). */
function solverOptions(spec: DrainageCouplingSpec, seat: LinkTeamSeat | undefined, hold?: Uint8Array): PipeSolverOptions {
  return {
    ...(hold ? { holdAboveRim: hold } : {}),
    courant: spec.courant,
    trials: spec.trials ?? COUPLED_TRIALS,
    ...(seat ? { shared: { buffer: seat.spec.buffer, owner: seat.index === 0 } } : {}),
  };
}

/**
 * A link-team member (a flood thread other than stripe 0): a solver attached to the lead's
 * shared arrays, which updates its range of links when the lead asks (LinkTeam.follow).
 */
export function linkTeamMember(spec: DrainageCouplingSpec, seat: LinkTeamSeat, compiled?: CompiledNetwork): LinkTeam {
  const net = compiled ?? compileNetwork(spec.network, 'slot', spec.lengtheningStepS ?? DEFAULT_LENGTHENING_STEP_S);
  const solver = new PipeSolver(net, solverOptions(spec, seat));
  return new LinkTeam(seat.spec, solver, seat.barrier, seat.index, seat.count);
}

export class SurfaceCoupling {
  private readonly solver: PipeSolver;
  /** With several threads: the team that splits the links (this thread leads it). */
  private readonly team: LinkTeam | undefined;
  private readonly recorder: PipeRecorder;
  private readonly nodes: Int32Array;
  private readonly cellOf: Int32Array;
  private readonly reservoirOf: Int32Array;
  private readonly cells: Int32Array;
  private readonly depth: Float64Array;
  /** Per coupled node, the bed of its cell and its storage up to there, m and m³ (set at the first run). */
  private readonly groundM: Float64Array;
  private readonly volumeAtGroundM3: Float64Array;
  /** Per coupled node, its exchange rate over the current sub-step (m³/s, into the node positive). */
  private readonly exchange: Float64Array;
  private readonly inlets: InletGeometry[];
  private readonly hydrographs: Array<{ node: number; series: TimeSeries }>;
  private readonly coefficients: ExchangeCoefficients;
  private readonly cellAreaM2: number;
  private readonly reportStepS: number;
  private readonly maxStepS: number;
  private readonly state: ExchangeState = { groundM: 0, surfaceDepthM: 0, surfaceAreaM2: 0, nodeHeadM: 0, nodeAreaM2: 0, nodeVolumeAboveGroundM3: 0 };
  private nextReportS: number;
  /** Wall-clock seconds spent in `run` (the serial phase: exchange and pipe steps). */
  private phaseS = 0;
  private started = false;

  constructor(
    spec: DrainageCouplingSpec,
    ncols: number,
    nrows: number,
    cellSizeM: number,
    blocked?: Uint8Array,
    seat?: LinkTeamSeat,
    /** The network as checkCoupling compiled it for these arguments (it is checked and compiled here when absent). */
    compiled?: CompiledNetwork,
  ) {
    const net = compiled ?? checkCoupling(spec, ncols, nrows, blocked);
    const hold = new Uint8Array(net.nodeCount);
    this.nodes = Int32Array.from(spec.nodeCells, (c) => net.nodeIndex.get(c.nodeId)!);
    for (const i of this.nodes) hold[i] = 1;
    const sea = spec.seaLevelM;
    this.solver = new PipeSolver(net, solverOptions(spec, seat, hold), sea ? (t) => seriesValueAt(sea, t) : undefined);
    this.team = seat && new LinkTeam(seat.spec, this.solver, seat.barrier, seat.index, seat.count);
    this.recorder = new PipeRecorder(this.solver);
    this.cellOf = Int32Array.from(spec.nodeCells, (c) => c.row * ncols + c.col);
    const cells = [...new Set(this.cellOf)];
    this.cells = Int32Array.from(cells);
    this.reservoirOf = Int32Array.from(this.cellOf, (c) => cells.indexOf(c));
    this.depth = new Float64Array(cells.length);
    this.exchange = new Float64Array(this.nodes.length);
    this.groundM = new Float64Array(this.nodes.length);
    this.volumeAtGroundM3 = new Float64Array(this.nodes.length);
    this.inlets = spec.nodeCells.map((c) => c.inlet ?? DEFAULT_INLET);
    this.hydrographs = (spec.inflows ?? []).map((f) => ({ node: net.nodeIndex.get(f.nodeId)!, series: { seconds: f.times, values: f.flowsM3s } }));
    this.coefficients = spec.exchange ?? DEFAULT_EXCHANGE;
    this.cellAreaM2 = cellSizeM * cellSizeM;
    this.reportStepS = spec.reportStepS ?? 300;
    this.maxStepS = spec.maxStepS ?? 5;
    this.nextReportS = this.reportStepS;
  }

  /** Water in the pipes, m³. */
  storageM3(): number {
    return this.solver.storageM3();
  }

  /**
   * Exchanges with the surface and routes the pipes from t to t + dt; h and z are the surface's
   * depths and bed per cell. Returns the deepest depth it left in a node cell, m.
   */
  run(h: Float64Array, z: ArrayLike<number>, dtS: number, tS: number): number {
    const phaseStart = performance.now();
    const { solver, recorder, depth, cells, state } = this;
    const { net } = solver;
    if (!this.started) {
      recorder.report(tS);
      // The bed does not change within a run: each coupled node's ground and its storage up to it, once.
      for (let k = 0; k < this.nodes.length; k++) {
        const i = this.nodes[k]!;
        this.groundM[k] = z[this.cellOf[k]!]!;
        this.volumeAtGroundM3[k] = volumeAtDepth(net, i, Math.max(this.groundM[k]! - net.invertM[i]!, 0));
      }
      this.started = true;
    }
    for (let r = 0; r < cells.length; r++) depth[r] = h[cells[r]!]!;
    const end = tS + dtS;
    let t = tS;
    while (t < end) {
      const stable = Math.min(solver.stableStepS(), this.maxStepS);
      if (stable < MIN_SUB_STEP_S) throw new DrainageNetworkError('network', `the pipes need sub-steps of ${stable.toExponential(2)} s at ${t.toFixed(1)} s (a very short link or a tiny node area)`);
      const remaining = end - t;
      // Split what is left evenly rather than leave a sliver of a step at the end.
      const sub = stable >= remaining ? remaining : remaining / Math.ceil(remaining / stable);
      state.surfaceAreaM2 = this.cellAreaM2;
      solver.inflowM3s.fill(0);
      for (const f of this.hydrographs) solver.inflowM3s[f.node] += seriesValueAt(f.series, t + sub / 2);
      for (let k = 0; k < this.nodes.length; k++) {
        const i = this.nodes[k]!;
        state.groundM = this.groundM[k]!;
        state.surfaceDepthM = depth[this.reservoirOf[k]!]!;
        state.nodeHeadM = solver.headM[i]!;
        state.nodeAreaM2 = surfaceAreaAtDepth(net, i, solver.depthM[i]!);
        state.nodeVolumeAboveGroundM3 = Math.max(0, solver.volumeM3[i]! - this.volumeAtGroundM3[k]!);
        // Each node of a shared cell sees what the ones before it left this sub-step.
        const rate = exchangeRateM3s(state, this.inlets[k]!, this.coefficients, sub);
        this.exchange[k] = rate;
        solver.inflowM3s[i] += rate;
        depth[this.reservoirOf[k]!] -= (rate > 0 ? rate : 0) * (sub / this.cellAreaM2);
      }
      solver.step(sub, t, this.team?.links);
      const tEnd = sub === remaining ? end : t + sub;
      for (let k = 0; k < this.nodes.length; k++) {
        const i = this.nodes[k]!;
        const rate = this.exchange[k]!;
        if (rate > 0) {
          recorder.inlet[i] += rate * sub;
        } else if (rate < 0) {
          // A spill is a withdrawal, which the solver may have cut to the node's water; a
          // hydrograph into the same node is added to what it takes in full.
          const taken = solver.inflowTakenM3s[i]! - (solver.inflowM3s[i]! - rate);
          depth[this.reservoirOf[k]!] -= taken * (sub / this.cellAreaM2);
          recorder.addFlood(i, -taken * sub, sub);
        }
      }
      recorder.afterStep(sub, tEnd);
      t = tEnd;
      if (t >= this.nextReportS - 1e-9) {
        recorder.report(t);
        this.nextReportS += this.reportStepS;
      }
    }
    let deepest = 0;
    for (let r = 0; r < cells.length; r++) {
      const d = depth[r]! > 0 ? depth[r]! : 0;
      h[cells[r]!] = d;
      if (d > deepest) deepest = d;
    }
    this.team?.release();
    this.phaseS += (performance.now() - phaseStart) / 1000;
    return deepest;
  }

  /** The pipe run so far (series, summaries, the pipes' own balance); its wall seconds are the serial phase's. */
  result(simulatedSeconds: number): PipeRun {
    const run = this.recorder.result(simulatedSeconds, this.phaseS);
    if (this.team) run.linkUpdatesPerThread = this.team.updatesPerThread();
    return run;
  }
}
