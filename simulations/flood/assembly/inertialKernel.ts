/**
 * AssemblyScript (built into inertialKernel.wasm by simulations/flood/wasmBuild.ts, not by tsc):
 * the flood solver's sweep for both schemes of the local inertial model (`inertial` and the
 * default `inertial-advection`) as WebAssembly with 128-bit SIMD, two float64 cells or faces per
 * instruction, over the solver's own state in a WebAssembly.Memory (shared between the worker
 * threads).
 *
 * It does what stripeKernel.ts (the readable TypeScript reference) does, with the same float64
 * operations in the same order, so its depths, discharges, face velocities and CFL signal speed
 * are the reference's bit for bit (tested): faceFlux2 (faceMath.ts) is faceFlux.ts's faceFlux for
 * two faces, convective term included, and cubeRootF32x2 is faceFlux.ts's float32 cube root,
 * operation for operation. The advection scheme's face velocities are float32 as in the
 * reference (rounded the same way on store); its signal speed is a maximum, which does not
 * depend on the order the faces are taken in. The boundary
 * faces stay in TypeScript (wasmKernel.ts calls the reference's edge routines between the row
 * calls below).
 *
 * Positivity is the reference's rule: each outflow capped at what the cell's earlier faces
 * (north, west, east, south) left of its water. Along a row that is a chain (a cell's east cap
 * depends on its west face), which does not vectorise; but a cap binds only at wet/dry fronts
 * and in thin films, so a row's x-faces are computed uncapped in SIMD, checked in SIMD against
 * the caps they would have if none bound, and only a row where one binds is redone cell by cell
 * in the reference's order (with the velocities and signal speeds of its faces, which depend on
 * the caps). The south faces' caps do not chain and are applied in SIMD.
 *
 * Pointers are byte offsets into the memory; f64 arrays are the solver's (floodState.ts layout).
 */

import { binds, capped, faceDepth2, G, faceFlux2, keptVelocity2, load2, loadF32x2, notBelowZero, openPair1, outOfA, outOfB, signalSpeed2, store2, storeF32x2, usableDepth2, wetFace2 } from './faceMath';

/** Debris factor depth of the hazard rating (as stripeKernel.ts). */
const DEBRIS_DEPTH_M: f64 = 0.25;

// The state's arrays (setArrays) and this step's face arrays and coefficients (setStep).
let NC: i32 = 0;
let H: usize = 0;
let Z: usize = 0;
let N2: usize = 0;
let SRC: usize = 0;
let OPEN: usize = 0;
let MAX_DEPTH: usize = 0;
let MAX_SPEED: usize = 0;
let ARRIVAL: usize = 0;
let DURATION: usize = 0;
let MAX_HAZARD: usize = 0;
let QX_OLD: usize = 0;
let QX_NEW: usize = 0;
let QY_OLD: usize = 0;
let QY_NEW: usize = 0;
/** The advection scheme's float32 face velocities (same indexing as the discharges). */
let UX_OLD: usize = 0;
let UX_NEW: usize = 0;
let UY_OLD: usize = 0;
let UY_NEW: usize = 0;
let ADVECTION: bool = false;
let SPEED_LIMIT: f64 = 0;
let DT: f64 = 0;
let G_DT: f64 = 0;
let G_DT_DX: f64 = 0;
let OUT_CAP: f64 = 0;
let DT_DX: f64 = 0;
let RAIN_DEPTH_M: f64 = 0;
let DRAIN_DEPTH_M: f64 = 0;
let T_END: f64 = 0;
let WET_DEPTH_M: f64 = 0;
let DURATION_DEPTH_M: f64 = 0;

/** Totals since the last take (depths summed over cells, m; cell count; fastest signal speed, m/s). */
let drainedM: f64 = 0;
let clippedM: f64 = 0;
let rainCells: i32 = 0;
let signalMax: v128 = f64x2.splat(0);
/** Rows whose x-faces were redone cell by cell because a cap bound (see rowXCapsInOrder). */
let rowsRedone: i32 = 0;

export function setArrays(ncols: i32, h: usize, z: usize, n2: usize, src: usize, open: usize, maxDepth: usize, maxSpeed: usize, arrival: usize, duration: usize, maxHazard: usize): void {
  NC = ncols;
  H = h;
  Z = z;
  N2 = n2;
  SRC = src;
  OPEN = open;
  MAX_DEPTH = maxDepth;
  MAX_SPEED = maxSpeed;
  ARRIVAL = arrival;
  DURATION = duration;
  MAX_HAZARD = maxHazard;
}

