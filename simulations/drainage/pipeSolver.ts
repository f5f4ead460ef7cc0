/**
 * The 1D pipe solver: dynamic-wave routing through a compiled network in the explicit form SWMM 5
 * uses for each link (Rossman 2017, SWMM Reference Manual vol. II, §3.4; `dwflow.c`), the same
 * semi-implicit local-inertial update as the 2D surface (Bates et al. 2010, eq. 11):
 *
 *     Q ← (Q − g·Ā·Δt·(H₂ − H₁)/L + σ·(2·V·(Ā − Ā_old) + Δt·V²·(A₂ − A₁)/L)) / (1 + g·Δt·n²·|V|/R̄^(4/3))
 *
 * with V = Q/Ā, Ā and R̄ the area and hydraulic radius at the mid depth, upstream-weighted by the
 * Froude number as SWMM does (Fr ≤ 0.5: mid values; Fr ≥ 1: upstream end), and σ SWMM's
 * inertial damping (1 up to Fr 0.5, 0 from Fr 1; 0 in full closed pipes). Then, per node,
 * continuity over the node's storage (shaft + half of each link: compiledNetwork.ts):
 *
 *     V_node ← V_node + Δt·(Σ Q_in − Σ Q_out + Q_external)
 *
 * With one trial per step (the coupled runs) the order is that of the surface model: all link
 * flows from the heads at the start of the step, then all volumes, then the heads from the storage
 * curves. With more (`trials`, routePipes: SWMM's 8) the step is iterated as SWMM's dynwave.c
 * does: link flows from the latest heads, under-relaxed against the last trial, volumes from the
 * mean of the old and new flows, until the depths settle; volume stays the state, so continuity
 * is still exact.
 *
 * SWMM's rules kept (dwflow.c): a free-falling end (a drop into a lower node, a free outfall)
 * takes the smaller of critical and normal depth; a link whose upstream depth is below the crown
 * and whose water surface falls less steeply than its bed (y₁ < y₂), or whose upstream Froude
 * number is ≥ 1, carries at most the normal flow β·A₁·R₁^(2/3); dry links carry nothing; an
 * outfall's flap gate stops flow back in.
 * With EXTRAN storage a link reads at most its full depth at either end (the heads keep the
 * surcharge), and the half of a link at a dropped end goes to the junction whose water stands
 * deeper in the link (compiledNetwork.ts DropHalf; handOverDropHalves).
 * Surcharged closed pipes stay stable through the Preissmann slot (crossSection.ts). Water above
 * a junction's rim leaves it as flooding (SWMM without ponding) or, for the junctions in
 * `holdAboveRim`, stays in the node above the rim (a coupled run exchanges it with the surface
 * cell).
 *
 * Positivity: a junction never sends out more than it holds (its outflows over the step are
 * scaled down to its volume), so volumes stay ≥ 0 and continuity is exact to rounding.
 */
import { areaM2, criticalDepthM, G, hydraulicRadiusM, isClosed, normalDepthM, slotGeometryAt, type DepthGeometry } from './crossSection';
import { depthAtVolume, surfaceAreaAtDepth, volumeAtDepth, type CompiledNetwork } from './compiledNetwork';
import { outfallStageM } from './outfallStage';

/** SWMM's FUDGE (0.0001 ft) in metres: a depth below this is dry. */
const DRY_DEPTH_M = 3e-5;
/** SWMM's MAXVELOCITY (50 ft/s) in m/s. */
const MAX_VELOCITY_MS = 15.24;

