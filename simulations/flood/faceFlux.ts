/**
 * The local inertial face flux of Bates, Horritt & Fewtrell (2010), "A simple inertial
 * formulation of the shallow water equations for efficient two-dimensional flood inundation
 * modelling", J. Hydrology 387, eq. 11, with the semi-implicit friction term, and optionally the
 * convective acceleration ∂(q·u)/∂x that their scheme drops:
 *
 *   q ← (q − Δt·[F_B − F_A]/Δx − g·h_f·Δt·∂η/∂x) / (1 + g·Δt·n²·|q| / h_f^(7/3))
 *
 * F is the momentum flux q·u at the cell centres on either side of the face, in the
 * momentum-conservative upwind form of Stelling & Duinmeijer (2003), "A staggered conservative
 * scheme for every Froude number in rapidly varied shallow water flows", Int. J. Numer. Meth.
 * Fluids 43, eq. 19–21: F_c = q̄_c·u*_c with q̄_c the mean of the cell's two face discharges along
 * the axis and u*_c the velocity q/h_f of its upwind face at the previous step (stored per face,
 * as the fused sweep has already overwritten the depths of the outer cells). Wet/dry: a face
 * whose depth is below ADVECTION_DEPTH_M has no velocity, and every face velocity is clamped to
 * 2·√(g·h_max) when stored, the fastest a wave released from rest can run (Ritter's front): films at a front
 * drained at the positivity cap have q/h_f up to Δx/Δt, an artefact of the step that would
 * otherwise run ahead of the front and shrink Δt. Along each axis only the x-derivative of q·u
 * (the y-derivative of q_y·v) is taken: the cross terms ∂(q_x·v)/∂y are left out, which the 1D
 * tests cannot see and 2D urban flows at low Froude number hardly feel.
 *
 * One routine for both axes: side A is the west (x) or north (y) cell, B the east or south one,
 * and positive q flows from A to B. Edge faces reuse it with a ghost cell (level boundaries) or
 * use the free-outflow rule below.
 *
 * Inside the grid the previous q is θ-weighted with the two neighbouring faces along the same
 * axis (de Almeida, Bates, Freer & Souvignet 2012, "Improving the stability of a simple
 * formulation of the shallow water equations for 2-D flood modeling", WRR 48): without it,
 * shallow water with little friction grows a chequerboard oscillation.
 */

export const G = 9.81;

/** θ of de Almeida et al. (2012); 1 turns the weighting off, 0.7 is their recommendation. */
export const THETA = 0.7;

/**
 * Below this face depth the face has no velocity in the momentum flux: q/h of a film is not a
 * velocity. One millimetre is a tenth of the wet threshold.
 */
export const ADVECTION_DEPTH_M = 1e-3;

/** Velocity q/h (m/s), zero where h is a film thinner than ADVECTION_DEPTH_M. */
export const velocity = (q: number, h: number): number => (h > ADVECTION_DEPTH_M ? q / h : 0);

/**
 * Δt·∂(q·u)/∂x at the face between A and B (m²/s): Stelling & Duinmeijer's momentum flux
 * F_c = q̄_c·u*_c at A and at B, from the old discharges of the face before A, the face itself and
 * the face after B, and the old (clamped) velocities of the outer faces; the face's own
 * velocity is its old discharge over its current depth `hf` (not clamped: clamping it too was
 * tried and put the dam-break front further ahead). `dtDx` = Δt/Δx.
 */
function advectionTerm(qBefore: number, q: number, qAfter: number, uBefore: number, uAfter: number, hf: number, dtDx: number): number {
  const qBarA = 0.5 * (qBefore + q);
  const qBarB = 0.5 * (q + qAfter);
  const uFace = velocity(q, hf);
  const fluxA = qBarA * (qBarA >= 0 ? uBefore : uFace);
  const fluxB = qBarB * (qBarB >= 0 ? uFace : uAfter);
  return dtDx * (fluxB - fluxA);
}

/**
 * Below this flow depth a face carries nothing. The friction term divides by h_f^(7/3); a thin
 * film also has no meaningful velocity, and LISFLOOD-FP uses a threshold of the same order.
 */
export const FACE_DEPTH_EPS_M = 1e-4;