export function setStep(qxOld: usize, qxNew: usize, qyOld: usize, qyNew: usize, dtS: f64, dxM: f64, rainDepthM: f64, drainDepthM: f64, tEndS: f64, wetDepthM: f64, durationDepthM: f64): void {
  QX_OLD = qxOld;
  QX_NEW = qxNew;
  QY_OLD = qyOld;
  QY_NEW = qyNew;
  DT = dtS;
  G_DT = G * dtS;
  G_DT_DX = (G * dtS) / dxM;
  OUT_CAP = dxM / dtS;
  DT_DX = dtS / dxM;
  RAIN_DEPTH_M = rainDepthM;
  DRAIN_DEPTH_M = drainDepthM;
  T_END = tEndS;
  WET_DEPTH_M = wetDepthM;
  DURATION_DEPTH_M = durationDepthM;
  ADVECTION = false;
}

/** After setStep, for the advection scheme: this step's old and new face velocities and the speed limit (m/s). */
export function setAdvection(uxOld: usize, uxNew: usize, uyOld: usize, uyNew: usize, speedLimit: f64): void {
  UX_OLD = uxOld;
  UX_NEW = uxNew;
  UY_OLD = uyOld;
  UY_NEW = uyNew;
  SPEED_LIMIT = speedLimit;
  ADVECTION = true;
}

export function takeDrainedM(): f64 {
  const v = drainedM;
  drainedM = 0;
  return v;
}
export function takeClippedM(): f64 {
  const v = clippedM;
  clippedM = 0;
  return v;
}
export function takeRainCells(): i32 {
  const v = rainCells;
  rainCells = 0;
  return v;
}
export function takeRowsRedone(): i32 {
  const v = rowsRedone;
  rowsRedone = 0;
  return v;
}
/** The fastest signal speed |u| + √(g·h_f) of the uncapped faces since the last take (advection scheme; m/s). */
export function takeSignalSpeedMax(): f64 {
  const v = Math.max(f64x2.extract_lane(signalMax, 0), f64x2.extract_lane(signalMax, 1));
  signalMax = f64x2.splat(0);
  return v;
}

/**
 * The advection scheme's bookkeeping of two faces after their caps (faceFlux.ts's
 * storeVelocity): the clamped velocity into the new velocities at `u`, and the signal speed of
 * the faces that are neither capped nor at rest, returned (0 lanes for the others).
 */
@inline function keepVelocity(u: usize, next: v128, hA: v128, zA: v128, hB: v128, zB: v128, open: v128, cappedLanes: v128, one: bool): v128 {
  const hfRaw = faceDepth2(hA, zA, hB, zB);
  const wet = wetFace2(hfRaw, open);
  const hf = usableDepth2(hfRaw, wet);
  storeF32x2(u, keptVelocity2(next, hf, wet, SPEED_LIMIT), one);
  return signalSpeed2(next, hf, wet, cappedLanes);
}

/**
 * The y-faces of face row r (between cell rows r − 1 and r) inside the grid, the first face of
 * both cells they touch (stripeKernel's bandEdgeFaces): depths of row r − 1 at `hA`, of row r at
 * `hB` (the grid's or a halo row).
 */
export function bandEdgeFaces(r: i32, hA: usize, hB: usize): void {
  const nc = <usize>NC;
  const a0 = (<usize>(r - 1) * nc) << 3;
  const b0 = (<usize>r * nc) << 3;
  let c: usize = 0;
  if (ADVECTION) {
    for (; c + 2 <= nc; c += 2) bandEdgeFacePair(c, false, true, nc, a0, b0, hA, hB);
    if (c < nc) bandEdgeFacePair(c, true, true, nc, a0, b0, hA, hB);
  } else {
    for (; c + 2 <= nc; c += 2) bandEdgeFacePair(c, false, false, nc, a0, b0, hA, hB);
    if (c < nc) bandEdgeFacePair(c, true, false, nc, a0, b0, hA, hB);
  }
}

// Each row routine below runs its body over pairs of cells, then, for an odd row, once more with
// `one` on the last cell alone (lane 1 repeats lane 0 and is not stored); the body is inlined
// with `one` and `adv` (the advection scheme) constants, so the pair loop has no per-load branch.