export interface PipeSolverOptions {
  /**
   * Junctions (1) that hold water above their rim (coupled to a surface cell, which takes it
   * back through the inlet); the others spill it as flooding. Default: all spill.
   */
  holdAboveRim?: Uint8Array;
  /** Courant number for `stableStepS` (default 0.75, SWMM's variable-step factor). */
  courant?: number;
  /**
   * SWMM's INERTIAL_DAMPING: 'dampen' the inertial terms with the Froude number (PARTIAL, SWMM's
   * default and ours), 'ignore' them (FULL: the local inertial form) or 'keep' them at any Froude
   * number (NONE). 'keep' needs `trials` > 1: in one explicit pass it grows oscillations in
   * supercritical filling fronts (EPA's routing test1: depths off by 0.9 m), which SWMM's
   * iterations damp.
   */
  inertialTerms?: 'dampen' | 'ignore' | 'keep';
  /**
   * Trials per step (SWMM's MAX_TRIALS, default 1: one explicit pass). Above 1 each step is
   * iterated as SWMM does (dynwave.c): link flows from the latest heads, under-relaxed with
   * ω = 0.5 against the last trial, then node volumes from the mean of the step's old and new
   * flows, until no depth moves more than SWMM's head tolerance (0.005 ft).
   */
  trials?: number;
  /**
   * Keep the arrays the link update reads and writes (`pipeSharedBytes`) in this buffer, so that
   * solvers on several threads over one buffer can split a step's links (linkTeam.ts). Only the
   * `owner` sets the initial state; the others attach to it.
   */
  shared?: { buffer: SharedArrayBuffer; owner: boolean };
}

/** Per link: flow, mid area, step limit and the five depth caches (float64), and the full flag. */
const SHARED_LINK_BYTES = 8 * 8 + 1;
/** Per node: depth, head (float64) and storage mask (int32). */
const SHARED_NODE_BYTES = 8 + 8 + 4;

/** Bytes of the shared part of a solver's state (`PipeSolverOptions.shared`). */
export function pipeSharedBytes(nodeCount: number, linkCount: number): number {
  return SHARED_LINK_BYTES * linkCount + SHARED_NODE_BYTES * nodeCount;
}

/** A typed-array class viewing part of a buffer. */
interface ViewClass<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Typed arrays carved one after another from a buffer (float64 first, so every view is aligned). */
class ArrayCarver {
  private offset = 0;
  constructor(private readonly buffer: ArrayBufferLike) {}
  take<T>(View: ViewClass<T>, length: number): T {
    const view = new View(this.buffer, this.offset, length);
    this.offset += View.BYTES_PER_ELEMENT * length;
    return view;
  }
}

/** Drop halves change hands only below this share of the link's full depth (SWMM's EXTRAN_CROWN_CUTOFF). */
const HAND_OVER_DEPTH = 0.96;
/** SWMM's OMEGA (under-relaxation) and DEFAULT_HEADTOL (0.005 ft, in m). */
const OMEGA = 0.5;
const HEAD_TOLERANCE_M = 0.001524;

/** Running totals since the start, m³. */
export interface PipeTotals {
  externalInflowM3: number;
  /** Net volume out through outfalls (negative where a tide pushed more in than flowed out). */
  outfallM3: number;
  /** Spilled above the rims ('spill' mode). */
  floodingM3: number;
}

