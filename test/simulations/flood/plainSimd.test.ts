import { describe, expect, it } from 'vitest';
import { cityBed } from '../../../bench/flood';
import { simdKernelModule, simdPlainRun } from '../../../bench/floodSimd';
import { plainRun, plainState, plainVolume } from './plainInertial';

// The flood benchmark's WebAssembly SIMD prototype against the readable kernel it ports: same
// scheme and Δt rule, float32 arithmetic instead of float64 between float32 loads and stores.
describe('the WASM SIMD prototype of the plain kernel', () => {
  it('takes the plain kernel’s steps and gives its volume and depths (to 1e-4 of the deepest), row tails included', async () => {
    // 38 columns: the x- and y-face passes both end in a scalar tail (37 and 38 faces, not multiples of 4).
    const side = 38;
    const dxM = 5;
    const bed = cityBed(side, dxM);
    const rainMs = 60 / 3.6e6;
    const durationS = 300;
    const module = await simdKernelModule();
    const simd = simdPlainRun(module, side, dxM, bed, 0.03, 0.7, 10, rainMs, durationS);
    const plain = plainState(side, side, dxM, bed, new Float64Array(side * side), 0.03);
    const steps = plainRun(plain, 0.7, 10, rainMs, durationS);
    expect(simd.steps).toBe(steps);
    const rained = rainMs * durationS * side * side * dxM * dxM;
    expect(Math.abs(simd.volumeM3 - rained) / rained).toBeLessThan(1e-6);
    expect(Math.abs(simd.volumeM3 - plainVolume(plain)) / rained).toBeLessThan(1e-6);
    const depths = simd.depthM;
    let worst = 0;
    for (let i = 0; i < depths.length; i++) worst = Math.max(worst, Math.abs(depths[i]! - plain.h[i]!));
    expect(plain.hMax).toBeGreaterThan(0.01); // water has gathered: the flows were not trivial
    expect(worst).toBeLessThan(1e-4 * plain.hMax);
  }, 60_000);
});