@inline function bandEdgeFacePair(c: usize, one: bool, adv: bool, nc: usize, a0: usize, b0: usize, hA: usize, hB: usize): void {
  const o = c << 3;
  const rowBytes = nc << 3;
  const ha = load2(hA + o, one);
  const hb = load2(hB + o, one);
  const za = load2(Z + a0 + o, one);
  const zb = load2(Z + b0 + o, one);
  const open = openPair1(OPEN + (a0 >> 3) + c, OPEN + (b0 >> 3) + c, one);
  const qf = QY_OLD + b0 + o;
  // Face velocities: float32, at half the byte offsets of the discharges.
  const uf = (b0 + o) >> 1;
  const uBefore = adv ? loadF32x2(UY_OLD + uf - (rowBytes >> 1), one) : f64x2.splat(0);
  const uAfter = adv ? loadF32x2(UY_OLD + uf + (rowBytes >> 1), one) : f64x2.splat(0);
  const next = faceFlux2(load2(qf - rowBytes, one), load2(qf, one), load2(qf + rowBytes, one), ha, za, hb, zb, load2(N2 + a0 + o, one), load2(N2 + b0 + o, one), open, G_DT, G_DT_DX, adv, uBefore, uAfter, DT_DX);
  const outCap = f64x2.splat(OUT_CAP);
  const capA = f64x2.mul(ha, outCap);
  const capB = f64x2.mul(hb, outCap);
  const q = capped(next, capA, capB);
  store2(QY_NEW + b0 + o, q, one);
  if (adv) signalMax = f64x2.max(signalMax, keepVelocity(UY_NEW + uf, q, ha, za, hb, zb, open, binds(next, capA, capB), one));
}

/**
 * Row r's inner x-faces (1 … ncols − 1) and, per cell, what may still leave it after its north,
 * west and east outflows (`capAfterX`, ncols f64): stripeKernel's rowXFaces. The west edge face
 * must be in place; the east edge face (discharge and velocity) is left 0 (closed) and the last
 * cell's cap counts none: the caller does the edge faces. `southKnown`: the row's south faces
 * are already done (the band's last row), so their outflows come first in the caps.
 */
export function rowXFaces(r: i32, southKnown: bool, capAfterX: usize): void {
  const nc = <usize>NC;
  const cell = (<usize>r * nc) << 3;
  const xRow = (<usize>r * (nc + 1)) << 3;
  const h = H + cell;
  const z = Z + cell;
  const n2 = N2 + cell;
  const open = OPEN + (cell >> 3);
  const qo = QX_OLD + xRow;
  const qn = QX_NEW + xRow;
  const uo = UX_OLD + (xRow >> 1);
  const un = UX_NEW + (xRow >> 1);
  const qNorth = QY_NEW + cell;
  const qSouth = qNorth + (nc << 3);
  // Uncapped: face c + 1 between cells c and c + 1, c = 0 … nc − 2.
  let c: usize = 0;
  rowSignal = f64x2.splat(0);
  if (ADVECTION) {
    for (; c + 3 <= nc; c += 2) xFacePair(c, false, true, h, z, n2, open, qo, qn, uo, un);
    if (c + 2 === nc) xFacePair(c, true, true, h, z, n2, open, qo, qn, uo, un);
    store<f32>(un + (nc << 2), 0);
  } else {
    for (; c + 3 <= nc; c += 2) xFacePair(c, false, false, h, z, n2, open, qo, qn, uo, un);
    if (c + 2 === nc) xFacePair(c, true, false, h, z, n2, open, qo, qn, uo, un);
  }
  store<f64>(qn + (nc << 3), 0);
  // The caps if none binds, and whether one does.
  const southMask = southKnown ? i64x2.splat(-1) : i64x2.splat(0);
  let bound = i64x2.splat(0);
  for (c = 0; c + 2 <= nc; c += 2) bound = v128.or(bound, xCapPair(c, false, h, qn, qNorth, qSouth, southMask, capAfterX));
  if (c < nc) bound = v128.or(bound, xCapPair(c, true, h, qn, qNorth, qSouth, southMask, capAfterX));
  if (v128.any_true(bound)) rowXCapsInOrder(nc, h, z, open, qn, un, qNorth, qSouth, southKnown, capAfterX);
  if (ADVECTION) signalMax = f64x2.max(signalMax, rowSignal);
}

/** The signal speeds of the row's x-faces (advection scheme): kept apart until the row's caps are known. */
let rowSignal: v128 = f64x2.splat(0);

