/**
 * AssemblyScript, imported by inertialKernel.ts (built by simulations/flood/wasmBuild.ts): the
 * face routine of faceFlux.ts for two faces at once (f64x2 lanes), with the same float64
 * operations in the same order, so the same answers bit for bit; and the lane helpers the row
 * routines share. Pure functions of their arguments: the step's coefficients come in as
 * parameters, the state is the caller's.
 */

export const G: f64 = 9.81;
/** As faceFlux.ts: THETA, FACE_DEPTH_EPS_M, ADVECTION_DEPTH_M. */
const THETA: f64 = 0.7;
const FACE_DEPTH_EPS_M: f64 = 1e-4;
const ADVECTION_DEPTH_M: f64 = 1e-3;

/** As faceFlux.ts's cubeRootF32: Kahan's guess bias (float32 bits) and 1/3 in float32. */
const CBRT_GUESS_BIAS: i32 = 709958130;
const ONE_THIRD_F32: f32 = <f32>(1.0 / 3.0);

/**
 * faceFlux.ts's cubeRootF32 for two f64 lanes: ∛x to float32 precision in f32x4 arithmetic (the
 * bit-pattern guess, two Halley steps), the same operations in the same order, so the same
 * float32 bit for bit; returned as f64 lanes. Lanes 2 and 3 repeat 0 and 1: zero lanes would
 * run the Halley steps through float32 subnormals, which x86 takes on a slow path.
 */
@inline export function cubeRootF32x2(x: v128): v128 {
  const x2 = f32x4.demote_f64x2_zero(x);
  const x4 = v128.shuffle<f32>(x2, x2, 0, 1, 0, 1);
  let t = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.mul(f32x4.convert_i32x4_s(x4), f32x4.splat(ONE_THIRD_F32))), i32x4.splat(CBRT_GUESS_BIAS));
  const twoX = f32x4.add(x4, x4);
  for (let k = 0; k < 2; k++) {
    const t3 = f32x4.mul(f32x4.mul(t, t), t);
    t = f32x4.div(f32x4.mul(t, f32x4.add(t3, twoX)), f32x4.add(f32x4.add(t3, t3), x4));
  }
  return f64x2.promote_low_f32x4(t);
}

/** The face's flow depth before the wet test: max(η) − max(z), η = z + h. */
@inline export function faceDepth2(hA: v128, zA: v128, hB: v128, zB: v128): v128 {
  const etaA = f64x2.add(zA, hA);
  const etaB = f64x2.add(zB, hB);
  return f64x2.sub(v128.bitselect(etaA, etaB, f64x2.gt(etaA, etaB)), v128.bitselect(zA, zB, f64x2.gt(zA, zB)));
}

/** All-ones lanes where the face carries water: open and deeper than FACE_DEPTH_EPS_M. */
@inline export function wetFace2(hfRaw: v128, open: v128): v128 {
  return v128.and(f64x2.gt(hfRaw, f64x2.splat(FACE_DEPTH_EPS_M)), open);
}

/** The flow depth where the face is wet, 1 elsewhere: dry lanes go through on a harmless depth and are zeroed at the end. */
@inline export function usableDepth2(hfRaw: v128, wet: v128): v128 {
  return v128.bitselect(hfRaw, f64x2.splat(1), wet);
}

/** faceFlux.ts's `velocity` on wet lanes (0 on the others): q/h, zero where h is thinner than ADVECTION_DEPTH_M. */
@inline export function velocity2(q: v128, hf: v128, wet: v128): v128 {
  return v128.and(f64x2.div(q, hf), v128.and(f64x2.gt(hf, f64x2.splat(ADVECTION_DEPTH_M)), wet));
}

/**
 * faceFlux.ts's advectionTerm for two faces: Δt/Δx times Stelling & Duinmeijer's momentum flux
 * difference F_B − F_A, from the old discharges of the face before A, the face and the face after
 * B, the old (clamped) velocities of the outer faces and the face's own old discharge over its
 * current depth.
 */
@inline function advection2(qBefore: v128, q: v128, qAfter: v128, uBefore: v128, uAfter: v128, hf: v128, wet: v128, dtDx: f64): v128 {
  const half = f64x2.splat(0.5);
  const zero = f64x2.splat(0);
  const qBarA = f64x2.mul(half, f64x2.add(qBefore, q));
  const qBarB = f64x2.mul(half, f64x2.add(q, qAfter));
  const uFace = velocity2(q, hf, wet);
  const fluxA = f64x2.mul(qBarA, v128.bitselect(uBefore, uFace, f64x2.ge(qBarA, zero)));
  const fluxB = f64x2.mul(qBarB, v128.bitselect(uFace, uAfter, f64x2.ge(qBarB, zero)));
  return f64x2.mul(f64x2.splat(dtDx), f64x2.sub(fluxB, fluxA));
}

/**
 * faceFlux.ts's faceFlux for two faces, before the positivity caps: new unit discharge (m²/s)
 * between cells A (west/north) and B, θ-weighted old discharges, eq. 11 with h^(7/3) as h²·∛h (∛ to float32 precision),
 * and with `advection` the convective term (old face velocities `uBefore`, `uAfter` of the faces
 * before A and after B); 0 where the face is shallower than FACE_DEPTH_EPS_M or `open` is 0.
 * `gDt` = g·Δt, `gDtDx` = g·Δt/Δx, `dtDx` = Δt/Δx.
 */
