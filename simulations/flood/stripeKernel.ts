/**
 * One time step over a band of rows [r0, r1), fused row by row: each row is read from memory
 * once per step, its x-faces and then its south faces and depths computed while it is in cache.
 *
 * Order within a step (all reads of depth see the step's starting depths):
 *   1. `northFaces` and `bandEdgeFaces`: the y-faces on the band's north side (the north edge
 *      for the first band) and, inside the grid, on its south side, from its own edge rows and
 *      its neighbours' as they were at the start of the step (`hHalo`). The face between two
 *      bands is computed by both, from the same numbers in the same order: the same value.
 *   2. `sweepRows`: row by row, the row's x-faces west to east (`rowXFaces`), then each cell's
 *      south face and its continuity update (`rowYFacesAndDepths`; Bates et al. 2010, eq. 12:
 *      h += Δt·Σq/Δx), rain, sources and drainage, and the running outputs. A cell's depth is
 *      written only after both faces that read it; the south faces of the band's last row were
 *      done in step 1, so bands never read each other's new depths.
 *   3. `saveHalo`: the band's first and last rows of new depths into the other parity's halo.
 *   — barrier (threads) —
 * A band never waits for another within a step, so a step costs one barrier. A single-thread
 * run makes the same calls for every band in turn.
 *
 * Positivity: each outflow is capped at what the cell's faces computed before it left of its
 * water (h·Δx/Δt in m²/s), so no depth goes below zero and the balance closes to rounding.
 * Order per cell: the band-edge faces of step 1 first, then north, west, east, south in the
 * sweep. Bands are at least two rows high, so no cell has both y-faces in step 1.
 */
import { EDGE_CLOSED, edgeInflow, edgeVelocity, faceFlux, G, type FaceAdvection } from './faceFlux';
import { haloOffset, STAT, type FloodArrays } from './floodState';

/** Debris factor of the hazard rating (Defra/EA FD2320, urban): 0 up to 0.25 m deep, 1 beyond. */
const DEBRIS_DEPTH_M = 0.25;

/** What one step needs besides the state; identical in every band. */
export interface StepCoefficients {
  dt: number;
  dx: number;
  /** Rain and drainage depths over this step, m. */
  rainDepthM: number;
  drainDepthM: number;
  /** Time at the end of the step, s (arrival times). */
  tEnd: number;
  wetDepthM: number;
  durationDepthM: number;
  /** Per edge (west, east, north, south): EDGE_* kind and, for level edges, the water level. */
  edgeKind: Uint8Array;
  edgeLevel: Float64Array;
  /** Odd steps read the previous discharges from `qxNext`/`qyNext` and write `qx`/`qy`. */
  odd: boolean;
  /** Whether the momentum update carries the convective term (scheme 'inertial-advection'). */
  advection: boolean;
  /** Largest face speed the convective term uses (m/s), see cflSpeedLimit. */
  speedLimit: number;
  /** Output: the fastest signal speed |u| + √(g·h_f) of the uncapped faces this step so far (m/s, advection only), raised by the kernels; the stepper resets it. */
  signalSpeedMax: number;
}

interface FaceArrays {
  qxO: Float64Array;
  qyO: Float64Array;
  qxN: Float64Array;
  qyN: Float64Array;
  /** The convective term's velocities per axis; undefined for the plain inertial scheme. */
  advX: FaceAdvection | undefined;
  advY: FaceAdvection | undefined;
}

/** The face arrays a step reads (old) and writes (new). */
function faceArrays(s: FloodArrays, k: StepCoefficients): FaceArrays {
  const dtDx = k.dt / k.dx;
  const [uxO, uyO, uxN, uyN] = k.odd ? [s.uxNext, s.uyNext, s.ux, s.uy] : [s.ux, s.uy, s.uxNext, s.uyNext];
  const q = k.odd ? { qxO: s.qxNext, qyO: s.qyNext, qxN: s.qx, qyN: s.qy } : { qxO: s.qx, qyO: s.qy, qxN: s.qxNext, qyN: s.qyNext };
  return {
    ...q,
    advX: k.advection ? { uOld: uxO, uNew: uxN, stride: 1, dtDx, speedLimit: k.speedLimit, signalSpeedMax: 0 } : undefined,
    advY: k.advection ? { uOld: uyO, uNew: uyN, stride: s.ncols, dtDx, speedLimit: k.speedLimit, signalSpeedMax: 0 } : undefined,
  };
}

/**
 * A step's sweep as the stepper calls it, per band: `northFaces` and `southFaces` (step 1), then
 * `sweepRows` (step 2). `referenceKernel` is this file; wasmKernel.ts runs the inertial scheme's
 * sweep as WebAssembly SIMD to the same answers.
 */