export class PipeSolver {
  readonly volumeM3: Float64Array;
  readonly depthM: Float64Array;
  readonly headM: Float64Array;
  readonly flowM3s: Float64Array;
  /** External inflow per node over the next step, m³/s (the caller sets it; negative withdraws). */
  readonly inflowM3s: Float64Array;
  /** Per node, what the last step spilled (m³) and, for outfalls, its outflow (m³/s). */
  readonly spilledM3: Float64Array;
  readonly outfallFlowM3s: Float64Array;
  /** External inflow each node actually took over the last step (a withdrawal can be cut to the node's water), m³/s. */
  readonly inflowTakenM3s: Float64Array;
  /** Per link, 1 while both ends are at or above the crown (surcharged) after the last step. */
  readonly full: Uint8Array;
  readonly totals: PipeTotals = { externalInflowM3: 0, outfallM3: 0, floodingM3: 0 };
  /** Per link, the flow area at the mid depth of the last step, m² (0 when dry). */
  readonly midAreaM2: Float64Array;
  /** Per junction, which drop halves it holds (its storage mask, compiledNetwork.ts DropHalf). */
  readonly storageMask: Int32Array;
  /** Per drop half, 1 while the junction at its other end holds it. */
  private readonly dropHeld: Uint8Array;
  /** Scratch for a link's geometry at its mid depth and its upstream end, reused every call. */
  private readonly atMid: DepthGeometry = { areaM2: 0, hydraulicRadiusM: 0, surfaceWidthM: 0 };
  private readonly atUp: DepthGeometry = { areaM2: 0, hydraulicRadiusM: 0, surfaceWidthM: 0 };
  private readonly stepLimitS: Float64Array;
  private readonly ycnQ: Float64Array;
  private readonly ycn: Float64Array;
  private readonly yNormal: Float64Array;
  private readonly yNormalQ: Float64Array;
  private readonly yCritical: Float64Array;
  private readonly outVolume: Float64Array;
  private readonly courant: number;
  private readonly inertialTerms: 'dampen' | 'ignore' | 'keep';
  private readonly rimVolumeM3: Float64Array;
  private readonly trials: number;
  /** Step-start state for the trials: flows, mid areas, volumes, depths; the flux continuity uses. */
  private readonly qOld: Float64Array;
  private readonly midAreaOld: Float64Array;
  private readonly volumeOld: Float64Array;
  private readonly depthLast: Float64Array;
  private readonly fluxM3s: Float64Array;
  /** Per node, the storage table row its depth was last found in (depthAtVolume's walk starts there). */
  private readonly depthRow: Int32Array;

  constructor(
    readonly net: CompiledNetwork,
    private readonly options: PipeSolverOptions,
    private readonly seaLevelAt?: (tS: number) => number,
  ) {
    const n = net.nodeCount;
    const m = net.linkCount;
    const shared = options.shared;
    if (shared && shared.buffer.byteLength < pipeSharedBytes(n, m)) throw new RangeError(`the shared pipe state needs ${pipeSharedBytes(n, m)} bytes, got ${shared.buffer.byteLength}`);
    const carve = new ArrayCarver(shared ? shared.buffer : new ArrayBuffer(pipeSharedBytes(n, m)));
    this.flowM3s = carve.take(Float64Array, m);
    this.midAreaM2 = carve.take(Float64Array, m);
    this.stepLimitS = carve.take(Float64Array, m);
    this.ycnQ = carve.take(Float64Array, m);
    this.ycn = carve.take(Float64Array, m);
    this.yNormal = carve.take(Float64Array, m);
    this.yNormalQ = carve.take(Float64Array, m);
    this.yCritical = carve.take(Float64Array, m);
    this.depthM = carve.take(Float64Array, n);
    this.headM = carve.take(Float64Array, n);
    this.storageMask = carve.take(Int32Array, n);
    this.full = carve.take(Uint8Array, m);
    this.volumeM3 = new Float64Array(n);
    this.inflowM3s = new Float64Array(n);
    this.inflowTakenM3s = new Float64Array(n);
    this.spilledM3 = new Float64Array(n);
    this.outfallFlowM3s = new Float64Array(n);
    this.outVolume = new Float64Array(n);
    this.rimVolumeM3 = new Float64Array(n);
    this.courant = options.courant ?? 0.75;
    this.inertialTerms = options.inertialTerms ?? 'dampen';
    this.trials = Math.max(1, Math.floor(options.trials ?? 1));
    this.qOld = new Float64Array(m);
    this.midAreaOld = new Float64Array(m);
    this.fluxM3s = new Float64Array(m);
    this.volumeOld = new Float64Array(n);
    this.depthLast = new Float64Array(n);
    this.depthRow = new Int32Array(n);
    this.dropHeld = new Uint8Array(net.dropHalves.length);
    for (let i = 0; i < n; i++) {
      if (net.outfall[i]) continue;
      this.rimVolumeM3[i] = volumeAtDepth(net, i, net.maxDepthM[i]!);
      this.volumeM3[i] = volumeAtDepth(net, i, net.initialDepthM[i]!);
    }
    // A solver attached to another's shared state leaves it as the owner set it.
    if (shared && !shared.owner) return;
    this.flowM3s.set(net.initialFlowM3s);
    this.stepLimitS.fill(Number.POSITIVE_INFINITY);
    this.ycnQ.fill(-1);
    this.yNormalQ.fill(-1);
    for (let i = 0; i < n; i++) {
      if (net.outfall[i]) continue;
      this.depthM[i] = net.initialDepthM[i]!;
      this.headM[i] = net.invertM[i]! + this.depthM[i]!;
    }
    this.setOutfallHeads(0);
    this.handOverDropHalves();
  }

