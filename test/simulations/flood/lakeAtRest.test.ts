import { describe, expect, it } from 'vitest';
import { runFlood } from '../../../simulations/flood/runFlood';
import { hillyBed, problem } from './floodCases';

describe('lake at rest', () => {
  // Both schemes, on the WebAssembly kernel (runFlood's default).
  it.each(['inertial-advection', 'inertial'] as const)('keeps a still lake over hills (with islands) still, to rounding (%s)', async (scheme) => {
    const ncols = 40;
    const nrows = 30;
    const bed = hillyBed(ncols, nrows);
    const level = 1.5;
    const depth = bed.map((z) => Math.max(level - z, 0));
    expect(depth.some((h) => h === 0)).toBe(true); // some hill tops stand out of the water
    const blocked = new Uint8Array(ncols * nrows);
    blocked[10 * ncols + 10] = 1; // an obstacle in the water changes nothing either
    depth[10 * ncols + 10] = 0;
    const result = await runFlood(problem({ ncols, nrows, cellSizeM: 10, bedM: bed, manningN: 0.03, initialDepthM: depth, blocked }, {}, { durationS: 1800, scheme }));
    expect(result.steps).toBeGreaterThan(500);
    for (let i = 0; i < depth.length; i++) {
      if (blocked[i]) {
        expect(result.finalDepthM[i]).toBeNaN();
        continue;
      }
      // Outputs are float32: compare with the starting depth rounded the same way.
      expect(Math.abs(result.finalDepthM[i]! - Math.fround(depth[i]!))).toBeLessThanOrEqual(1e-6);
    }
    expect(Math.max(...result.maxSpeedMs.filter(Number.isFinite))).toBeLessThan(1e-9);
    expect(Math.abs(result.massBalanceError)).toBeLessThan(1e-12);
  });
});
