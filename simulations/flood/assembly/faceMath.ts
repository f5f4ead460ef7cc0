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

// The FreeBSD msun cbrt (s_cbrt.c), as V8's base::ieee754::cbrt.
const CBRT_B1: i64 = 715094163;
const CBRT_P0: f64 = 1.87595182427177009643;
const CBRT_P1: f64 = -1.88497979543377169875;
const CBRT_P2: f64 = 1.621429720105354466140;
const CBRT_P3: f64 = -0.758397934778766047437;
const CBRT_P4: f64 = 0.145996192886612446982;

/** ∛x for two positive normal x: msun's cbrt, lane by lane (bit patterns, polynomial, rounding to 23 bits, one Newton step). */
@inline export function cubeRoot2(x: v128): v128 {
  // The high words into i32 lanes 0 and 1; hx / 3 as (hx · 0xAAAAAAAB) >> 33, exact for 32-bit hx.
  const high = i32x4.shuffle(x, x, 1, 3, 1, 3);
  const third = i64x2.shr_u(i64x2.extmul_low_i32x4_u(high, i32x4.splat(<i32>0xaaaaaaab)), 33);
  let t = i64x2.shl(i64x2.add(third, i64x2.splat(CBRT_B1)), 32);
  let r = f64x2.mul(f64x2.mul(t, t), f64x2.div(t, x));
  const p = f64x2.add(f64x2.splat(CBRT_P0), f64x2.mul(r, f64x2.add(f64x2.splat(CBRT_P1), f64x2.mul(r, f64x2.splat(CBRT_P2)))));
  const p2 = f64x2.mul(f64x2.mul(f64x2.mul(r, r), r), f64x2.add(f64x2.splat(CBRT_P3), f64x2.mul(r, f64x2.splat(CBRT_P4))));
  t = f64x2.mul(t, f64x2.add(p, p2));
  t = v128.and(i64x2.add(t, i64x2.splat(0x80000000)), i64x2.splat(<i64>-1073741824));
  const s = f64x2.mul(t, t);
  r = f64x2.div(x, s);
  const w = f64x2.add(t, t);
  r = f64x2.div(f64x2.sub(r, t), f64x2.add(w, r));
  return f64x2.add(t, f64x2.mul(t, r));
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
 * between cells A (west/north) and B, θ-weighted old discharges, eq. 11 with h^(7/3) as h²·∛h,
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
  const hf73 = f64x2.mul(f64x2.mul(hf, hf), cubeRoot2(hf));
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