  /** Water held in the junctions (and the link halves they hold), m³. */
  storageM3(): number {
    let v = 0;
    for (let i = 0; i < this.volumeM3.length; i++) v += this.volumeM3[i]!;
    return v;
  }

  /** Volume a junction holds at its rim, m³. */
  rimVolume(node: number): number {
    return this.rimVolumeM3[node]!;
  }

  /** Largest stable step from the last step's links (Courant number × the tightest link), s. */
  stableStepS(): number {
    let m = Number.POSITIVE_INFINITY;
    for (let j = 0; j < this.stepLimitS.length; j++) if (this.stepLimitS[j]! < m) m = this.stepLimitS[j]!;
    return this.courant * m;
  }

  /**
   * Smaller of critical and normal depth for the link's present flow (cached while the flow holds
   * within 0.1 %). The normal depth is solved only where it is the smaller (a steep link): below
   * the conveyance peak y_n < y_c exactly when the conveyance at y_c exceeds the flow. Each solve
   * starts from the link's last answer.
   */
  private criticalOrNormal(j: number, q: number): number {
    const aq = Math.abs(q);
    if (Math.abs(aq - this.ycnQ[j]!) > 1e-3 * aq + 1e-9) {
      const { net } = this;
      const section = net.sections[j]!;
      const yc = criticalDepthM(section, aq, this.yCritical[j]!);
      this.yCritical[j] = yc;
      const conveyanceAtYc = net.beta[j]! * areaM2(section, yc) * Math.pow(hydraulicRadiusM(section, yc), 2 / 3);
      const peak = section.shape === 'circular' ? 0.938 * net.fullDepthM[j]! : isClosed(section) ? 0.999 * net.fullDepthM[j]! : Number.POSITIVE_INFINITY;
      this.ycn[j] = yc < peak && conveyanceAtYc <= aq ? yc : Math.min(yc, this.normalDepth(j, aq));
      this.ycnQ[j] = aq;
    }
    return this.ycn[j]!;
  }

  /** Normal depth for the link's flow (cached as criticalOrNormal), from its last answer. */
  private normalDepth(j: number, q: number): number {
    const aq = Math.abs(q);
    if (Math.abs(aq - this.yNormalQ[j]!) > 1e-3 * aq + 1e-9) {
      this.yNormal[j] = normalDepthM(this.net.sections[j]!, this.net.manningN[j]!, this.net.slope[j]!, aq, this.yNormal[j]!);
      this.yNormalQ[j] = aq;
    }
    return this.yNormal[j]!;
  }

  /** Outfall heads for a step starting at t: the boundary stage, or the free-fall depth of its link. */
  private setOutfallHeads(tMidS: number): void {
    const { net } = this;
    for (let i = 0; i < net.nodeCount; i++) {
      if (!net.outfall[i]) continue;
      const j = net.outfallLink[i]!;
      const inv = net.invertM[i]!;
      if (j < 0) {
        this.headM[i] = inv;
        continue;
      }
      const atFrom = net.from[j] === i;
      const zEnd = atFrom ? net.z1[j]! : net.z2[j]!;
      const ycn = this.criticalOrNormal(j, this.flowM3s[j]!);
      const stage = outfallStageM(net.boundary[i]!, net.tidal[i] === 1 ? this.seaLevelAt : undefined, tMidS);
      const offset = zEnd - inv;
      let depth: number;
      if (stage === 'normal') depth = offset > 0 ? 0 : this.normalDepth(j, this.flowM3s[j]!);
      else if (stage === 'free') depth = offset > 0 ? 0 : ycn;
      else if (zEnd + ycn < stage) depth = stage - inv;
      else if (offset > 0) depth = stage < zEnd ? Math.max(0, stage - inv) : offset + ycn;
      else depth = ycn;
      this.depthM[i] = depth;
      this.headM[i] = inv + depth;
    }
  }

