/**
 * The adaptive time step of the local inertial scheme (Bates et al. 2010, eq. 13):
 *
 *   Δt = α·Δx / √(g·h_max)
 *
 * with α ≤ 0.7 (0.6 by default, see FloodSettings.alpha); for the advection scheme the flow
 * speed joins the wave speed, Δt = α·Δx / max(√(g·h_max), max over faces of |u| + √(g·h_f)).
 * Bounded above by `maxDtS` (a dry or nearly dry grid would otherwise take huge steps past the
 * rain's onset) and cut to land exactly on `untilS` (snapshots, end of run).
 */
import { G } from './faceFlux';

/** Depth below which the CFL limit is not the binding one (√(g·h) → 0 as h → 0). */
const DRY_DEPTH_M = 1e-6;

/**
 * The largest face speed the convective term uses: water released from rest runs at most
 * 2·√(g·h) (Ritter's front); faster q/h_f are films drained at the positivity cap (see faceFlux).
 */
export function cflSpeedLimit(hMaxM: number): number {
  return 2 * Math.sqrt(G * hMaxM);
}

/**
 * `signalSpeedMaxMs` is the fastest signal speed |u| + √(g·h_f) over the faces: 0 for the plain
 * inertial scheme (its own limit, eq. 13, counts the wave speed only); for the advection scheme,
 * whose explicit upwind momentum flux also needs (|u| + √(g·h))·Δt/Δx ≤ α, the largest of the
 * faces not drained at the positivity cap. The maximum is taken per face, not as the largest
 * |u| plus the largest √(g·h): the fastest flow is usually a shallow film on a slope and the
 * deepest water a still pond, and adding the two (as this did until issue 14) took up to a
 * third more steps than stability needs.
 */
export function cflTimeStep(hMaxM: number, signalSpeedMaxMs: number, dx: number, alpha: number, maxDtS: number): number {
  if (hMaxM <= DRY_DEPTH_M) return maxDtS;
  const wave = Math.sqrt(G * hMaxM);
  // The convective term never uses a face speed above the limit, so neither does its Courant number.
  const most = cflSpeedLimit(hMaxM) + wave;
  const signal = signalSpeedMaxMs < most ? signalSpeedMaxMs : most;
  const dt = (alpha * dx) / (signal > wave ? signal : wave);
  return dt < maxDtS ? dt : maxDtS;
}

/**
 * The step to take from `t` towards `untilS`, never longer than `cflDt`. When less than two
 * steps remain it splits the rest evenly, so no tiny sliver step is left before `untilS`.
 */
export function stepTowards(t: number, untilS: number, cflDt: number): number {
  const remaining = untilS - t;
  if (remaining <= cflDt) return remaining;
  if (remaining < 2 * cflDt) return remaining / 2;
  return cflDt;
}
