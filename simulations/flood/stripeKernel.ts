/**
 * One time step over a band of rows [r0, r1), fused into a single pass over memory.
 *
 * Order within a step (all reads of depth see the step's starting depths):
 *   1. `northFaces`: the y-faces on the band's north side (the north edge for the first
 *      band), from the neighbour's and own first row;
 *   — barrier (threads) —
 *   2. `sweepRows`: row by row, west to east, each cell's east and south faces, then the
 *      continuity update of the cell (Bates et al. 2010, eq. 12: h += Δt·Σq/Δx), rain, sources
 *      and drainage, and the running outputs. A cell's depth is written only after both faces
 *      that read it; the south faces of the band's last row were done by the next band's
 *      `northFaces`, so bands never read each other's new depths.
 * A single-thread run makes the same calls for every band in turn.
 *
 * Positivity: each outflow is capped at what the cell's faces computed before it left of its
 * water (h·Δx/Δt in m²/s), so no depth goes below zero and the balance closes to rounding.
 * Order per cell: the band-edge faces of step 1 first, then north, west, east, south in the
 * sweep. Bands are at least two rows high, so no cell has both y-faces in step 1.
 */
import { EDGE_CLOSED, edgeInflow, faceFlux, G, velocity, type FaceAdvection } from './faceFlux';
import { STAT, type FloodArrays } from './floodState';

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
export function northFaces(s: FloodArrays, r0: number, k: StepCoefficients, stats: Float64Array, statBase: number): void {
  const { ncols: nc, h, z, n2, open } = s;
  const { qyO, qyN, advY } = faceArrays(s, k);
  const gDt = G * k.dt;
  const dx = k.dx;
  const outCap = dx / k.dt;
  if (r0 > 0) {
    const a0 = (r0 - 1) * nc;
    const b0 = r0 * nc;
    for (let c = 0; c < nc; c++) {
      const a = a0 + c;
      const b = b0 + c;
      const ha = h[a]!;
      const hb = h[b]!;
      qyN[b] = open[a]! & open[b]! ? faceFlux(qyO[b - nc]!, qyO[b]!, qyO[b + nc]!, ha, z[a]!, hb, z[b]!, 0.5 * (n2[a]! + n2[b]!), gDt, dx, ha * outCap, hb * outCap, advY, b) : 0;
    }
    if (advY && advY.signalSpeedMax > k.signalSpeedMax) k.signalSpeedMax = advY.signalSpeedMax;
    return;
  }
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
    if (advY) advY.uNew[c] = velocity(qIn, h[c]!);
    countBoundary(stats, statBase, qIn, dtDx);
  }
}