  /**
   * Advances the network by dt seconds from t. With one trial, `links` runs the links' momentum
   * update (`linkFlows`): by default all of them here; a link team splits them over threads.
   */
  step(dtS: number, tS: number, links: (dtS: number) => void = (dt) => this.linkFlows(dt, 0, this.net.linkCount)): void {
    this.setOutfallHeads(tS + dtS / 2);
    if (this.trials > 1) {
      this.iterate(dtS, tS);
    } else {
      links(dtS);
      this.fluxM3s.set(this.flowM3s);
      this.limitOutflows(dtS);
      this.flowM3s.set(this.fluxM3s);
      this.continuity(dtS);
    }
    this.handOverDropHalves();
  }

  /**
   * Gives each drop half (compiledNetwork.ts DropHalf) to the junction whose water stands higher
   * in the link — the other end's while its depth in the link exceeds the dropped end's — moving
   * the half's volume, as the giver's storage counts it at its depth, to the taker.
   */
  private handOverDropHalves(): void {
    const { net, volumeM3, depthM, storageMask } = this;
    for (let k = 0; k < net.dropHalves.length; k++) {
      const h = net.dropHalves[k]!;
      const yOwn = Math.max(depthM[h.own]! - h.ownOffsetM, 0);
      const yOther = depthM[h.other]! - h.otherOffsetM;
      const held = yOther > yOwn ? 1 : 0;
      // Below the crown cutoff both junctions count the half by the same widths; above it each
      // counts the cutoff width up to its own crown, so past it the half stays where it is.
      if (held === this.dropHeld[k] || Math.max(yOwn, yOther) >= HAND_OVER_DEPTH * net.fullDepthM[h.link]!) continue;
      this.dropHeld[k] = held;
      const giver = held ? h.own : h.other;
      const taker = held ? h.other : h.own;
      const giverMask = storageMask[giver]! ^ (1 << net.nodeDropHalves[giver]!.indexOf(k));
      const takerMask = storageMask[taker]! ^ (1 << net.nodeDropHalves[taker]!.indexOf(k));
      const y = depthM[giver]!;
      const moved = Math.min(volumeAtDepth(net, giver, y, storageMask[giver]!) - volumeAtDepth(net, giver, y, giverMask), volumeM3[giver]!);
      storageMask[giver] = giverMask;
      storageMask[taker] = takerMask;
      volumeM3[giver] -= moved;
      volumeM3[taker] += moved;
      for (const i of [giver, taker]) {
        this.rimVolumeM3[i] = volumeAtDepth(net, i, net.maxDepthM[i]!, storageMask[i]!);
        depthM[i] = depthAtVolume(net, i, volumeM3[i]!, storageMask[i]!);
        this.headM[i] = net.invertM[i]! + depthM[i]!;
      }
    }
  }

  /**
   * One trial's new flows of links j0 … j1 − 1 from the heads at the start of the step. Each link
   * writes only its own entries, so disjoint ranges may run on several threads at once.
   */
  linkFlows(dtS: number, j0: number, j1: number): void {
    const { flowM3s, midAreaM2 } = this;
    for (let j = j0; j < j1; j++) flowM3s[j] = this.linkFlow(j, dtS, flowM3s[j]!, flowM3s[j]!, midAreaM2[j]!, false);
  }

