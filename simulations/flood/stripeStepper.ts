/**
 * Advances one stripe of rows step by step. Every stripe (one per thread, or one for the whole
 * grid on a single thread) computes the same Δt from the shared per-stripe maximum depths and the same forcing
 * from the same time, so all stripes take identical steps without exchanging anything but one
 * barrier per step (and one before the first, once the halo rows are filled); a single-thread
 * run passes a no-op barrier. What crosses the barrier is double-buffered by step parity (face
 * discharges, halo rows, the Δt maxima), so a thread that has passed it may write the next
 * step's values while another still reads this step's.
 */
import { MM_PER_HOUR_TO_M_PER_S, rainMmPerHour } from './designStorm';
import { EDGE_CLOSED, EDGE_FREE, EDGE_LEVEL } from './faceFlux';
import type { PipeRun } from '../drainage/pipeResults';
import type { CompiledNetwork } from '../drainage/compiledNetwork';
import type { LinkTeam, LinkTeamSpec } from '../drainage/linkTeam';
import { linkTeamMember, SurfaceCoupling, type DrainageCouplingSpec, type LinkTeamSeat } from '../drainage/surfaceCoupling';
import { EDGES, type FloodForcing, type FloodSettings } from './floodProblem';
import { MAX_BANDS, STAT, STAT_COUNT, type FloodArrays } from './floodState';
import { referenceKernel, saveHalo, type StepCoefficients, type SweepKernel } from './stripeKernel';
import { cflSpeedLimit, cflTimeStep, stepTowards } from './timeStep';
import { seriesValueAt, type TimeSeries } from './timeSeries';

/** A cell fed by a hydrograph: src[cell] += weight·Q(t), weight in 1/m² (1/Δx² for a point). */
export interface SourceCell {
  cell: number;
  dischargeM3s: TimeSeries;
  weight: number;
}

/**
 * The rows one thread steps: whole bands, [r0, r1) each. The bands are fixed by the grid alone
 * (`rowBands`), never by the thread count, so every thread count takes the same arithmetic in the
 * same order and gives the same depths.
 */
export interface Stripe {
  bands: RowBand[];
  /** This stripe's slot in the stats array. */
  index: number;
  /** Number of stripes (threads) taking part. */
  count: number;
}

/** Rows [r0, r1) of the grid, band number `index` from the north. */
export interface RowBand {
  index: number;
  r0: number;
  r1: number;
}

/** The grid's row bands (MAX_BANDS at most: the most threads a run can use), near-equal in height and at least two rows each (see stripeKernel). */
export function rowBands(nrows: number): RowBand[] {
  const count = Math.max(1, Math.min(MAX_BANDS, Math.floor(nrows / 2)));
  return Array.from({ length: count }, (_, b) => ({ index: b, r0: Math.round((b * nrows) / count), r1: Math.round(((b + 1) * nrows) / count) }));
}

/** Contiguous groups of bands, one per thread (at most one thread per band). */
export function rowStripes(nrows: number, threads: number): Stripe[] {
  const bands = rowBands(nrows);
  const count = Math.max(1, Math.min(threads, bands.length));
  return Array.from({ length: count }, (_, index) => ({
    bands: bands.slice(Math.round((index * bands.length) / count), Math.round(((index + 1) * bands.length) / count)),
    index,
    count,
  }));
}

/** Everything a stepper needs besides the shared arrays; structured-clone safe for workers. */
export interface StepperConfig {
  dx: number;
  forcing: FloodForcing;
  settings: FloodSettings;
  sources: SourceCell[];
  /**
   * With a drainage network, every step is followed by a serial phase and one more barrier: the
   * stripe-0 stepper exchanges water between the surface cells and the pipes and routes the pipes
   * through the step (simulations/drainage/surfaceCoupling.ts) while the other stripes wait. It
   * may change any depth, so it then saves every band's halo rows again, and the deepest depth it
   * left joins the next step's Δt maximum. The same phase at the same point of every step: one
   * thread and N threads stay equal.
   */
  drainage?: DrainageCouplingSpec;
  /**
   * With a drainage network on several threads: the buffer in which all stripes split each pipe
   * sub-step's links (simulations/drainage/linkTeam.ts) instead of waiting through the phase.
   */
  linkTeam?: LinkTeamSpec;
  /** The drainage network as runFlood compiled it when checking the problem (copied to each worker, not compiled again there). */
  drainageNet?: CompiledNetwork;
}