export interface SweepKernel {
  /** Once per step before the bands: the step's coefficients and face arrays. */
  beginStep(s: FloodArrays, k: StepCoefficients): void;
  northFaces(s: FloodArrays, r0: number, k: StepCoefficients, stats: Float64Array, statBase: number, band: number): void;
  southFaces(s: FloodArrays, r1: number, k: StepCoefficients, band: number): void;
  sweepRows(s: FloodArrays, r0: number, r1: number, k: StepCoefficients, stats: Float64Array, statBase: number): number;
}

export const WEST = 0;
export const EAST = 1;
export const NORTH = 2;
export const SOUTH = 3;

/**
 * Adds a boundary face's volume over the step to the band's in/out accumulators
 * (`qIn` positive into the domain, m²/s).
 */
function countBoundary(stats: Float64Array, base: number, qIn: number, dtDx: number): void {
  if (qIn > 0) stats[base + STAT.boundaryIn] += qIn * dtDx;
  else if (qIn < 0) stats[base + STAT.boundaryOut] -= qIn * dtDx;
}

/** Outflow (m²/s) a face carries out of the cell on its B side (q > 0 flows A → B). */
const outOfB = (q: number): number => (q < 0 ? -q : 0);
/** Outflow a face carries out of the cell on its A side. */
const outOfA = (q: number): number => (q > 0 ? q : 0);

/**
 * Step 1: y-faces north of band row r0, the first face of both cells they touch. Inside the grid
 * from rows r0 − 1 and r0; on the north edge (r0 = 0) by the edge rule.
 */
export function northFaces(s: FloodArrays, r0: number, k: StepCoefficients, stats: Float64Array, statBase: number, band: number): void {
  const { ncols: nc, h, z, n2, open } = s;
  if (r0 > 0) {
    bandEdgeFaces(s, r0, k, s.hHalo, haloOffset(nc, k.odd ? 1 : 0, band - 1, true), h, r0 * nc);
    return;
  }
  const { qyO, qyN, advY } = faceArrays(s, k);
  const gDt = G * k.dt;
  const dx = k.dx;
  const outCap = dx / k.dt;
  const kind = k.edgeKind[NORTH]!;
  if (kind === EDGE_CLOSED) {
    qyN.fill(0, 0, nc);
    return;
  }
  const dtDx = k.dt * dx;
  for (let c = 0; c < nc; c++) {
    // Positive y flow is southwards: into the domain on the north edge.
    const qIn = open[c] ? edgeInflow(kind, k.edgeLevel[NORTH]!, qyO[c]!, h[c]!, z[c]!, z[c + nc]!, n2[c]!, gDt, dx, h[c]! * outCap) : 0;
    qyN[c] = qIn;
    if (advY) advY.uNew[c] = edgeVelocity(kind, k.edgeLevel[NORTH]!, qIn, h[c]!, z[c]!, k.speedLimit);
    countBoundary(stats, statBase, qIn, dtDx);
  }
}

/**
 * The y-faces of face row r (between cell rows r − 1 and r) inside the grid, the first face of
 * both cells they touch; the depths of row r − 1 from `hA` at `aOff`, of row r from `hB` at
 * `bOff` (the grid's `h` for the band's own row, `hHalo` for the neighbour's).
 */
function bandEdgeFaces(s: FloodArrays, r: number, k: StepCoefficients, hA: Float64Array, aOff: number, hB: Float64Array, bOff: number): void {
  const { ncols: nc, z, n2, open } = s;
  const { qyO, qyN, advY } = faceArrays(s, k);
  const gDt = G * k.dt;
  const gDtDx = gDt / k.dx;
  const outCap = k.dx / k.dt;
  const a0 = (r - 1) * nc;
  const b0 = r * nc;
  for (let c = 0; c < nc; c++) {
    const a = a0 + c;
    const b = b0 + c;
    const ha = hA[aOff + c]!;
    const hb = hB[bOff + c]!;
    qyN[b] = open[a]! & open[b]! ? faceFlux(qyO[b - nc]!, qyO[b]!, qyO[b + nc]!, ha, z[a]!, hb, z[b]!, 0.5 * (n2[a]! + n2[b]!), gDt, gDtDx, ha * outCap, hb * outCap, advY, b) : 0;
  }
  if (advY && advY.signalSpeedMax > k.signalSpeedMax) k.signalSpeedMax = advY.signalSpeedMax;
}