@inline export function faceFlux2(
  qBefore: v128,
  qOld: v128,
  qAfter: v128,
  hA: v128,
  zA: v128,
  hB: v128,
  zB: v128,
  n2A: v128,
  n2B: v128,
  open: v128,
  gDt: f64,
  gDtDx: f64,
  advection: bool,
  uBefore: v128,
  uAfter: v128,
  dtDx: f64,
): v128 {
  const etaA = f64x2.add(zA, hA);
  const etaB = f64x2.add(zB, hB);
  const hfRaw = faceDepth2(hA, zA, hB, zB);
  const wet = wetFace2(hfRaw, open);
  const hf = usableDepth2(hfRaw, wet);
  let q = f64x2.add(f64x2.mul(f64x2.splat(THETA), qOld), f64x2.mul(f64x2.splat(0.5 * (1 - THETA)), f64x2.add(qBefore, qAfter)));
  const qAbs = f64x2.abs(q);
  // The reference subtracts a convective term of 0 in the plain scheme: q − 0 is q, bit for bit.
  if (advection) q = f64x2.sub(q, advection2(qBefore, qOld, qAfter, uBefore, uAfter, hf, wet, dtDx));
  const n2 = f64x2.mul(f64x2.splat(0.5), f64x2.add(n2A, n2B));
  const hf73 = f64x2.mul(f64x2.mul(hf, hf), cubeRootF32x2(hf));
  const driven = f64x2.sub(q, f64x2.mul(f64x2.mul(f64x2.splat(gDtDx), hf), f64x2.sub(etaB, etaA)));
  const next = f64x2.div(f64x2.mul(driven, hf73), f64x2.add(hf73, f64x2.mul(f64x2.mul(f64x2.splat(gDt), n2), qAbs)));
  return v128.and(next, wet);
}

/**
 * The velocity the advection scheme keeps of a face for the next step's convective term
 * (faceFlux.ts's storeVelocity): q/h_f of its new, capped discharge, clamped to ±`speedLimit`.
 */
@inline export function keptVelocity2(next: v128, hf: v128, wet: v128, speedLimit: f64): v128 {
  const u = velocity2(next, hf, wet);
  const limit = f64x2.splat(speedLimit);
  const clamped = v128.bitselect(limit, f64x2.neg(limit), f64x2.gt(u, f64x2.splat(0)));
  return v128.bitselect(clamped, u, f64x2.gt(f64x2.abs(u), limit));
}

/** The signal speed |u| + √(g·h_f) of faces that are neither capped nor at rest (u unclamped), 0 on the others. */
@inline export function signalSpeed2(next: v128, hf: v128, wet: v128, capped: v128): v128 {
  const speed = f64x2.abs(velocity2(next, hf, wet));
  const counts = v128.andnot(f64x2.gt(speed, f64x2.splat(0)), capped);
  return v128.and(f64x2.add(speed, f64x2.sqrt(f64x2.mul(f64x2.splat(G), hf))), counts);
}

/** Outflow (m²/s) out of the B side (q < 0), out of the A side (q > 0). */
@inline export function outOfB(q: v128): v128 {
  return v128.and(f64x2.neg(q), f64x2.lt(q, f64x2.splat(0)));
}
@inline export function outOfA(q: v128): v128 {
  return v128.and(q, f64x2.gt(q, f64x2.splat(0)));
}
/** x < 0 ? 0 : x */
@inline export function notBelowZero(x: v128): v128 {
  return v128.andnot(x, f64x2.lt(x, f64x2.splat(0)));
}
/** The reference's caps: next > capA ? capA : −next > capB ? −capB : next. */
@inline export function capped(next: v128, capA: v128, capB: v128): v128 {
  const n = v128.bitselect(capA, next, f64x2.gt(next, capA));
  return v128.bitselect(f64x2.neg(capB), n, v128.andnot(f64x2.gt(f64x2.neg(next), capB), f64x2.gt(next, capA)));
}
/** All-ones lanes where a cap binds (the reference's `capped` flag). */
@inline export function binds(next: v128, capA: v128, capB: v128): v128 {
  return v128.or(f64x2.gt(next, capA), f64x2.gt(f64x2.neg(next), capB));
}

/** Loads two f64 at p, or (one) p twice: the row's odd last element goes through the same lanes. */
@inline export function load2(p: usize, one: bool): v128 {
  return one ? f64x2.splat(load<f64>(p)) : v128.load(p);
}
@inline export function store2(p: usize, v: v128, one: bool): void {
  if (one) store<f64>(p, f64x2.extract_lane(v, 0));
  else v128.store(p, v);
}
/** Two float32 face velocities at p (or one, twice) as f64 lanes, as JavaScript reads a Float32Array. */
@inline export function loadF32x2(p: usize, one: bool): v128 {
  return one ? f64x2.splat(<f64>load<f32>(p)) : f64x2.promote_low_f32x4(v128.load64_zero(p));
}
/** Stores two f64 lanes (or lane 0) at p as float32, rounded as a Float32Array store rounds. */
@inline export function storeF32x2(p: usize, v: v128, one: bool): void {
  if (one) store<f32>(p, <f32>f64x2.extract_lane(v, 0));
  else v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** All-ones lanes where both cells are open (bytes at a and b, two consecutive cells each). */
@inline function openPair(a: usize, b: usize): v128 {
  const oa = i64x2.replace_lane(i64x2.splat(<i64>load<u8>(a)), 1, <i64>load<u8>(a + 1));
  const ob = i64x2.replace_lane(i64x2.splat(<i64>load<u8>(b)), 1, <i64>load<u8>(b + 1));
  return i64x2.ne(v128.and(oa, ob), i64x2.splat(0));
}
@inline export function openPair1(a: usize, b: usize, one: bool): v128 {
  return one ? i64x2.splat(load<u8>(a) & load<u8>(b) ? -1 : 0) : openPair(a, b);
}