/** Step 2: faces and continuity for rows [r0, r1); returns the deepest open cell after it. */
export function sweepRows(s: FloodArrays, r0: number, r1: number, k: StepCoefficients, stats: Float64Array, statBase: number): number {
  const { ncols: nc, nrows: nr, h, z, n2, src, open, maxDepth, maxSpeed, arrival, duration, maxHazard } = s;
  const { qxO, qyO, qxN, qyN, advX, advY } = faceArrays(s, k);
  const { dt, dx, rainDepthM, drainDepthM, tEnd, wetDepthM, durationDepthM, edgeKind, edgeLevel } = k;
  const gDt = G * dt;
  const outCap = dx / dt;
  const dtDx = dt / dx;
  const edgeVolume = dt * dx;
  const westKind = edgeKind[WEST]!;
  const eastKind = edgeKind[EAST]!;
  const southKind = edgeKind[SOUTH]!;
  let hMax = 0;
  let drained = 0;
  let clipped = 0;
  let rainCells = 0;
  for (let r = r0; r < r1; r++) {
    const row = r * nc;
    const xRow = r * (nc + 1);
    const southRow = row + nc;
    const southEdge = r === nr - 1;
    // Inside the band the south faces are computed here; on its last row they were computed
    // by the next band's northFaces (known), unless this is the grid's south edge.
    const southHere = r + 1 < r1;
    const southKnown = !southHere && !southEdge;
    const southOfNextKnown = r + 2 === r1 && r + 2 !== nr;

    // West edge face of the row.
    let qW = 0;
    if (westKind !== EDGE_CLOSED && open[row]) {
      const cap = h[row]! * outCap - outOfB(qyN[row]!) - (southKnown ? outOfA(qyN[southRow]!) : 0);
      const qIn = edgeInflow(westKind, edgeLevel[WEST]!, qxO[xRow]!, h[row]!, z[row]!, z[row + 1]!, n2[row]!, gDt, dx, cap > 0 ? cap : 0);
      countBoundary(stats, statBase, qIn, edgeVolume);
      qW = qIn;
    }
    qxN[xRow] = qW;
    if (advX) advX.uNew[xRow] = velocity(qW, h[row]!);

    for (let c = 0; c < nc; c++) {
      const i = row + c;
      const hi = h[i]!;
      const zi = z[i]!;
      const oi = open[i]!;
      const qN = qyN[row + c]!;
      // What may still leave cell i this step after its north, west (and known south) outflows.
      let capI = hi * outCap - outOfB(qN) - outOfB(qW) - (southKnown ? outOfA(qyN[southRow + c]!) : 0);
      if (capI < 0) capI = 0;

      let qE = 0;
      if (c < nc - 1) {
        const j = i + 1;
        if (oi & open[j]!) {
          const hj = h[j]!;
          let capJ = hj * outCap - outOfB(qyN[row + c + 1]!) - (southKnown ? outOfA(qyN[southRow + c + 1]!) : 0);
          if (capJ < 0) capJ = 0;
          qE = faceFlux(qxO[xRow + c]!, qxO[xRow + c + 1]!, qxO[xRow + c + 2]!, hi, zi, hj, z[j]!, 0.5 * (n2[i]! + n2[j]!), gDt, dx, capI, capJ, advX, xRow + c + 1);
        } else if (advX) advX.uNew[xRow + c + 1] = 0;
        qxN[xRow + c + 1] = qE;
      } else {
        if (eastKind !== EDGE_CLOSED && oi) {
          const qIn = edgeInflow(eastKind, edgeLevel[EAST]!, -qxO[xRow + nc]!, hi, zi, z[i - 1]!, n2[i]!, gDt, dx, capI);
          countBoundary(stats, statBase, qIn, edgeVolume);
          qE = -qIn;
        }
        qxN[xRow + nc] = qE;
        if (advX) advX.uNew[xRow + nc] = velocity(qE, hi);
      }
      capI -= outOfA(qE);
      if (capI < 0) capI = 0;

      let qS: number;
      if (southHere) {
        const j = i + nc;
        qS = 0;
        if (oi & open[j]!) {
          const hj = h[j]!;
          // Cell j's first face, unless j is on the band's last row: its south face came first.
          let capJ = hj * outCap - (southOfNextKnown ? outOfA(qyN[j + nc]!) : 0);
          if (capJ < 0) capJ = 0;
          qS = faceFlux(qyO[row + c]!, qyO[southRow + c]!, qyO[southRow + nc + c]!, hi, zi, hj, z[j]!, 0.5 * (n2[i]! + n2[j]!), gDt, dx, capI, capJ, advY, southRow + c);
        } else if (advY) advY.uNew[southRow + c] = 0;
        qyN[southRow + c] = qS;
      } else if (southEdge) {
        qS = 0;
        if (southKind !== EDGE_CLOSED && oi) {
          const qIn = edgeInflow(southKind, edgeLevel[SOUTH]!, -qyO[southRow + c]!, hi, zi, z[i - nc]!, n2[i]!, gDt, dx, capI);
          countBoundary(stats, statBase, qIn, edgeVolume);
          qS = -qIn;
        }
        qyN[southRow + c] = qS;
        if (advY) advY.uNew[southRow + c] = velocity(qS, hi);
      } else qS = qyN[southRow + c]!;

      if (oi === 0) {
        qW = qE;
        continue;
      }
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
      qW = qE;
    }
  }
  if (advX && advX.signalSpeedMax > k.signalSpeedMax) k.signalSpeedMax = advX.signalSpeedMax;
  if (advY && advY.signalSpeedMax > k.signalSpeedMax) k.signalSpeedMax = advY.signalSpeedMax;
  const area = dx * dx;
  stats[statBase + STAT.rain] += rainDepthM * rainCells * area;
  stats[statBase + STAT.drainage] += drained * area;
  stats[statBase + STAT.clipped] += clipped * area;
  return hMax;
}