/** Step 1, south side: the y-faces under band `band`'s last row r1 − 1, unless that is the grid's south edge. */
export function southFaces(s: FloodArrays, r1: number, k: StepCoefficients, band: number): void {
  if (r1 >= s.nrows) return;
  bandEdgeFaces(s, r1, k, s.h, (r1 - 1) * s.ncols, s.hHalo, haloOffset(s.ncols, k.odd ? 1 : 0, band + 1, false));
}

/** Step 3 (and before the first step, with `next` false): band `band`'s edge rows into the halo of the next step (or this one). */
export function saveHalo(s: FloodArrays, r0: number, r1: number, k: StepCoefficients, band: number, next: boolean): void {
  const { ncols: nc, h, hHalo } = s;
  const parity = k.odd === next ? 0 : 1;
  hHalo.set(h.subarray(r0 * nc, (r0 + 1) * nc), haloOffset(nc, parity, band, false));
  hHalo.set(h.subarray((r1 - 1) * nc, r1 * nc), haloOffset(nc, parity, band, true));
}

/**
 * What the two row routines of a sweep share: the state's arrays, the step's face arrays and
 * coefficients, and a row of scratch. Built once per band and step.
 */
export interface Sweep extends FaceArrays {
  s: FloodArrays;
  k: StepCoefficients;
  gDt: number;
  /** g·Δt/Δx, 1/s. */
  gDtDx: number;
  /** Δx/Δt: a depth (m) times this is the discharge (m²/s) that empties the cell in one step. */
  outCap: number;
  dtDx: number;
  /** Δt·Δx: a boundary face's discharge (m²/s) times this is its volume over the step (m³). */
  edgeVolume: number;
  stats: Float64Array;
  statBase: number;
  /** Per column of the row: what may still leave the cell (m²/s) after its north, west and east outflows. */
  capAfterX: Float64Array;
}

/** The sweep context of a band and step; `capAfterX` a row of scratch. */
export function sweepOf(s: FloodArrays, k: StepCoefficients, stats: Float64Array, statBase: number, capAfterX: Float64Array): Sweep {
  return {
    ...faceArrays(s, k),
    s,
    k,
    gDt: G * k.dt,
    gDtDx: (G * k.dt) / k.dx,
    outCap: k.dx / k.dt,
    dtDx: k.dt / k.dx,
    edgeVolume: k.dt * k.dx,
    stats,
    statBase,
    capAfterX,
  };
}

/** Row scratch, one per thread (module instance), grown to the widest grid seen. */
let capScratch = new Float64Array(0);

/**
 * Step 2: faces and continuity for rows [r0, r1); returns the deepest open cell after it.
 * Row by row, in two short passes over the row (its data stays in cache): `rowXFaces`, the
 * x-faces west to east, then `rowYFacesAndDepths`, each cell's south face and its continuity
 * update. The arithmetic and its order per cell are those of one fused pass (each cell's
 * outflows capped north, west, east, south); two routines with one faceFlux call each keep the
 * face routine small enough for V8 to inline at both.
 */
export function sweepRows(s: FloodArrays, r0: number, r1: number, k: StepCoefficients, stats: Float64Array, statBase: number): number {
  if (capScratch.length < s.ncols) capScratch = new Float64Array(s.ncols);
  const w = sweepOf(s, k, stats, statBase, capScratch);
  const totals: RowTotals = { hMax: 0, drained: 0, clipped: 0, rainCells: 0 };
  for (let r = r0; r < r1; r++) {
    // Inside the band the south faces are computed here; on its last row they were computed
    // by the next band's northFaces (known), unless this is the grid's south edge.
    const southKnown = r + 1 === r1 && r !== s.nrows - 1;
    rowXFaces(w, r, southKnown);
    rowYFacesAndDepths(w, r, r1, totals);
  }
  const { advX, advY } = w;
  if (advX && advX.signalSpeedMax > k.signalSpeedMax) k.signalSpeedMax = advX.signalSpeedMax;
  if (advY && advY.signalSpeedMax > k.signalSpeedMax) k.signalSpeedMax = advY.signalSpeedMax;
  const area = k.dx * k.dx;
  stats[statBase + STAT.rain] += k.rainDepthM * totals.rainCells * area;
  stats[statBase + STAT.drainage] += totals.drained * area;
  stats[statBase + STAT.clipped] += totals.clipped * area;
  return totals.hMax;
}

interface RowTotals {
  hMax: number;
  /** Drainage and clipped water, as depths summed over cells (m). */
  drained: number;
  clipped: number;
  rainCells: number;
}

/**
 * The x-faces of row r, west edge to east edge, and what each cell may still lose after its
 * north, west and east outflows (`capAfterX`). `southKnown`: the row's south faces are already
 * done (the band's last row), so their outflows come first in the caps.
 */
