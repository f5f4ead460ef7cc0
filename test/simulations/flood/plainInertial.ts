/**
 * A plain single-threaded local inertial solver (Bates et al. 2010), written the obvious way:
 * an x-face loop, a y-face loop and a continuity loop per step, Math.pow for h^(7/3), negative
 * depths set to zero. No boundaries, rain or outputs beyond depth: the bench's baseline for cell
 * updates per second, and a cross-check of the optimised core on simple closed problems.
 */

const G = 9.81;
const FACE_DEPTH_EPS_M = 1e-4;

export interface PlainState {
  ncols: number;
  nrows: number;
  dx: number;
  z: Float64Array;
  h: Float64Array;
  n: number;
  qx: Float64Array;
  qy: Float64Array;
}

export function plainState(ncols: number, nrows: number, dx: number, bed: ArrayLike<number>, depth: ArrayLike<number>, n: number): PlainState {
  return {
    ncols,
    nrows,
    dx,
    z: Float64Array.from(bed),
    h: Float64Array.from(depth),
    n,
    qx: new Float64Array((ncols + 1) * nrows),
    qy: new Float64Array(ncols * (nrows + 1)),
  };
}

function flux(q: number, h1: number, z1: number, h2: number, z2: number, n: number, dt: number, dx: number): number {
  const hf = Math.max(h1 + z1, h2 + z2) - Math.max(z1, z2);
  if (hf <= FACE_DEPTH_EPS_M) return 0;
  const slope = (h2 + z2 - (h1 + z1)) / dx;
  return (q - G * hf * dt * slope) / (1 + (G * dt * n * n * Math.abs(q)) / Math.pow(hf, 7 / 3));
}

/** One step; returns Δt used (α·Δx/√(g·h_max), at most maxDt). */
export function plainStep(s: PlainState, alpha: number, maxDt: number): number {
  const { ncols, nrows, dx, z, h, qx, qy, n } = s;
  let hMax = 0;
  for (let i = 0; i < h.length; i++) hMax = Math.max(hMax, h[i]!);
  const dt = hMax > 1e-6 ? Math.min(maxDt, (alpha * dx) / Math.sqrt(G * hMax)) : maxDt;
  for (let r = 0; r < nrows; r++) {
    for (let c = 1; c < ncols; c++) {
      const a = r * ncols + c - 1;
      const b = r * ncols + c;
      qx[r * (ncols + 1) + c] = flux(qx[r * (ncols + 1) + c]!, h[a]!, z[a]!, h[b]!, z[b]!, n, dt, dx);
    }
  }
  for (let r = 1; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const a = (r - 1) * ncols + c;
      const b = r * ncols + c;
      qy[r * ncols + c] = flux(qy[r * ncols + c]!, h[a]!, z[a]!, h[b]!, z[b]!, n, dt, dx);
    }
  }
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const net = qx[r * (ncols + 1) + c]! - qx[r * (ncols + 1) + c + 1]! + qy[r * ncols + c]! - qy[(r + 1) * ncols + c]!;
      h[i] = Math.max(0, h[i]! + (dt * net) / dx);
    }
  }
  return dt;
}
