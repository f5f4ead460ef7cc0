import { describe, expect, it } from 'vitest';
import type { FloodProblem } from '../../../simulations/flood/floodProblem';
import { runFlood } from '../../../simulations/flood/runFlood';
import { hillyBed, problem } from './floodCases';

/** A closed basin of hills with obstacles, rain and a point inflow hydrograph. */
function closedBasin(): FloodProblem {
  const ncols = 40;
  const nrows = 30;
  const blocked = new Uint8Array(ncols * nrows);
  for (let r = 10; r < 16; r++) for (let c = 20; c < 26; c++) blocked[r * ncols + c] = 1;
  return problem(
    { ncols, nrows, cellSizeM: 5, bedM: hillyBed(ncols, nrows), manningN: 0.035, blocked },
    {
      rain: { kind: 'series', series: { seconds: [0, 600, 1200], values: [20, 120, 0] } },
      inflows: [{ row: 10, col: 10, dischargeM3s: { seconds: [0, 600, 1200], values: [0, 5, 0] } }],
    },
    { durationS: 1200, snapshotTimesS: [600, 1200] },
  );
}

describe('mass balance', () => {
  it('conserves water to rounding in a closed basin with rain and an inflow', async () => {
    const p = closedBasin();
    const r = await runFlood(p);
    // Rain: trapezoid of 20 → 120 → 0 mm/h over 1200 s on the open cells.
    const openCells = 40 * 30 - 36;
    const rainM = ((20 + 120) / 2 / 3.6e6) * 600 + (120 / 2 / 3.6e6) * 600;
    expect(r.volumesM3.rain).toBeCloseTo(rainM * openCells * 25, 0);
    expect(r.volumesM3.inflow).toBeCloseTo(5 * 600, 0); // triangle: ½ · 1200 s · 5 m³/s
    expect(r.volumesM3.outflow).toBe(0);
    expect(r.volumesM3.final).toBeGreaterThan(0.99 * (r.volumesM3.rain + r.volumesM3.inflow));
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-12);
    expect(r.snapshots.map((s) => s.timeS)).toEqual([600, 1200]);
  });

  it('takes drainage out of the balance', async () => {
    const p = closedBasin();
    p.forcing.drainageMmPerHour = 30;
    const r = await runFlood(p);
    expect(r.volumesM3.drainage).toBeGreaterThan(0);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-12);
  });

  it('gives the same depths on two worker threads as on one', async () => {
    const one = await runFlood(closedBasin(), { threads: 1 });
    const two = await runFlood(closedBasin(), { threads: 2 });
    expect(two.threads).toBe(2);
    expect(two.steps).toBe(one.steps);
    expect(Array.from(two.finalDepthM)).toEqual(Array.from(one.finalDepthM));
    expect(Array.from(two.maxSpeedMs)).toEqual(Array.from(one.maxSpeedMs));
    expect(Array.from(two.arrivalS)).toEqual(Array.from(one.arrivalS));
    expect(Array.from(two.snapshots[0]!.depthM)).toEqual(Array.from(one.snapshots[0]!.depthM));
    // Volume sums add up per thread, so only their rounding may differ.
    expect(two.volumesM3.final).toBeCloseTo(one.volumesM3.final, 6);
  });

  it('gives the same depths on two threads with level, free and flow edges', async () => {
    const withEdges = (): FloodProblem => {
      const p = closedBasin();
      p.forcing.boundaries = {
        north: { type: 'level', levelM: { seconds: [0, 900], values: [1.8, 2.2] } },
        east: { type: 'free' },
        south: { type: 'flow', dischargeM3s: { seconds: [0], values: [3] } },
      };
      return p;
    };
    const one = await runFlood(withEdges(), { threads: 1 });
    const two = await runFlood(withEdges(), { threads: 2 });
    expect(one.volumesM3.outflow).toBeGreaterThan(0);
    expect(Array.from(two.finalDepthM)).toEqual(Array.from(one.finalDepthM));
    expect(Math.abs(two.massBalanceError)).toBeLessThan(1e-12);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runFlood(closedBasin(), { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});