function rowXFaces(w: Sweep, r: number, southKnown: boolean): void {
  const { s, qxO, qxN, qyN, advX, gDt, gDtDx, outCap, capAfterX } = w;
  const { ncols: nc, h, z, n2, open } = s;
  const row = r * nc;
  const xRow = r * (nc + 1);
  const southRow = row + nc;

  let qW = westEdgeFace(w, r, southKnown);
  for (let c = 0; c < nc; c++) {
    const i = row + c;
    const hi = h[i]!;
    // What may still leave cell i this step after its north, west (and known south) outflows.
    let capI = hi * outCap - outOfB(qyN[i]!) - outOfB(qW) - (southKnown ? outOfA(qyN[southRow + c]!) : 0);
    if (capI < 0) capI = 0;
    let qE = 0;
    if (c < nc - 1) {
      const j = i + 1;
      if (open[i]! & open[j]!) {
        const hj = h[j]!;
        let capJ = hj * outCap - outOfB(qyN[j]!) - (southKnown ? outOfA(qyN[southRow + c + 1]!) : 0);
        if (capJ < 0) capJ = 0;
        qE = faceFlux(qxO[xRow + c]!, qxO[xRow + c + 1]!, qxO[xRow + c + 2]!, hi, z[i]!, hj, z[j]!, 0.5 * (n2[i]! + n2[j]!), gDt, gDtDx, capI, capJ, advX, xRow + c + 1);
      } else if (advX) advX.uNew[xRow + c + 1] = 0;
    } else qE = eastEdgeFace(w, r, capI);
    qxN[xRow + c + 1] = qE;
    capI -= outOfA(qE);
    capAfterX[c] = capI < 0 ? 0 : capI;
    qW = qE;
  }
}

/**
 * The west edge face of row r (into `qxN`), by the edge rule; 0 on a closed edge. It is the first
 * x-face of the row's first cell: its cap counts the cell's north (and known south) outflow.
 */
export function westEdgeFace(w: Sweep, r: number, southKnown: boolean): number {
  const { s, k, qxO, qxN, qyN, advX } = w;
  const { ncols: nc, h, z, n2, open } = s;
  const row = r * nc;
  const xRow = r * (nc + 1);
  let qW = 0;
  const westKind = k.edgeKind[WEST]!;
  if (westKind !== EDGE_CLOSED && open[row]) {
    const cap = h[row]! * w.outCap - outOfB(qyN[row]!) - (southKnown ? outOfA(qyN[row + nc]!) : 0);
    qW = edgeInflow(westKind, k.edgeLevel[WEST]!, qxO[xRow]!, h[row]!, z[row]!, z[row + 1]!, n2[row]!, w.gDt, k.dx, cap > 0 ? cap : 0);
    countBoundary(w.stats, w.statBase, qW, w.edgeVolume);
  }
  qxN[xRow] = qW;
  if (advX) advX.uNew[xRow] = edgeVelocity(westKind, k.edgeLevel[WEST]!, qW, h[row]!, z[row]!, k.speedLimit);
  return qW;
}

/** The east edge face of row r (returned; the caller stores it), its last cell allowed to lose `capI` (m²/s). */
export function eastEdgeFace(w: Sweep, r: number, capI: number): number {
  const { s, k, qxO, advX } = w;
  const { ncols: nc, h, z, n2, open } = s;
  const i = r * nc + nc - 1;
  const xRow = r * (nc + 1);
  let qE = 0;
  const eastKind = k.edgeKind[EAST]!;
  if (eastKind !== EDGE_CLOSED && open[i]) {
    const qIn = edgeInflow(eastKind, k.edgeLevel[EAST]!, -qxO[xRow + nc]!, h[i]!, z[i]!, z[i - 1]!, n2[i]!, w.gDt, k.dx, capI);
    countBoundary(w.stats, w.statBase, qIn, w.edgeVolume);
    qE = -qIn;
  }
  if (advX) advX.uNew[xRow + nc] = edgeVelocity(eastKind, k.edgeLevel[EAST]!, qE, h[i]!, z[i]!, k.speedLimit);
  return qE;
}