@inline function xFacePair(c: usize, one: bool, adv: bool, h: usize, z: usize, n2: usize, open: usize, qo: usize, qn: usize, uo: usize, un: usize): void {
  const o = c << 3;
  const ha = load2(h + o, one);
  const za = load2(z + o, one);
  const hb = load2(h + o + 8, one);
  const zb = load2(z + o + 8, one);
  const opens = openPair1(open + c, open + c + 1, one);
  const uBefore = adv ? loadF32x2(uo + (o >> 1), one) : f64x2.splat(0);
  const uAfter = adv ? loadF32x2(uo + (o >> 1) + 8, one) : f64x2.splat(0);
  const next = faceFlux2(load2(qo + o, one), load2(qo + o + 8, one), load2(qo + o + 16, one), ha, za, hb, zb, load2(n2 + o, one), load2(n2 + o + 8, one), opens, G_DT, G_DT_DX, adv, uBefore, uAfter, DT_DX);
  store2(qn + o + 8, next, one);
  // As if no cap binds: a row where one does is redone by rowXCapsInOrder.
  if (adv) rowSignal = f64x2.max(rowSignal, keepVelocity(un + (o >> 1) + 4, next, ha, za, hb, zb, opens, i64x2.splat(0), one));
}

/** Cells c, c + 1: their caps after the uncapped x-faces (into capAfterX), and all-ones lanes where their east face's cap would bind. */
@inline function xCapPair(c: usize, one: bool, h: usize, qn: usize, qNorth: usize, qSouth: usize, southMask: v128, capAfterX: usize): v128 {
  const o = c << 3;
  const outCap = f64x2.splat(OUT_CAP);
  const qW = load2(qn + o, one);
  const qE = load2(qn + o + 8, one);
  const capI = notBelowZero(f64x2.sub(f64x2.sub(f64x2.sub(f64x2.mul(load2(h + o, one), outCap), outOfB(load2(qNorth + o, one))), outOfB(qW)), v128.and(outOfA(load2(qSouth + o, one)), southMask)));
  // The east neighbour's cap (past the row's end it meets the closed east face, qE = 0, and binds nothing).
  const capJ = notBelowZero(f64x2.sub(f64x2.sub(f64x2.mul(load2(h + o + 8, one), outCap), outOfB(load2(qNorth + o + 8, one))), v128.and(outOfA(load2(qSouth + o + 8, one)), southMask)));
  store2(capAfterX + o, notBelowZero(f64x2.sub(capI, outOfA(qE))), one);
  return binds(qE, capI, capJ);
}

/**
 * A row where a cap binds: the caps cell by cell, west to east, on the uncapped faces (the
 * reference's chain); with the advection scheme, every face's velocity and signal speed again
 * from its final discharge.
 */
function rowXCapsInOrder(nc: usize, h: usize, z: usize, open: usize, qn: usize, un: usize, qNorth: usize, qSouth: usize, southKnown: bool, capAfterX: usize): void {
  const outCap = f64x2.splat(OUT_CAP);
  const southMask = southKnown ? i64x2.splat(-1) : i64x2.splat(0);
  rowSignal = f64x2.splat(0);
  rowsRedone++;
  let qW = f64x2.splat(load<f64>(qn));
  for (let c: usize = 0; c < nc; c++) {
    const o = c << 3;
    let capI = notBelowZero(f64x2.sub(f64x2.sub(f64x2.sub(f64x2.mul(f64x2.splat(load<f64>(h + o)), outCap), outOfB(f64x2.splat(load<f64>(qNorth + o)))), outOfB(qW)), v128.and(outOfA(f64x2.splat(load<f64>(qSouth + o))), southMask)));
    let qE = f64x2.splat(0);
    if (c + 1 < nc) {
      const capJ = notBelowZero(f64x2.sub(f64x2.sub(f64x2.mul(f64x2.splat(load<f64>(h + o + 8)), outCap), outOfB(f64x2.splat(load<f64>(qNorth + o + 8)))), v128.and(outOfA(f64x2.splat(load<f64>(qSouth + o + 8))), southMask)));
      const next = f64x2.splat(load<f64>(qn + o + 8));
      qE = capped(next, capI, capJ);
      store<f64>(qn + o + 8, f64x2.extract_lane(qE, 0));
      if (ADVECTION) {
        const opens = openPair1(open + c, open + c + 1, true);
        const signal = keepVelocity(un + (o >> 1) + 4, qE, load2(h + o, true), load2(z + o, true), load2(h + o + 8, true), load2(z + o + 8, true), opens, binds(next, capI, capJ), true);
        rowSignal = f64x2.max(rowSignal, signal);
      }
    }
    store<f64>(capAfterX + o, f64x2.extract_lane(notBelowZero(f64x2.sub(capI, outOfA(qE))), 0));
    qW = qE;
  }
}