/** About two thirds of the float32 bit pattern of 1 (W. Kahan): bits(x)/3 + this ≈ bits(∛x). */
const CBRT_GUESS_BIAS = 709958130;
const ONE_THIRD_F32 = Math.fround(1 / 3);
/** One float32 and its bits, for cubeRootF32's guess. */
const cbrtFloat = new Float32Array(1);
const cbrtBits = new Int32Array(cbrtFloat.buffer);

/**
 * ∛x to float32 precision, for h_f^(7/3) = h_f²·∛h_f in the friction term: float32 arithmetic
 * (every operation rounded by Math.fround, as the WebAssembly kernel's f32x4 lanes round it), a
 * first guess from the float32 bit pattern (Kahan: a third of the bits plus CBRT_GUESS_BIAS,
 * within a few per cent), then two Halley steps t ← t·(t³ + 2x)/(2t³ + x), cubic in their
 * convergence: relative error within a few float32 roundings (~1e-7), nothing beside the
 * uncertainty of Manning's n. Cheaper in the kernel than the full-precision cube root (the
 * FreeBSD msun cbrt that Math.cbrt runs: three float64 divisions and a longer chain; see
 * docs/flood.md, "Profile of the WebAssembly kernel"). `x` must round to a positive
 * normal float32 (face depths above FACE_DEPTH_EPS_M, or the kernel's stand-in depth of 1 on
 * dry faces).
 */
export function cubeRootF32(x: number): number {
  const xf = Math.fround(x);
  cbrtFloat[0] = xf;
  cbrtBits[0] = Math.trunc(Math.fround(Math.fround(cbrtBits[0]!) * ONE_THIRD_F32)) + CBRT_GUESS_BIAS;
  let t = cbrtFloat[0]!;
  const twoX = Math.fround(xf + xf);
  for (let k = 0; k < 2; k++) {
    const t3 = Math.fround(Math.fround(t * t) * t);
    t = Math.fround(Math.fround(t * Math.fround(t3 + twoX)) / Math.fround(Math.fround(t3 + t3) + xf));
  }
  return t;
}

/** Minimum bed slope a free-outflow edge drains at, so a flat edge still lets water leave. */
export const FREE_MIN_SLOPE = 1e-3;

/**
 * New unit discharge (m²/s) on a face. `gDt` = g·Δt (m/s), `gDtDx` = g·Δt/Δx (1/s), `n2`
 * Manning's n² at the face. `capA` and `capB` (m²/s) bound the flow out of A and out of B: the
 * caller passes what is left of each cell's water after its other outflows this step, so no cell
 * is drained below zero and the scheme conserves mass exactly (the caps bind only at wet/dry
 * fronts and in thin films).
 */
export function faceFlux(
  qBefore: number,
  qOld: number,
  qAfter: number,
  hA: number,
  zA: number,
  hB: number,
  zB: number,
  n2: number,
  gDt: number,
  gDtDx: number,
  capA: number,
  capB: number,
  advection: FaceAdvection | undefined,
  face: number,
): number {
  const etaA = zA + hA;
  const etaB = zB + hB;
  const hf = (etaA > etaB ? etaA : etaB) - (zA > zB ? zA : zB);
  if (hf <= FACE_DEPTH_EPS_M) {
    if (advection) advection.uNew[face] = 0;
    return 0;
  }
  const q = THETA * qOld + 0.5 * (1 - THETA) * (qBefore + qAfter);
  const convective = advection ? advectionTerm(qBefore, qOld, qAfter, advection.uOld[face - advection.stride]!, advection.uOld[face + advection.stride]!, hf, advection.dtDx) : 0;
  const qAbs = q < 0 ? -q : q;
  // h^(7/3) as h²·∛h, the cube root to float32 precision (cubeRootF32). Eq. 11 with its
  // denominator multiplied through by h^(7/3): one division.
  const hf73 = hf * hf * cubeRootF32(hf);
  let next = ((q - convective - gDtDx * hf * (etaB - etaA)) * hf73) / (hf73 + gDt * n2 * qAbs);
  let capped = true;
  if (next > capA) next = capA;
  else if (-next > capB) next = -capB;
  else capped = false;
  if (advection) storeVelocity(advection, face, next, hf, capped);
  return next;
}

