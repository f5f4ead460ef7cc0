import { describe, expect, it } from 'vitest';
import {
  areaM2,
  criticalDepthM,
  fullFlowM3s,
  fullDepthM,
  G,
  hydraulicRadiusM,
  normalDepthM,
  slotGeometryAt,
  slotHydraulicRadiusM,
  slotWidthM,
  surfaceWidthM,
  topWidthM,
  wettedPerimeterM,
} from '../../../simulations/drainage/crossSection';
import type { CrossSection } from '../../../simulations/drainage/network';

const circle: CrossSection = { shape: 'circular', diameterM: 1.2 };
const trapezoid: CrossSection = { shape: 'trapezoidal', heightM: 2, bottomWidthM: 3, leftSlope: 2, rightSlope: 1 };

describe('cross-section geometry', () => {
  it('gives a circle its textbook half-full and full values', () => {
    expect(areaM2(circle, 0.6)).toBeCloseTo((Math.PI * 1.2 * 1.2) / 8, 12);
    expect(wettedPerimeterM(circle, 0.6)).toBeCloseTo((Math.PI * 1.2) / 2, 12);
    expect(topWidthM(circle, 0.6)).toBeCloseTo(1.2, 12);
    expect(hydraulicRadiusM(circle, 1.2)).toBeCloseTo(0.3, 12); // D/4
    expect(topWidthM(circle, 1.2)).toBe(0);
  });

  it('gives a trapezoid A = (b + ½(m₁+m₂)y)·y and P = b + y(√(1+m₁²) + √(1+m₂²))', () => {
    expect(areaM2(trapezoid, 1)).toBeCloseTo(3 + 1.5, 12);
    expect(wettedPerimeterM(trapezoid, 1)).toBeCloseTo(3 + Math.sqrt(5) + Math.sqrt(2), 12);
    expect(topWidthM(trapezoid, 1)).toBeCloseTo(6, 12);
  });

  it('wets the roof of a closed rectangle only when it runs full', () => {
    const box: CrossSection = { shape: 'rect-closed', heightM: 1, widthM: 2 };
    expect(wettedPerimeterM(box, 0.5)).toBeCloseTo(3, 12);
    expect(wettedPerimeterM(box, 1)).toBeCloseTo(6, 12);
  });

  it('opens the Preissmann slot at the crown cutoff with Sjöberg’s width and narrows it to 1 % of the width', () => {
    expect(slotWidthM(circle, 0.9)).toBe(0);
    expect(slotWidthM(circle, 1.2)).toBeCloseTo(1.2 * 0.5423 * Math.exp(-1), 12);
    expect(slotWidthM(circle, 1.2 * 2)).toBeCloseTo(0.012, 12);
    expect(slotWidthM({ shape: 'rect-open', heightM: 1, widthM: 2 }, 3)).toBe(0);
  });

  it('finds critical depth where Q²·T = g·A³ and normal depth where Manning gives Q', () => {
    for (const section of [circle, trapezoid]) {
      const q = 0.8;
      const yc = criticalDepthM(section, q);
      expect((q * q * topWidthM(section, yc)) / (G * areaM2(section, yc) ** 3)).toBeCloseTo(1, 6);
      const yn = normalDepthM(section, 0.014, 0.003, q);
      const manning = (areaM2(section, yn) * hydraulicRadiusM(section, yn) ** (2 / 3) * Math.sqrt(0.003)) / 0.014;
      expect(manning).toBeCloseTo(q, 8);
    }
    // Half full carries half the full flow in a circle.
    const qf = fullFlowM3s(circle, 0.013, 0.002);
    expect(normalDepthM(circle, 0.013, 0.002, qf / 2)).toBeCloseTo(0.6, 6);
  });

  it('solves to the same depth from any guess, over flows from a trickle to past full', () => {
    const box: CrossSection = { shape: 'rect-closed', widthM: 2, heightM: 1.5 };
    for (const section of [circle, trapezoid, box]) {
      for (let k = -5; k <= 1.5; k += 0.25) {
        const q = 10 ** k;
        const yc = criticalDepthM(section, q);
        const yn = normalDepthM(section, 0.014, 0.003, q);
        // Guesses near the answer (the last step's), far below and far above it.
        for (const factor of [0.999, 1.01, 0.1, 3]) {
          expect(Math.abs(criticalDepthM(section, q, yc * factor) - yc)).toBeLessThan(1e-9);
          expect(Math.abs(normalDepthM(section, 0.014, 0.003, q, yn * factor) - yn)).toBeLessThan(1e-9);
        }
        if (yc < 0.99 * fullDepthM(section)) {
          const t = topWidthM(section, yc);
          expect((q * q * t) / (G * areaM2(section, yc) ** 3)).toBeCloseTo(1, 6);
        }
      }
    }
  });

  it('gives the momentum equation the same area, radius and width in one call as the three functions, bit for bit', () => {
    const rect: CrossSection = { shape: 'rect-closed', widthM: 2, heightM: 1.5 };
    for (const section of [circle, trapezoid, rect]) {
      const full = fullDepthM(section);
      const out = { areaM2: Number.NaN, hydraulicRadiusM: Number.NaN, surfaceWidthM: Number.NaN };
      // Dry, inside, at and above the crown (the slot), far above it.
      for (const y of [-0.1, 0, 1e-6, 0.013, 0.3 * full, 0.5 * full, 0.9 * full, 0.985 * full, 0.999 * full, full, 1.2 * full, 1.78 * full, 3 * full]) {
        slotGeometryAt(section, y, out);
        expect(Object.is(out.areaM2, areaM2(section, y)), `${section.shape} area at ${y}`).toBe(true);
        expect(Object.is(out.hydraulicRadiusM, slotHydraulicRadiusM(section, y)), `${section.shape} radius at ${y}`).toBe(true);
        expect(Object.is(out.surfaceWidthM, surfaceWidthM(section, y)), `${section.shape} width at ${y}`).toBe(true);
      }
    }
  });
});