/** The south edge face under cell (r, c) on the grid's last row (into `qyN`), the cell's last face, allowed `capAfter` (m²/s). */
export function southEdgeFace(w: Sweep, r: number, c: number, capAfter: number): number {
  const { s, k, qyO, qyN, advY } = w;
  const { ncols: nc, h, z, n2, open } = s;
  const i = r * nc + c;
  const face = i + nc;
  let qS = 0;
  const southKind = k.edgeKind[SOUTH]!;
  if (southKind !== EDGE_CLOSED && open[i]) {
    const qIn = edgeInflow(southKind, k.edgeLevel[SOUTH]!, -qyO[face]!, h[i]!, z[i]!, z[i - nc]!, n2[i]!, w.gDt, k.dx, capAfter);
    countBoundary(w.stats, w.statBase, qIn, w.edgeVolume);
    qS = -qIn;
  }
  qyN[face] = qS;
  if (advY) advY.uNew[face] = edgeVelocity(southKind, k.edgeLevel[SOUTH]!, qS, h[i]!, z[i]!, k.speedLimit);
  return qS;
}

/**
 * The south faces of row r (inside the band; on the grid's south edge by the edge rule; on the
 * band's last row already known), then each cell's continuity update (Bates et al. 2010, eq.
 * 12: h += Δt·Σq/Δx), rain, sources, drainage and the running outputs.
 */
function rowYFacesAndDepths(w: Sweep, r: number, r1: number, totals: RowTotals): void {
  const { s, k, qyO, qxN, qyN, advY, gDt, gDtDx, outCap, dtDx, capAfterX } = w;
  const { ncols: nc, nrows: nr, h, z, n2, src, open, maxDepth, maxSpeed, arrival, duration, maxHazard } = s;
  const { dt, rainDepthM, drainDepthM, tEnd, wetDepthM, durationDepthM } = k;
  const row = r * nc;
  const xRow = r * (nc + 1);
  const southRow = row + nc;
  const southEdge = r === nr - 1;
  const southHere = r + 1 < r1;
  // The cells south of this row are on the band's last row: their own south face came first.
  const southOfNextKnown = r + 2 === r1 && r + 2 !== nr;
  let hMax = totals.hMax;
  let drained = 0;
  let clipped = 0;
  let rainCells = 0;
  for (let c = 0; c < nc; c++) {
    const i = row + c;
    const hi = h[i]!;
    const oi = open[i]!;
    const qW = qxN[xRow + c]!;
    const qE = qxN[xRow + c + 1]!;
    const qN = qyN[i]!;
    let qS: number;
    if (southHere) {
      const j = i + nc;
      qS = 0;
      if (oi & open[j]!) {
        const hj = h[j]!;
        // Cell j's first face, unless j is on the band's last row: its south face came first.
        let capJ = hj * outCap - (southOfNextKnown ? outOfA(qyN[j + nc]!) : 0);
        if (capJ < 0) capJ = 0;
        qS = faceFlux(qyO[i]!, qyO[southRow + c]!, qyO[southRow + nc + c]!, hi, z[i]!, hj, z[j]!, 0.5 * (n2[i]! + n2[j]!), gDt, gDtDx, capAfterX[c]!, capJ, advY, southRow + c);
      } else if (advY) advY.uNew[southRow + c] = 0;
      qyN[southRow + c] = qS;
    } else if (southEdge) qS = southEdgeFace(w, r, c, capAfterX[c]!);
    else qS = qyN[southRow + c]!;

    if (oi === 0) continue;
    rainCells++;
    let hn = hi + dtDx * (qW - qE + qN - qS) + rainDepthM + src[i]! * dt;
    if (hn > 0) {
      const d = hn < drainDepthM ? hn : drainDepthM;
      hn -= d;
      drained += d;
    } else if (hn < 0) {
      // Only rounding can get here (the caps keep outflow within the cell's water).
      clipped -= hn;
      hn = 0;
    }
    h[i] = hn;
    if (hn > hMax) hMax = hn;
    if (hn > wetDepthM) {
      if (hn > maxDepth[i]!) maxDepth[i] = hn;
      if (arrival[i]! < 0) arrival[i] = tEnd;
      if (hn > durationDepthM) duration[i] += dt;
      // Cell velocity from the mean of its opposite faces' discharges.
      const halfOverH = 0.5 / hn;
      const vx = (qW + qE) * halfOverH;
      const vy = (qN + qS) * halfOverH;
      const v = Math.sqrt(vx * vx + vy * vy);
      if (v > maxSpeed[i]!) maxSpeed[i] = v;
      const hazard = hn * (v + 0.5) + (hn > DEBRIS_DEPTH_M ? 1 : 0);
      if (hazard > maxHazard[i]!) maxHazard[i] = hazard;
    }
  }
  totals.hMax = hMax;
  totals.drained += drained;
  totals.clipped += clipped;
  totals.rainCells += rainCells;
}

/** The TypeScript reference: every scheme, readable, and the answer the WebAssembly kernel is held to. */
export const referenceKernel: SweepKernel = { beginStep: () => undefined, northFaces, southFaces, sweepRows };
