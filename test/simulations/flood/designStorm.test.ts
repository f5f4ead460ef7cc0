import { describe, expect, it } from 'vitest';
import { chicagoIntensityMmPerHour, chicagoTotalMm, DEFAULT_INTENSITY_FORMULA, type ChicagoStorm } from '../../../simulations/flood/designStorm';

describe('Chicago design storm', () => {
  const storm: ChicagoStorm = { returnPeriodYears: 50, durationMinutes: 60, peakRatio: 0.4, formula: DEFAULT_INTENSITY_FORMULA };

  it('holds the intensity formula depth over the storm and peaks at r·T', () => {
    let mm = 0;
    let peakAt = 0;
    let peak = 0;
    const dt = 1;
    for (let t = 0; t < 3600; t += dt) {
      const i = chicagoIntensityMmPerHour(storm, t + dt / 2);
      mm += (i * dt) / 3600;
      if (i > peak) {
        peak = i;
        peakAt = t;
      }
    }
    // A'·T/(T + b)^n with A' = A(1 + C lg 50): about 80 mm for this formula.
    expect(mm).toBeCloseTo(chicagoTotalMm(storm), 0);
    expect(chicagoTotalMm(storm)).toBeGreaterThan(70);
    expect(Math.abs(peakAt - 0.4 * 3600)).toBeLessThanOrEqual(1);
    expect(chicagoIntensityMmPerHour(storm, 3601)).toBe(0);
  });

  it('rains more for a rarer storm', () => {
    expect(chicagoTotalMm({ ...storm, returnPeriodYears: 100 })).toBeGreaterThan(chicagoTotalMm({ ...storm, returnPeriodYears: 2 }));
  });
});
