import { describe, expect, it } from 'vitest';
import { runFlood } from '../../../simulations/flood/runFlood';
import { frontColumn, problem } from './floodCases';

/**
 * Hunter et al. (2005), as used by Bates et al. (2010) and de Almeida et al. (2012): a wave
 * advancing at constant speed u over a flat, rough plane, where friction balances the
 * pressure gradient:  h(x, t) = [ (7/3)·(C − n²·u²·(x − u·t)) ]^(3/7), here with C = 0, so the
 * front is at x = u·t. The upstream edge is held at h(0, t) by a time-varying level boundary.
 */
const U = 1;
const N = 0.01;
const hunterDepth = (x: number, t: number): number => {
  const v = (7 / 3) * -(N * N * U * U * (x - U * t));
  return v > 0 ? v ** (3 / 7) : 0;
};

describe('planar wave (Hunter et al. 2005)', () => {
  it('matches the analytical depth profile after an hour', async () => {
    const ncols = 100;
    const nrows = 3;
    const dx = 50;
    const seconds: number[] = [];
    const values: number[] = [];
    for (let t = 0; t <= 3600; t += 10) {
      seconds.push(t);
      // The ghost cell beyond the edge sits half a cell upstream of x = 0.
      values.push(hunterDepth(-dx / 2, t));
    }
    const T = 3600;
    const r = await runFlood(
      problem(
        { ncols, nrows, cellSizeM: dx, bedM: new Float64Array(ncols * nrows), manningN: N },
        { boundaries: { west: { type: 'level', levelM: { seconds, values } } } },
        { durationS: T, wetDepthM: 0.001 },
      ),
    );
    // The analytical profile neglects inertia (friction balances the slope); the scheme runs
    // slightly ahead of it, most where the profile steepens towards the front.
    let worstNear = 0;
    let worstFar = 0;
    // The last 600 m before the front, where the depth falls to zero (relative errors blow up
    // there): the error against the depth at the inflow, h(0, T).
    let worstTail = 0;
    const hInflow = hunterDepth(0, T);
    for (let c = 0; c < ncols; c++) {
      const x = (c + 0.5) * dx;
      const exact = hunterDepth(x, T);
      for (let row = 0; row < nrows; row++) expect(r.finalDepthM[row * ncols + c]).toBeCloseTo(r.finalDepthM[ncols + c]!, 6);
      const relative = Math.abs(r.finalDepthM[ncols + c]! - exact) / exact;
      if (x <= 2500) worstNear = Math.max(worstNear, relative);
      else if (x <= 3000) worstFar = Math.max(worstFar, relative);
      else if (x <= U * T) worstTail = Math.max(worstTail, Math.abs(r.finalDepthM[ncols + c]! - exact) / hInflow);
    }
    expect(worstNear).toBeLessThan(0.05);
    expect(worstFar).toBeLessThan(0.12);
    // Ahead of the profile there: 10.7 % of h(0, T) at most now (21 cm against 11 cm, 25 m
    // before u·t), since the scheme's front runs ahead of u·t (below).
    expect(worstTail).toBeLessThan(0.12);
    // The front (the last cell over 1 cm; Hunter's 1 cm point is 9 cm behind u·t) is within 6 % of
    // u·t (5.6 % ahead now).
    const front = (frontColumn(r.finalDepthM, ncols, 1, 0.01) + 1) * dx;
    expect(Math.abs(front - U * T) / (U * T)).toBeLessThan(0.06);
    // What entered through the level boundary is what is on the plane.
    expect(r.volumesM3.inflow).toBeGreaterThan(0);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-12);
  });
});
