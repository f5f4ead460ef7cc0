import { describe, expect, it } from 'vitest';
import { runFlood } from '../../../simulations/flood/runFlood';
import { problem } from './floodCases';

/** A 30 × 10 plane sloping down to the east by 1 %. */
function slope(ncols = 30, nrows = 10, dx = 10): Float64Array {
  const bed = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) bed[r * ncols + c] = 0.01 * (ncols - c) * dx;
  return bed;
}

describe('edge boundaries', () => {
  it('drains water through a free outflow edge and keeps the balance', async () => {
    const bed = slope();
    const depth = new Float64Array(bed.length).fill(0.3);
    const closed = await runFlood(problem({ ncols: 30, nrows: 10, cellSizeM: 10, bedM: bed, manningN: 0.03, initialDepthM: depth }, {}, { durationS: 1200 }));
    const free = await runFlood(
      problem({ ncols: 30, nrows: 10, cellSizeM: 10, bedM: bed, manningN: 0.03, initialDepthM: depth }, { boundaries: { east: { type: 'free' } } }, { durationS: 1200 }),
    );
    expect(closed.volumesM3.outflow).toBe(0);
    expect(closed.volumesM3.final).toBeCloseTo(closed.volumesM3.initial, 6);
    expect(free.volumesM3.outflow).toBeGreaterThan(0.8 * free.volumesM3.initial);
    expect(free.volumesM3.final).toBeLessThan(0.2 * free.volumesM3.initial);
    expect(Math.abs(free.massBalanceError)).toBeLessThan(1e-12);
  });

  it('fills a basin to a fixed boundary level and no higher', async () => {
    const ncols = 20;
    const nrows = 8;
    const bed = new Float64Array(ncols * nrows).fill(0);
    const r = await runFlood(
      problem({ ncols, nrows, cellSizeM: 10, bedM: bed, manningN: 0.03 }, { boundaries: { west: { type: 'level', levelM: { seconds: [0], values: [0.5] } } } }, { durationS: 3 * 3600 }),
    );
    for (let i = 0; i < bed.length; i++) expect(r.finalDepthM[i]).toBeCloseTo(0.5, 2);
    // Net of the water that sloshed in and out while the basin filled.
    expect(r.volumesM3.inflow - r.volumesM3.outflow).toBeCloseTo(0.5 * ncols * nrows * 100, -1);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-12);
  });

  it('follows a falling tide level back out', async () => {
    const bed = new Float64Array(20 * 8).fill(0);
    const tide = { seconds: [0, 3600, 7200], values: [0.8, 0.8, 0] };
    const r = await runFlood(problem({ ncols: 20, nrows: 8, cellSizeM: 10, bedM: bed, manningN: 0.03 }, { boundaries: { north: { type: 'level', levelM: tide } } }, { durationS: 3 * 3600, snapshotTimesS: [3600] }));
    expect(r.snapshots[0]!.depthM[7 * 20 + 10]).toBeGreaterThan(0.7);
    expect(r.volumesM3.outflow).toBeGreaterThan(0.5 * r.volumesM3.inflow);
    expect(r.maxDepthOverallM).toBeGreaterThan(0.75);
  });

  it('spreads a flow boundary discharge along its edge', async () => {
    const bed = new Float64Array(20 * 8).fill(0);
    const r = await runFlood(problem({ ncols: 20, nrows: 8, cellSizeM: 10, bedM: bed, manningN: 0.03 }, { boundaries: { south: { type: 'flow', dischargeM3s: { seconds: [0], values: [2] } } } }, { durationS: 600 }));
    expect(r.volumesM3.inflow).toBeCloseTo(2 * 600, 3);
    expect(r.volumesM3.final).toBeCloseTo(1200, 3);
    expect(r.arrivalS[7 * 20 + 3]).toBeLessThan(r.arrivalS[0]!);
  });

  for (const scheme of ['inertial-advection', 'inertial'] as const) {
    it(`lets a deep sea in over a dry harbour without pumping it up (${scheme})`, async () => {
      // A harbour 6 m below the sea level at the south edge, a ramp at its north end; dry at the
      // start, as a DEM whose sea is not prefilled. The ghost water must count in the first
      // step's Δt and the edge faces' velocities must be the flow's: before, the sea poured in
      // as a pump, 347 m above its level here (376 m deep on the demo's DEM).
      const ncols = 20;
      const nrows = 30;
      const bed = new Float64Array(ncols * nrows);
      for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) bed[r * ncols + c] = r >= 10 ? -6 : -6 + 0.8 * (10 - r);
      const res = await runFlood(
        problem({ ncols, nrows, cellSizeM: 5, bedM: bed, manningN: 0.03 }, { boundaries: { south: { type: 'level', levelM: { seconds: [0], values: [0] } } } }, { durationS: 1800, scheme }),
      );
      let peakSurfaceM = -Infinity;
      for (let i = 0; i < bed.length; i++) if (res.maxDepthM[i]! > 0) peakSurfaceM = Math.max(peakSurfaceM, res.maxDepthM[i]! + bed[i]!);
      // The inflow surges past the sea level and sloshes back (a U-tube's overshoot; 5.1 m with
      // the inertial scheme, 9.2 m with the convective term), never by tens of metres.
      expect(peakSurfaceM).toBeLessThan(10);
      // After half an hour the harbour stands near the sea level, all of it wet.
      for (let r = 10; r < nrows; r++) for (let c = 0; c < ncols; c++) expect(Math.abs(res.finalDepthM[r * ncols + c]! - 6)).toBeLessThan(0.25);
      expect(Math.abs(res.massBalanceError)).toBeLessThan(1e-12);
    });
  }
});