/**
 * Keeps the face's new velocity for the next step's convective term, clamped to the speed limit,
 * and raises the step's fastest signal speed |u| + √(g·h_f) (the characteristic speed of the
 * shallow water equations at the face, for the next step's CFL limit) unless the face drained its
 * cell at the cap (see above). A face at rest needs no square root: its √(g·h_f) is at most the
 * √(g·h_max) the CFL step counts anyway. Every other face takes its square root: skipping those
 * whose |u| + √(g·h_max) cannot beat the maximum so far (as this did until the WebAssembly port)
 * made the maximum depend on the order of the faces wherever h_f rounds above h_max, and the
 * WebAssembly kernel takes the faces in another order (two at a time). A function of its own so
 * that faceFlux stays small enough for V8 to inline in the sweep.
 */
function storeVelocity(advection: FaceAdvection, face: number, q: number, hf: number, capped: boolean): void {
  let u = velocity(q, hf);
  const speed = u < 0 ? -u : u;
  if (!capped && speed > 0) {
    const signal = speed + Math.sqrt(G * hf);
    if (signal > advection.signalSpeedMax) advection.signalSpeedMax = signal;
  }
  const limit = advection.speedLimit;
  if (speed > limit) u = u > 0 ? limit : -limit;
  advection.uNew[face] = u;
}

/**
 * What the convective term needs along one axis: the old and new face velocities (same indexing
 * as the discharges), the index step between neighbouring faces along the axis, and Δt/Δx.
 */
export interface FaceAdvection {
  uOld: Float32Array;
  uNew: Float32Array;
  stride: number;
  dtDx: number;
  /** Largest |u| the convective term uses (m/s), see cflSpeedLimit. */
  speedLimit: number;
  /** Output: the largest |u| + √(g·h_f) of the uncapped faces so far this step (m/s), for the next CFL step. */
  signalSpeedMax: number;
}

/**
 * An edge face's velocity for the convective term of the face next to it: its discharge over
 * the face's flow depth (a level edge's ghost stands `level` over the same bed as the cell, so
 * the deeper of the two; a free edge's is the cell's), clamped to the speed limit as inside
 * faces are. Over the cell's own depth and unclamped, the sea pouring onto a dry edge row read
 * as hundreds of m/s and blew the default scheme up.
 */
export function edgeVelocity(kind: number, level: number, q: number, h: number, z: number, speedLimit: number): number {
  const hFace = kind === EDGE_LEVEL && level - z > h ? level - z : h;
  const u = velocity(q, hFace);
  return u > speedLimit ? speedLimit : u < -speedLimit ? -speedLimit : u;
}

/** Edge kinds in their resolved, per-step form. */
export const EDGE_CLOSED = 0;
export const EDGE_LEVEL = 1;
export const EDGE_FREE = 2;

/**
 * Discharge (m²/s) INTO the domain through an edge face beside cell (h, z); `zInner` is the bed
 * of the next cell inwards, `qInPrev` the face's previous inflow, `cap` the most that may leave
 * the cell (see faceFlux).
 * - level: a ghost cell outside with water surface `level` over the same bed, then faceFlux;
 * - free: outflow at normal depth h^(5/3)·√S/n for the outward bed slope S (at least
 *   FREE_MIN_SLOPE), never more than critical flow h·√(g·h);
 * - closed: nothing (flow boundaries enter as sources, their face stays closed).
 */
export function edgeInflow(kind: number, level: number, qInPrev: number, h: number, z: number, zInner: number, n2: number, gDt: number, dx: number, cap: number): number {
  if (kind === EDGE_LEVEL) {
    const hGhost = level > z ? level - z : 0;
    // The ghost side is a reservoir held at the level: nothing caps what it gives.
    // No neighbouring faces outside: the θ-weighting and the convective term are off here.
    return faceFlux(qInPrev, qInPrev, qInPrev, hGhost, z, h, z, n2, gDt, gDt / dx, Number.POSITIVE_INFINITY, cap, undefined, 0);
  }
  if (kind === EDGE_FREE) {
    if (h <= FACE_DEPTH_EPS_M) return 0;
    const slope = Math.max((zInner - z) / dx, FREE_MIN_SLOPE);
    const critical = h * Math.sqrt(G * h);
    const n = Math.sqrt(n2);
    const normal = n > 0 ? (h * Math.cbrt(h * h) * Math.sqrt(slope)) / n : critical;
    const out = Math.min(normal, critical, cap);
    return -out;
  }
  return 0;
}