/**
 * Row r's south faces (when `southHere`: inside the band; otherwise they are in place), then
 * each open cell's continuity update, rain, sources, drainage and running outputs:
 * stripeKernel's rowYFacesAndDepths. Returns the deepest open cell of the row (m); drainage,
 * clipped water and rained-on cells add to the totals. `southOfNextKnown`: the next row's south
 * faces came first (it is the band's last row).
 */
export function rowYFacesAndDepths(r: i32, southHere: bool, southOfNextKnown: bool, capAfterX: usize): f64 {
  const nc = <usize>NC;
  const cell = (<usize>r * nc) << 3;
  const xRow = (<usize>r * (nc + 1)) << 3;
  const nextSouthMask = southOfNextKnown ? i64x2.splat(-1) : i64x2.splat(0);
  rowHMax = f64x2.splat(0);
  rowDrained = f64x2.splat(0);
  rowClipped = f64x2.splat(0);
  let c: usize = 0;
  if (!southHere) {
    for (; c + 2 <= nc; c += 2) southFaceAndDepthsPair(c, false, false, false, nc, cell, xRow, nextSouthMask, capAfterX);
    if (c < nc) southFaceAndDepthsPair(c, true, false, false, nc, cell, xRow, nextSouthMask, capAfterX);
  } else if (ADVECTION) {
    for (; c + 2 <= nc; c += 2) southFaceAndDepthsPair(c, false, true, true, nc, cell, xRow, nextSouthMask, capAfterX);
    if (c < nc) southFaceAndDepthsPair(c, true, true, true, nc, cell, xRow, nextSouthMask, capAfterX);
  } else {
    for (; c + 2 <= nc; c += 2) southFaceAndDepthsPair(c, false, true, false, nc, cell, xRow, nextSouthMask, capAfterX);
    if (c < nc) southFaceAndDepthsPair(c, true, true, false, nc, cell, xRow, nextSouthMask, capAfterX);
  }
  // Lane 1 of an odd row's last cell is masked out of the sums.
  drainedM += f64x2.extract_lane(rowDrained, 0) + f64x2.extract_lane(rowDrained, 1);
  clippedM += f64x2.extract_lane(rowClipped, 0) + f64x2.extract_lane(rowClipped, 1);
  return Math.max(f64x2.extract_lane(rowHMax, 0), f64x2.extract_lane(rowHMax, 1));
}

/** The running sums of the row being swept: deepest cell, drainage and clipped water (depths, per lane). */
let rowHMax: v128 = f64x2.splat(0);
let rowDrained: v128 = f64x2.splat(0);
let rowClipped: v128 = f64x2.splat(0);

