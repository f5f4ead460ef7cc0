import { describe, expect, it } from 'vitest';
import type { FloodScheme } from '../../../simulations/flood/floodProblem';
import { runFlood, type FloodResult } from '../../../simulations/flood/runFlood';
import { frontColumn, problem } from './floodCases';

/**
 * Ritter's dam break on a dry, flat, frictionless bed: with c0 = √(g·h0) and ξ = x − x0 the exact
 * solution is h = (2·c0 − ξ/t)²/(9g) for −c0·t ≤ ξ ≤ 2·c0·t: the rarefaction's head runs upstream
 * at −c0 and the front downstream at 2·c0 (Ritter 1892; as given in the SWASHES compilation,
 * Delestre et al. 2013, Int. J. Numer. Meth. Fluids 72, §4.1.1).
 *
 * Like is compared with like: Ritter's depth goes to zero at the front, so the model's front is
 * its 1 cm contour (the furthest cell deeper than 1 cm, the model's wet threshold) and it is
 * compared with the point where Ritter's depth is 1 cm, ξ = (2·c0 − √(9g·0.01))·t, 133 m after
 * 25 s — not with the zero-depth front at 2·c0·t (157 m), which a contour cannot reach.
 *
 * Tolerances. SWASHES gives the solution and the measure (the error norms of depth against it)
 * but no acceptance limits, and no limit for this configuration was found to cite, so the bounds
 * below are the present errors rounded up a little (each comment says the present value): they
 * catch a regression, and docs/flood.md states the errors as the scheme's known limits.
 */
const G = 9.81;
const NCOLS = 700;
const DAM = 200;
const H0 = 1;
const T = 25;
const C0 = Math.sqrt(G * H0);
const CONTOUR_M = 0.01;

async function damBreak(scheme: FloodScheme): Promise<FloodResult> {
  const nrows = 3;
  const depth = new Float64Array(NCOLS * nrows);
  for (let r = 0; r < nrows; r++) for (let c = 0; c < DAM; c++) depth[r * NCOLS + c] = H0;
  return runFlood(
    problem({ ncols: NCOLS, nrows, cellSizeM: 1, bedM: new Float64Array(NCOLS * nrows), manningN: 0, initialDepthM: depth }, {}, { durationS: T, wetDepthM: 0.001, scheme }),
  );
}

/** Ritter's depth at ξ (m from the dam) and time t. */
function ritter(xi: number, t: number): number {
  if (xi <= -C0 * t) return H0;
  if (xi >= 2 * C0 * t) return 0;
  return (2 * C0 - xi / t) ** 2 / (9 * G);
}

/** Where Ritter's depth is `depthM` at time t (ξ, m). */
const ritterContour = (depthM: number, t: number): number => (2 * C0 - Math.sqrt(9 * G * depthM)) * t;

/** ξ of the downstream face of the model's 1 cm contour cell (cells are 1 m, the dam on the face west of column DAM). */
const contourXi = (r: FloodResult): number => frontColumn(r.finalDepthM, NCOLS, 1, CONTOUR_M) + 1 - DAM;

/** Depth errors (m) against Ritter's, cell by cell over [ξ0, ξ1] along the middle row. */
function profileErrors(r: FloodResult, xi0: number, xi1: number): { maxAbs: number; relativeL1: number; worstXi: number } {
  let maxAbs = 0;
  let worstXi = 0;
  let errorSum = 0;
  let exactSum = 0;
  for (let c = DAM + Math.floor(xi0); c < DAM + Math.ceil(xi1); c++) {
    const exact = ritter(c + 0.5 - DAM, T);
    const e = Math.abs(r.finalDepthM[NCOLS + c]! - exact);
    errorSum += e;
    exactSum += exact;
    if (e > maxAbs) {
      maxAbs = e;
      worstXi = c + 0.5 - DAM;
    }
  }
  return { maxAbs, relativeL1: errorSum / exactSum, worstXi };
}

describe('dam break (Ritter)', () => {
  it('with the convective term: the 1 cm contour, the profile up to it and the head against Ritter', async () => {
    const r = await damBreak('inertial-advection');
    const exactContour = ritterContour(CONTOUR_M, T);
    // The 1 cm contour runs 23 % ahead (164 m against 133 m): the scheme's tip is a 6–7 cm shelf
    // where Ritter's depth thins to zero (a known limit, docs/flood.md).
    const contourError = (contourXi(r) - exactContour) / exactContour;
    expect(contourError).toBeGreaterThan(0);
    expect(contourError).toBeLessThan(0.25);
    // The whole profile from the rarefaction head to Ritter's 1 cm point, every cell: relative L1
    // error 4.9 % now, largest single error 5.3 cm of h0 = 1 m (the shelf, at Ritter's 1 cm point).
    const whole = profileErrors(r, -C0 * T, exactContour);
    expect(whole.relativeL1).toBeLessThan(0.06);
    expect(whole.maxAbs, `worst at ξ = ${whole.worstXi} m`).toBeLessThan(0.06 * H0);
    // Up to the middle of the rarefaction (ξ ≤ 0.5·c0·t) the depths are within 3 cm.
    expect(profileErrors(r, -0.9 * C0 * T, 0.5 * C0 * T).maxAbs).toBeLessThan(0.03 * H0);
    // The upstream head: the first cell lowered by more than 1 cm, at −c0·t within 15 % (the
    // θ-weighting smears the head over a few cells; 12 % here).
    let head = 0;
    while (r.finalDepthM[NCOLS + head]! >= H0 - 0.01) head++;
    expect(Math.abs(head - DAM + C0 * T) / (C0 * T)).toBeLessThan(0.15);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-12);
    for (const v of r.finalDepthM) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('without it (plain local inertial) the 1 cm contour lags far behind, as de Almeida & Bates (2013) report', async () => {
    const r = await damBreak('inertial');
    // 51 m against Ritter's 133 m: 0.38.
    const ratio = contourXi(r) / ritterContour(CONTOUR_M, T);
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(0.5);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-12);
  });
});