/** Point inflows and flow boundaries as source cells (flow spread evenly over an edge's open cells). */
export function sourceCells(open: Uint8Array, ncols: number, nrows: number, forcing: FloodForcing, dx: number): SourceCell[] {
  const area = dx * dx;
  const cells: SourceCell[] = forcing.inflows.map((f) => ({ cell: f.row * ncols + f.col, dischargeM3s: f.dischargeM3s, weight: 1 / area }));
  for (const edge of EDGES) {
    const spec = forcing.boundaries[edge];
    if (spec?.type !== 'flow') continue;
    const edgeCells: number[] = [];
    const along = edge === 'west' || edge === 'east' ? nrows : ncols;
    for (let k = 0; k < along; k++) {
      const cell =
        edge === 'west' ? k * ncols : edge === 'east' ? k * ncols + ncols - 1 : edge === 'north' ? k : (nrows - 1) * ncols + k;
      if (open[cell]) edgeCells.push(cell);
    }
    for (const cell of edgeCells) cells.push({ cell, dischargeM3s: spec.dischargeM3s, weight: 1 / (edgeCells.length * area) });
  }
  return cells;
}

export class StripeStepper {
  /** Simulated seconds reached. */
  t = 0;
  steps = 0;
  private readonly coefficients: StepCoefficients;
  private readonly ownSources: SourceCell[];
  private readonly edgeLevels: Array<TimeSeries | undefined>;
  /** Per edge, the lowest bed of its open cells (m; +∞ when none or not a level edge). */
  private readonly edgeBedMinM: Float64Array;
  private readonly statBase: number;
  private haloFilled = false;
  /** The drainage network's serial phase, held by stripe 0 of a run with one. */
  private readonly coupling: SurfaceCoupling | undefined;
  /** The other stripes' part of that phase when they share its links (config.linkTeam). */
  private readonly linkMember: LinkTeam | undefined;

  constructor(
    private readonly s: FloodArrays,
    private readonly stripe: Stripe,
    private readonly config: StepperConfig,
    private readonly barrier: () => void,
    /** The sweep: the TypeScript reference, or the WebAssembly kernel (either scheme). */
    private readonly kernel: SweepKernel = referenceKernel,
  ) {
    const { forcing, settings } = config;
    const edgeKind = new Uint8Array(4);
    this.edgeLevels = EDGES.map((edge, k) => {
      const spec = forcing.boundaries[edge];
      edgeKind[k] = spec?.type === 'level' ? EDGE_LEVEL : spec?.type === 'free' ? EDGE_FREE : EDGE_CLOSED;
      return spec?.type === 'level' ? spec.levelM : undefined;
    });
    this.edgeBedMinM = new Float64Array(4).fill(Number.POSITIVE_INFINITY);
    for (let e = 0; e < 4; e++) if (this.edgeLevels[e]) this.edgeBedMinM[e] = lowestOpenBed(s, EDGES[e]!);
    this.coefficients = {
      dt: 0,
      dx: config.dx,
      rainDepthM: 0,
      drainDepthM: 0,
      tEnd: 0,
      wetDepthM: settings.wetDepthM,
      durationDepthM: settings.durationDepthM,
      edgeKind,
      edgeLevel: new Float64Array(4),
      odd: false,
      advection: settings.scheme === 'inertial-advection',
      speedLimit: 0,
      signalSpeedMax: 0,
    };
    const first = stripe.bands[0]!.r0 * s.ncols;
    const end = stripe.bands[stripe.bands.length - 1]!.r1 * s.ncols;
    this.ownSources = config.sources.filter((c) => c.cell >= first && c.cell < end);
    this.statBase = stripe.index * STAT_COUNT;
    const seat: LinkTeamSeat | undefined = config.linkTeam && stripe.count > 1 ? { spec: config.linkTeam, barrier, index: stripe.index, count: stripe.count } : undefined;
    this.coupling = config.drainage && stripe.index === 0 ? new SurfaceCoupling(config.drainage, s.ncols, s.nrows, config.dx, undefined, seat, config.drainageNet) : undefined;
    this.linkMember = config.drainage && seat && stripe.index > 0 ? linkTeamMember(config.drainage, seat, config.drainageNet) : undefined;
  }

  /** Stripe 0 of a run with a drainage network: the pipe results so far and the water in the pipes. */
  drainage(simulatedS: number): { run: PipeRun; storageM3: number } | undefined {
    return this.coupling && { run: this.coupling.result(simulatedS), storageM3: this.coupling.storageM3() };
  }

  /** Largest value of one stat over all stripes after the last step (the barrier made them visible). */
  private globalMax(stat: number): number {
    const { stats } = this.s;
    let m = 0;
    for (let w = 0; w < this.stripe.count; w++) {
      const v = stats[w * STAT_COUNT + stat]!;
      if (v > m) m = v;
    }
    return m;
  }

  /** Steps until `untilS` is reached or `maxSteps` steps are taken; returns the steps taken. */
  advance(untilS: number, maxSteps: number): number {
    if (!this.haloFilled) {
      // The first step's halo rows: the initial depths of every band's edge rows.
      this.coefficients.odd = this.steps % 2 === 1;
      for (const band of this.stripe.bands) saveHalo(this.s, band.r0, band.r1, this.coefficients, band.index, false);
      this.barrier();
      this.haloFilled = true;
    }
    let n = 0;
    while (this.t < untilS && n < maxSteps) {
      this.step(untilS);
      n++;
    }
    return n;
  }