@inline function southFaceAndDepthsPair(c: usize, one: bool, southHere: bool, adv: bool, nc: usize, cell: usize, xRow: usize, nextSouthMask: v128, capAfterX: usize): void {
  const o = c << 3;
  const south = cell + (nc << 3);
  const hi = load2(H + cell + o, one);
  let qS: v128;
  if (southHere) {
    const hj = load2(H + south + o, one);
    const zi = load2(Z + cell + o, one);
    const zj = load2(Z + south + o, one);
    const opens = openPair1(OPEN + (cell >> 3) + c, OPEN + (south >> 3) + c, one);
    const uf = (south + o) >> 1;
    const uBefore = adv ? loadF32x2(UY_OLD + ((cell + o) >> 1), one) : f64x2.splat(0);
    const uAfter = adv ? loadF32x2(UY_OLD + uf + (nc << 2), one) : f64x2.splat(0);
    const next = faceFlux2(load2(QY_OLD + cell + o, one), load2(QY_OLD + south + o, one), load2(QY_OLD + south + (nc << 3) + o, one), hi, zi, hj, zj, load2(N2 + cell + o, one), load2(N2 + south + o, one), opens, G_DT, G_DT_DX, adv, uBefore, uAfter, DT_DX);
    const capI = load2(capAfterX + o, one);
    const capJ = notBelowZero(f64x2.sub(f64x2.mul(hj, f64x2.splat(OUT_CAP)), v128.and(outOfA(load2(QY_NEW + south + (nc << 3) + o, one)), nextSouthMask)));
    qS = capped(next, capI, capJ);
    store2(QY_NEW + south + o, qS, one);
    if (adv) signalMax = f64x2.max(signalMax, keepVelocity(UY_NEW + uf, qS, hi, zi, hj, zj, opens, binds(next, capI, capJ), one));
  } else qS = load2(QY_NEW + south + o, one);

  // Open cells; lane 1 of an odd last element is off (it repeats lane 0).
  const openA = load<u8>(OPEN + (cell >> 3) + c) !== 0;
  const openB = !one && load<u8>(OPEN + (cell >> 3) + c + 1) !== 0;
  const open = i64x2.replace_lane(i64x2.splat(openA ? -1 : 0), 1, openB ? -1 : 0);
  rainCells += <i32>openA + <i32>openB;
  const zero = f64x2.splat(0);
  const dt = f64x2.splat(DT);
  const qW = load2(QX_NEW + xRow + o, one);
  const qE = load2(QX_NEW + xRow + o + 8, one);
  const qN = load2(QY_NEW + cell + o, one);
  let hn = f64x2.add(f64x2.add(f64x2.add(hi, f64x2.mul(f64x2.splat(DT_DX), f64x2.sub(f64x2.add(f64x2.sub(qW, qE), qN), qS))), f64x2.splat(RAIN_DEPTH_M)), f64x2.mul(load2(SRC + cell + o, one), dt));
  const positive = f64x2.gt(hn, zero);
  const drain = f64x2.splat(DRAIN_DEPTH_M);
  const d = v128.and(v128.bitselect(hn, drain, f64x2.lt(hn, drain)), positive);
  hn = v128.bitselect(f64x2.sub(hn, d), hn, positive);
  rowDrained = f64x2.add(rowDrained, v128.and(d, open));
  const negative = f64x2.lt(hn, zero);
  rowClipped = f64x2.sub(rowClipped, v128.and(hn, v128.and(negative, open)));
  hn = v128.andnot(hn, negative);
  store2(H + cell + o, v128.bitselect(hn, hi, open), one);
  rowHMax = f64x2.max(rowHMax, v128.and(hn, open));

  const wet = v128.and(f64x2.gt(hn, f64x2.splat(WET_DEPTH_M)), open);
  if (!v128.any_true(wet)) return;
  const maxDepth = load2(MAX_DEPTH + cell + o, one);
  store2(MAX_DEPTH + cell + o, v128.bitselect(hn, maxDepth, v128.and(wet, f64x2.gt(hn, maxDepth))), one);
  const arrival = load2(ARRIVAL + cell + o, one);
  store2(ARRIVAL + cell + o, v128.bitselect(f64x2.splat(T_END), arrival, v128.and(wet, f64x2.lt(arrival, zero))), one);
  const duration = load2(DURATION + cell + o, one);
  store2(DURATION + cell + o, v128.bitselect(f64x2.add(duration, dt), duration, v128.and(wet, f64x2.gt(hn, f64x2.splat(DURATION_DEPTH_M)))), one);
  // Cell velocity from the mean of its opposite faces' discharges.
  const halfOverH = f64x2.div(f64x2.splat(0.5), hn);
  const vx = f64x2.mul(f64x2.add(qW, qE), halfOverH);
  const vy = f64x2.mul(f64x2.add(qN, qS), halfOverH);
  const v = f64x2.sqrt(f64x2.add(f64x2.mul(vx, vx), f64x2.mul(vy, vy)));
  const maxSpeed = load2(MAX_SPEED + cell + o, one);
  store2(MAX_SPEED + cell + o, v128.bitselect(v, maxSpeed, v128.and(wet, f64x2.gt(v, maxSpeed))), one);
  const debris = v128.and(f64x2.splat(1), f64x2.gt(hn, f64x2.splat(DEBRIS_DEPTH_M)));
  const hazard = f64x2.add(f64x2.mul(hn, f64x2.add(v, f64x2.splat(0.5))), debris);
  const maxHazard = load2(MAX_HAZARD + cell + o, one);
  store2(MAX_HAZARD + cell + o, v128.bitselect(hazard, maxHazard, v128.and(wet, f64x2.gt(hazard, maxHazard))), one);
}
