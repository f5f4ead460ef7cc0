/**
 * The fair plain kernel of issue 14: the local inertial scheme of Bates, Horritt & Fewtrell
 * (2010, J. Hydrology 387, eq. 11–13) in plain loops on one thread, as a competent user would
 * write it in an afternoon — Float32 state, h^(7/3) as h²·∛h, each face's outflow capped at a
 * quarter of its upwind cell's water (four faces can then never drain a cell below zero, so
 * depths stay positive and mass is kept to float32 rounding), α = 0.7, uniform rain, closed
 * edges. No θ-weighting, convective term, boundaries or outputs beyond depth. The flood
 * benchmark's baseline, and a cross-check of the core on simple closed problems.
 */

const G = 9.81;
/** Faces shallower than this carry nothing (h^(7/3) in a denominator; LISFLOOD-FP uses the same order). */
const FACE_DEPTH_EPS_M = 1e-4;

export interface PlainState {
  ncols: number;
  nrows: number;
  dx: number;
  /** Manning's n squared. */
  n2: number;
  z: Float32Array;
  h: Float32Array;
  qx: Float32Array;
  qy: Float32Array;
  /** Deepest cell after the last step, for the next Δt. */
  hMax: number;
}

export function plainState(ncols: number, nrows: number, dx: number, bed: ArrayLike<number>, depth: ArrayLike<number>, n: number): PlainState {
  const h = Float32Array.from(depth);
  const hMax = h.reduce((m, v) => (v > m ? v : m), 0);
  return { ncols, nrows, dx, n2: n * n, z: Float32Array.from(bed), h, qx: new Float32Array((ncols + 1) * nrows), qy: new Float32Array(ncols * (nrows + 1)), hMax };
}

/** New discharge (m²/s) on the face between a and b (a west or north); at most a quarter of the upwind water. */
function flux(q: number, ha: number, za: number, hb: number, zb: number, n2: number, dt: number, dx: number): number {
  const ea = ha + za;
  const eb = hb + zb;
  const hf = Math.max(ea, eb) - Math.max(za, zb);
  if (hf <= FACE_DEPTH_EPS_M) return 0;
  const next = (q - (G * hf * dt * (eb - ea)) / dx) / (1 + (G * dt * n2 * Math.abs(q)) / (hf * hf * Math.cbrt(hf)));
  const cap = (0.25 * dx) / dt;
  return next > 0 ? Math.min(next, cap * ha) : Math.max(next, -cap * hb);
}

/** One step with Δt = α·Δx/√(g·h_max) (at most maxDtS, cut to `untilS`); returns Δt. */
export function plainStep(s: PlainState, alpha: number, maxDtS: number, rainMs: number, untilS = Number.POSITIVE_INFINITY): number {
  const { ncols, nrows, dx, z, h, qx, qy, n2 } = s;
  const dt = Math.min(s.hMax > 1e-6 ? Math.min(maxDtS, (alpha * dx) / Math.sqrt(G * s.hMax)) : maxDtS, untilS);
  for (let r = 0; r < nrows; r++) {
    for (let c = 1; c < ncols; c++) {
      const a = r * ncols + c - 1;
      qx[r * (ncols + 1) + c] = flux(qx[r * (ncols + 1) + c]!, h[a]!, z[a]!, h[a + 1]!, z[a + 1]!, n2, dt, dx);
    }
  }
  for (let r = 1; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const b = r * ncols + c;
      qy[b] = flux(qy[b]!, h[b - ncols]!, z[b - ncols]!, h[b]!, z[b]!, n2, dt, dx);
    }
  }
  let hMax = 0;
  const rainM = rainMs * dt;
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const net = qx[r * (ncols + 1) + c]! - qx[r * (ncols + 1) + c + 1]! + qy[i]! - qy[i + ncols]!;
      const hn = (h[i] = h[i]! + (dt * net) / dx + rainM);
      if (hn > hMax) hMax = hn;
    }
  }
  s.hMax = hMax;
  return dt;
}

/** Runs to `durationS`; returns the steps taken. */
export function plainRun(s: PlainState, alpha: number, maxDtS: number, rainMs: number, durationS: number): number {
  let t = 0;
  let steps = 0;
  while (t < durationS) {
    const dt = plainStep(s, alpha, maxDtS, rainMs, durationS - t);
    t = dt === durationS - t ? durationS : t + dt;
    steps++;
  }
  return steps;
}

/** Water volume, m³ (summed in double). */
export function plainVolume(s: PlainState): number {
  let v = 0;
  for (let i = 0; i < s.h.length; i++) v += s.h[i]!;
  return v * s.dx * s.dx;
}