  private step(untilS: number): void {
    const { s, config, coefficients: k } = this;
    const { settings, forcing } = config;
    const odd = this.steps % 2 === 1;
    // A level edge's ghost cells are water too: against a dry or shallow edge row (a sea edge of
    // a DEM that is not prefilled) they pour in as a dam break, which the step must resolve.
    const hMax = Math.max(this.globalMax(odd ? STAT.hMaxOdd : STAT.hMax), this.deepestGhostM(settings.maxDtS));
    const signalSpeedMax = k.advection ? this.globalMax(odd ? STAT.signalSpeedMaxOdd : STAT.signalSpeedMax) : 0;
    const dt = stepTowards(this.t, untilS, cflTimeStep(hMax, signalSpeedMax, config.dx, settings.alpha, settings.maxDtS));
    k.speedLimit = cflSpeedLimit(hMax);
    // Land exactly on untilS: t + (untilS − t) need not round back to untilS.
    const tEnd = dt === untilS - this.t ? untilS : this.t + dt;
    const tMid = this.t + dt / 2;
    k.dt = dt;
    k.tEnd = tEnd;
    k.odd = odd;
    k.rainDepthM = rainMmPerHour(forcing.rain, tMid) * MM_PER_HOUR_TO_M_PER_S * dt;
    k.drainDepthM = forcing.drainageMmPerHour * MM_PER_HOUR_TO_M_PER_S * dt;
    for (let e = 0; e < 4; e++) {
      const series = this.edgeLevels[e];
      if (series) k.edgeLevel[e] = seriesValueAt(series, tMid);
    }
    this.applySources(tMid, dt);

    const { bands } = this.stripe;
    const { kernel } = this;
    k.signalSpeedMax = 0;
    kernel.beginStep(s, k);
    let hMaxNew = 0;
    for (const band of bands) {
      kernel.northFaces(s, band.r0, k, s.stats, this.statBase, band.index);
      kernel.southFaces(s, band.r1, k, band.index);
      hMaxNew = Math.max(hMaxNew, kernel.sweepRows(s, band.r0, band.r1, k, s.stats, this.statBase));
      saveHalo(s, band.r0, band.r1, k, band.index, true);
    }
    // The next step's maxima, in the slots of its parity.
    s.stats[this.statBase + (odd ? STAT.hMax : STAT.hMaxOdd)] = hMaxNew;
    s.stats[this.statBase + (odd ? STAT.signalSpeedMax : STAT.signalSpeedMaxOdd)] = k.signalSpeedMax;
    this.barrier();
    if (config.drainage) {
      if (this.coupling) {
        const deepest = this.coupling.run(s.h, s.z, dt, this.t);
        for (const band of rowBands(s.nrows)) saveHalo(s, band.r0, band.r1, k, band.index, true);
        const slot = this.statBase + (odd ? STAT.hMax : STAT.hMaxOdd);
        if (deepest > s.stats[slot]!) s.stats[slot] = deepest;
      }
      // A link-team member's part of the phase ends at the same barrier as the lead's phase.
      if (this.linkMember) this.linkMember.follow();
      else this.barrier();
    }
    this.t = tEnd;
    this.steps++;
  }

  /** The deepest water a level edge's ghost cells stand over its lowest open cell during the next `spanS`. */
  private deepestGhostM(spanS: number): number {
    let deepest = 0;
    for (let e = 0; e < 4; e++) {
      const series = this.edgeLevels[e];
      if (!series) continue;
      const level = Math.max(seriesValueAt(series, this.t), seriesValueAt(series, this.t + spanS));
      deepest = Math.max(deepest, level - this.edgeBedMinM[e]!);
    }
    return deepest;
  }

  /** Source rates of this stripe's cells for the step, and their volume. */
  private applySources(tMid: number, dt: number): void {
    const { src, stats } = this.s;
    if (this.ownSources.length === 0) return;
    for (const c of this.ownSources) src[c.cell] = 0;
    let volume = 0;
    for (const c of this.ownSources) {
      const rate = c.weight * seriesValueAt(c.dischargeM3s, tMid);
      src[c.cell] += rate;
      volume += rate;
    }
    stats[this.statBase + STAT.sources] += volume * dt * this.config.dx * this.config.dx;
  }
}

/** The lowest bed of an edge's open cells (m), +∞ when the edge has none. */
function lowestOpenBed(s: FloodArrays, edge: (typeof EDGES)[number]): number {
  const { ncols: nc, nrows: nr, z, open } = s;
  const count = edge === 'west' || edge === 'east' ? nr : nc;
  let lowest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const cell = edge === 'west' ? k * nc : edge === 'east' ? k * nc + nc - 1 : edge === 'north' ? k : (nr - 1) * nc + k;
    if (open[cell] && z[cell]! < lowest) lowest = z[cell]!;
  }
  return lowest;
}
