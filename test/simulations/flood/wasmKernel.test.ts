import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FloodProblem, FloodScheme } from '../../../simulations/flood/floodProblem';
import { runFlood, type FloodResult } from '../../../simulations/flood/runFlood';
import { buildKernelWasm, kernelWasmUrl } from '../../../simulations/flood/wasmBuild';
import { wasmKernelCounts } from '../../../simulations/flood/wasmKernel';
import { hillyBed, problem } from './floodCases';

// The WebAssembly SIMD sweep against the TypeScript reference kernel it ports (stripeKernel.ts),
// for both schemes: the same float64 operations in the same order (with the advection scheme's
// float32 face velocities and its CFL signal speed, which sets Δt: a difference there changes
// the step count and every depth), so the same answers bit for bit, on a grid with everything the sweep handles — obstacles, per-cell roughness, a point
// inflow, drainage, rain, level, free and flow edges, an odd column count (the SIMD pairs end
// in a single cell; an even count too, where a row's x-faces end in one face and its caps in a
// pair) and bands of unequal height — and single deep columns next to dry cells,
// whose outflows hit the positivity caps (the rows the kernel redoes cell by cell).
function mixedCase(scheme: FloodScheme, ncols: number): FloodProblem {
  const nrows = 29;
  const cells = ncols * nrows;
  const blocked = new Uint8Array(cells);
  const depth = new Float64Array(cells);
  const manning = new Float64Array(cells);
  for (let i = 0; i < cells; i++) {
    if (i % 11 === 3 && i % 3 === 0) blocked[i] = 1;
    if (i % 41 === 7) depth[i] = 1.2;
    else if (i % 5 === 0) depth[i] = 0.02;
    manning[i] = 0.02 + 0.03 * ((i * 7) % 5) / 4;
  }
  return problem(
    { ncols, nrows, cellSizeM: 3, bedM: hillyBed(ncols, nrows), blocked, manningN: manning, initialDepthM: depth },
    {
      rain: { kind: 'uniform', mmPerHour: 120 },
      drainageMmPerHour: 20,
      inflows: [{ row: 6, col: 9, dischargeM3s: { seconds: [0, 60], values: [0.5, 2] } }],
      boundaries: {
        west: { type: 'level', levelM: { seconds: [0, 120], values: [1.9, 2.3] } },
        east: { type: 'free' },
        north: { type: 'flow', dischargeM3s: { seconds: [0], values: [0.8] } },
        south: { type: 'free' },
      },
    },
    { durationS: 150, scheme, snapshotTimesS: [60] },
  );
}

function expectSameGrids(a: FloodResult, b: FloodResult): void {
  expect(a.steps).toBe(b.steps);
  for (const key of ['finalDepthM', 'maxDepthM', 'maxSpeedMs', 'arrivalS', 'durationS', 'maxHazard'] as const) {
    expect(Buffer.from(a[key].buffer).equals(Buffer.from(b[key].buffer)), key).toBe(true);
  }
  expect(Buffer.from(a.snapshots[0]!.depthM.buffer).equals(Buffer.from(b.snapshots[0]!.depthM.buffer))).toBe(true);
}

describe('the WebAssembly flood kernel', () => {
  it.each([
    ['inertial', 37],
    ['inertial-advection', 37],
    ['inertial-advection', 36],
  ] as const)('gives the TypeScript reference kernel’s depths, discharges and outputs bit for bit, on one thread and on two (%s, %i columns)', async (scheme, ncols) => {
    const reference = await runFlood(mixedCase(scheme, ncols), { threads: 1, kernel: 'typescript' });
    const redoneBefore = wasmKernelCounts.rowsRedone;
    const wasm = await runFlood(mixedCase(scheme, ncols), { threads: 1, kernel: 'wasm' });
    // The case reaches the rows where a positivity cap binds and the kernel takes the reference's chain.
    expect(wasmKernelCounts.rowsRedone).toBeGreaterThan(redoneBefore);
    const wasmTwo = await runFlood(mixedCase(scheme, ncols), { threads: 2, kernel: 'wasm' });
    // The default is the WebAssembly kernel.
    const byDefault = await runFlood(mixedCase(scheme, ncols), { threads: 1 });
    expect(reference.volumesM3.outflow).toBeGreaterThan(0);
    expect(reference.volumesM3.drainage).toBeGreaterThan(0);
    expect(reference.maxDepthOverallM).toBeGreaterThan(0.3);
    expectSameGrids(wasm, reference);
    expectSameGrids(wasmTwo, reference);
    expectSameGrids(byDefault, wasm);
    expect(byDefault.volumesM3).toEqual(wasm.volumesM3);
    // The volume sums are taken in another order (two lanes, per row): equal to rounding.
    for (const key of ['rain', 'inflow', 'outflow', 'drainage', 'final'] as const) {
      expect(Math.abs(wasm.volumesM3[key] - reference.volumesM3[key])).toBeLessThanOrEqual(1e-12 * reference.volumesM3[key]);
    }
    expect(Math.abs(wasm.massBalanceError)).toBeLessThan(1e-12);
    expect(Math.abs(wasmTwo.massBalanceError)).toBeLessThan(1e-12);
  }, 60_000);

  it('is committed as built from its source (rebuild with `npx tsx simulations/flood/wasmBuild.ts`)', async () => {
    const committed = await readFile(kernelWasmUrl());
    const built = await buildKernelWasm();
    expect(Buffer.from(built).equals(committed)).toBe(true);
  }, 300_000);
});