  /**
   * SWMM's iterated step (see `trials`). Continuity carries the mean of a link's old and new flow,
   * or its new flow alone where an end junction is above its crown (SWMM's surcharged node update
   * balances the new flows); one flux per link either way, so continuity stays exact.
   */
  private iterate(dt: number, tS: number): void {
    const { net, flowM3s, fluxM3s, volumeM3, totals } = this;
    this.qOld.set(flowM3s);
    this.midAreaOld.set(this.midAreaM2);
    this.volumeOld.set(volumeM3);
    const startTotals = { ...totals };
    for (let trial = 0; trial < this.trials; trial++) {
      if (trial > 0) this.setOutfallHeads(tS + dt / 2);
      for (let j = 0; j < net.linkCount; j++) {
        flowM3s[j] = this.linkFlow(j, dt, this.qOld[j]!, flowM3s[j]!, this.midAreaOld[j]!, trial > 0);
        const a = net.from[j]!;
        const b = net.to[j]!;
        const surcharged = (!net.outfall[a] && this.depthM[a]! > net.crownDepthM[a]!) || (!net.outfall[b] && this.depthM[b]! > net.crownDepthM[b]!);
        fluxM3s[j] = surcharged ? flowM3s[j]! : 0.5 * (this.qOld[j]! + flowM3s[j]!);
      }
      this.depthLast.set(this.depthM);
      volumeM3.set(this.volumeOld);
      Object.assign(totals, startTotals);
      this.limitOutflows(dt);
      this.continuity(dt);
      let converged = true;
      for (let i = 0; i < net.nodeCount && converged; i++) {
        if (!net.outfall[i] && Math.abs(this.depthM[i]! - this.depthLast[i]!) > HEAD_TOLERANCE_M) converged = false;
      }
      if (converged) break;
    }
  }

