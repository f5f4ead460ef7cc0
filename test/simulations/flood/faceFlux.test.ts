import { describe, expect, it } from 'vitest';
import { cubeRootF32, FACE_DEPTH_EPS_M } from '../../../simulations/flood/faceFlux';

describe('the friction term’s cube root (cubeRootF32)', () => {
  it('is ∛x to float32 precision over the face depths the solver meets, and a float32', () => {
    // Log-uniform from the wet-face threshold to 1 km, deterministic (a fixed LCG).
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    let worst = 0;
    let notFloat32 = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = FACE_DEPTH_EPS_M * 10 ** (7 * next());
      const r = cubeRootF32(x);
      if (Math.fround(r) !== r) notFloat32++;
      worst = Math.max(worst, Math.abs(r / Math.cbrt(x) - 1));
    }
    expect(notFloat32).toBe(0);
    // Two Halley steps from the bit-pattern guess: a few float32 roundings (2^-24 ≈ 6e-8 each).
    expect(worst).toBeLessThan(3e-7);
    expect(worst).toBeGreaterThan(0); // float32, not Math.cbrt
    // The kernel's stand-in depth on dry faces, and exact cubes.
    expect(cubeRootF32(1)).toBe(1);
    expect(cubeRootF32(8)).toBe(2);
    expect(Math.abs(cubeRootF32(27) - 3)).toBeLessThan(3 * 2 ** -23);
  });
});