  /** One link's new flow from the heads at the start of the step (the momentum update above). */
  private linkFlow(j: number, dt: number, qOld: number, qLast: number, midAreaOld: number, relax: boolean): number {
    const { net } = this;
    const a = net.from[j]!;
    const b = net.to[j]!;
    const z1 = net.z1[j]!;
    const z2 = net.z2[j]!;
    const section = net.sections[j]!;
    const yFull = net.fullDepthM[j]!;
    const length = net.modLengthM[j]!;
    const q0 = qLast;
    let h1 = Math.max(this.headM[a]!, z1);
    let h2 = Math.max(this.headM[b]!, z2);
    let y1 = h1 - z1;
    let y2 = h2 - z2;
    // EXTRAN surcharge (SWMM's dwflow.c): the link sees at most its full depth at either end; the
    // heads keep the surcharge. With the slot the depths run on up the slot.
    if (net.surcharge === 'extran') {
      if (y1 > yFull) y1 = yFull;
      if (y2 > yFull) y2 = yFull;
    }
    // Drops at the ends, measured above the node's water (an outfall's depth counts as its water).
    const drop1 = z1 - Math.max(net.invertM[a]! + (net.outfall[a] ? this.depthM[a]! : 0), net.invertM[a]!);
    const drop2 = z2 - Math.max(net.invertM[b]! + (net.outfall[b] ? this.depthM[b]! : 0), net.invertM[b]!);
    this.full[j] = y1 >= yFull && y2 >= yFull && isClosed(section) ? 1 : 0;
    let critical = false;
    if (y1 <= DRY_DEPTH_M && y2 <= DRY_DEPTH_M) return this.dry(j);
    if (y2 <= DRY_DEPTH_M && h1 < z2) return this.dry(j);
    if (y1 <= DRY_DEPTH_M && h2 < z1) return this.dry(j);
    if (this.full[j] === 0) {
      // A free-falling end runs at the smaller of critical and normal depth (SWMM DN_/UP_CRITICAL).
      if (q0 >= 0 && drop2 > 0 && y1 > DRY_DEPTH_M) {
        const yc = this.criticalOrNormal(j, q0);
        if (y2 < yc) {
          y2 = Math.max(yc, DRY_DEPTH_M);
          h2 = z2 + y2;
          critical = true;
        }
      } else if (q0 < 0 && drop1 > 0 && y2 > DRY_DEPTH_M) {
        const yc = this.criticalOrNormal(j, q0);
        if (y1 < yc) {
          y1 = Math.max(yc, DRY_DEPTH_M);
          h1 = z1 + y1;
          critical = true;
        }
      }
    }
    y1 = Math.max(y1, DRY_DEPTH_M);
    y2 = Math.max(y2, DRY_DEPTH_M);
    const yMid = 0.5 * (y1 + y2);
    // The flow area of a surcharged closed pipe is its full area: the slot only stores water
    // (compiledNetwork.ts) and sets the pressure wave's speed, as in SWMM's EXTRAN method.
    const mid = slotGeometryAt(section, yMid, this.atMid);
    const aMid = mid.areaM2;
    if (aMid <= 1e-9) return this.dry(j);
    const up = slotGeometryAt(section, y1, this.atUp);
    const a1 = up.areaM2;
    const a2 = areaM2(section, y2);
    const r1 = up.hydraulicRadiusM;
    const rMid = mid.hydraulicRadiusM;
    const tMid = mid.surfaceWidthM;
    const waveMid = tMid > 0 ? Math.sqrt((G * aMid) / tMid) : 0;
    let v = q0 / aMid;
    if (Math.abs(v) > MAX_VELOCITY_MS) v = Math.sign(v) * MAX_VELOCITY_MS;
    const froude = waveMid > 0 ? Math.abs(v) / waveMid : 0;
    let sigma = froude <= 0.5 ? 1 : froude >= 1 ? 0 : 2 * (1 - froude);
    const rho = this.full[j] === 0 && q0 > 0 && h1 >= h2 ? sigma : 1;
    const aW = a1 + (aMid - a1) * rho;
    const rW = r1 + (rMid - r1) * rho;
    if (this.inertialTerms === 'keep') sigma = 1;
    if (this.inertialTerms === 'ignore' || this.full[j] === 1) sigma = 0;
    const nMan = net.manningN[j]!;
    const friction = (dt * G * nMan * nMan * Math.abs(v)) / Math.pow(rW, 4 / 3);
    const gradient = (dt * G * aW * (h2 - h1)) / length;
    const aOld = midAreaOld > 0 ? midAreaOld : aMid;
    const inertia = sigma > 0 ? 2 * v * (aMid - aOld) * sigma + ((dt * v * v * (a2 - a1)) / length) * sigma : 0;
    let q = (qOld - gradient + inertia) / (1 + friction);
    if (q > 0 && !critical && y1 < yFull) {
      const hasOutfall = net.outfall[a] === 1 || net.outfall[b] === 1;
      let check = y1 < y2;
      if (!check && !hasOutfall) {
        const t1 = up.surfaceWidthM;
        check = t1 > 0 && Math.abs(q / a1) / Math.sqrt((G * a1) / t1) >= 1;
      }
      if (check) {
        const qNormal = net.beta[j]! * a1 * Math.pow(r1, 2 / 3);
        if (qNormal < q) q = qNormal;
      }
    }
    if (relax) {
      q = (1 - OMEGA) * qLast + OMEGA * q;
      if (q * qLast < 0) q = 2.8e-5 * Math.sign(q);
    }
    // A flap gate lets nothing back in from its outfall (SWMM's link_setFlapGate).
    if ((q < 0 && net.flapGate[b]) || (q > 0 && net.flapGate[a])) q = 0;
    // No flow out of a dry junction.
    if (q > 0 && !net.outfall[a] && this.depthM[a]! <= DRY_DEPTH_M) q = 0;
    if (q < 0 && !net.outfall[b] && this.depthM[b]! <= DRY_DEPTH_M) q = 0;
    this.midAreaM2[j] = aMid;
    // Step limit: Courant on the link, and the link–node oscillation (ω² = g·Ā/L·Σ 1/A_node).
    const vNew = Math.abs(q) / aMid;
    let limit = length / (vNew + waveMid);
    let inverseAreas = 0;
    if (!net.outfall[a]) inverseAreas += 1 / surfaceAreaAtDepth(net, a, this.depthM[a]!, this.storageMask[a]!);
    if (!net.outfall[b]) inverseAreas += 1 / surfaceAreaAtDepth(net, b, this.depthM[b]!, this.storageMask[b]!);
    const omega = Math.sqrt(((G * aW) / length) * inverseAreas);
    if (omega > 0 && 1.5 / omega < limit) limit = 1.5 / omega;
    this.stepLimitS[j] = limit;
    return q;
  }

  private dry(j: number): number {
    this.midAreaM2[j] = 0;
    this.stepLimitS[j] = Number.POSITIVE_INFINITY;
    return 0;
  }

  /** Scales each junction's outflows (links and withdrawals) down to the water it has. */
  private limitOutflows(dt: number): void {
    const { net, fluxM3s: flowM3s, outVolume, inflowM3s } = this;
    outVolume.fill(0);
    for (let j = 0; j < net.linkCount; j++) {
      const q = flowM3s[j]!;
      if (q > 0) outVolume[net.from[j]!] += q * dt;
      else if (q < 0) outVolume[net.to[j]!] -= q * dt;
    }
    for (let i = 0; i < net.nodeCount; i++) {
      const ext = inflowM3s[i]!;
      if (ext < 0) outVolume[i] -= ext * dt;
    }
    for (let i = 0; i < net.nodeCount; i++) {
      if (net.outfall[i]) {
        outVolume[i] = 1;
        continue;
      }
      const ext = inflowM3s[i]!;
      const available = this.volumeM3[i]! + (ext > 0 ? ext * dt : 0);
      const out = outVolume[i]!;
      // outVolume becomes the factor the node's outflows are scaled by.
      outVolume[i] = out > available ? available / out : 1;
    }
    for (let j = 0; j < net.linkCount; j++) {
      const q = flowM3s[j]!;
      if (q > 0) flowM3s[j] = q * outVolume[net.from[j]!]!;
      else if (q < 0) flowM3s[j] = q * outVolume[net.to[j]!]!;
    }
    for (let i = 0; i < net.nodeCount; i++) {
      const ext = inflowM3s[i]!;
      this.inflowTakenM3s[i] = ext < 0 ? ext * outVolume[i]! : ext;
    }
  }

  /** Node volumes, outfall flows, spills and the new heads. */
  private continuity(dt: number): void {
    const { net, fluxM3s: flowM3s, volumeM3, totals } = this;
    this.outfallFlowM3s.fill(0);
    for (let j = 0; j < net.linkCount; j++) {
      const dv = flowM3s[j]! * dt;
      const a = net.from[j]!;
      const b = net.to[j]!;
      if (net.outfall[a]) this.outfallFlowM3s[a] -= flowM3s[j]!;
      else volumeM3[a] -= dv;
      if (net.outfall[b]) this.outfallFlowM3s[b] += flowM3s[j]!;
      else volumeM3[b] += dv;
    }
    for (let i = 0; i < net.nodeCount; i++) {
      const ext = this.inflowTakenM3s[i]!;
      totals.externalInflowM3 += ext * dt;
      this.spilledM3[i] = 0;
      if (net.outfall[i]) {
        this.outfallFlowM3s[i] += ext;
        totals.outfallM3 += this.outfallFlowM3s[i]! * dt;
        continue;
      }
      let v = volumeM3[i]! + ext * dt;
      // Rounding of the scaled outflows can leave −1e-17; nothing else can go below zero.
      if (v < 0) v = 0;
      if (v > this.rimVolumeM3[i]! && this.options.holdAboveRim?.[i] !== 1) {
        this.spilledM3[i] = v - this.rimVolumeM3[i]!;
        totals.floodingM3 += this.spilledM3[i]!;
        v = this.rimVolumeM3[i]!;
      }
      volumeM3[i] = v;
      const y = depthAtVolume(net, i, v, this.storageMask[i]!, this.depthRow);
      this.depthM[i] = y;
      this.headM[i] = net.invertM[i]! + y;
    }
  }
}
