/** kernel/solar.ts: the sun's position against published almanac figures and its own invariants. */
import { describe, expect, it } from 'vitest';
import { solarTerms, sunDirectionEnu, sunPosition } from '../../kernel/solar';

describe('solar position', () => {
  it('matches the NOAA calculator at the winter solstice over Dongguan', () => {
    // NOAA solar calculator, 2026-12-21 12:00 UTC+8 at 22.83 N 113.70 E: elevation ≈ 43.6°, azimuth ≈ 178°.
    const noon = sunPosition(Date.UTC(2026, 11, 21, 4, 0), 22.83, 113.7);
    expect(noon.elevationDeg).toBeGreaterThan(43);
    expect(noon.elevationDeg).toBeLessThan(44.2);
    expect(noon.azimuthDeg).toBeGreaterThan(170);
    expect(noon.azimuthDeg).toBeLessThan(185);
    // Declination at the December solstice is the tropic: −23.44°.
    expect((solarTerms(Date.UTC(2026, 11, 21, 12)).declinationRad * 180) / Math.PI).toBeCloseTo(-23.44, 1);
  });

  it('rises in the east, sets in the west and is below the horizon at midnight', () => {
    const morning = sunPosition(Date.UTC(2026, 2, 20, 23, 0), 22.83, 113.7); // 07:00 local, equinox
    expect(morning.azimuthDeg).toBeGreaterThan(80);
    expect(morning.azimuthDeg).toBeLessThan(100);
    const evening = sunPosition(Date.UTC(2026, 2, 20, 10, 30), 22.83, 113.7); // 18:30 local
    expect(evening.azimuthDeg).toBeGreaterThan(260);
    expect(evening.azimuthDeg).toBeLessThan(280);
    expect(sunPosition(Date.UTC(2026, 5, 21, 16, 0), 22.83, 113.7).elevationDeg).toBeLessThan(-30);
  });

  it('gives a unit ENU direction that points south and up at a northern winter noon', () => {
    const d = sunDirectionEnu(sunPosition(Date.UTC(2026, 11, 21, 4, 0), 22.83, 113.7));
    expect(Math.hypot(...d)).toBeCloseTo(1, 12);
    expect(d[1]).toBeLessThan(-0.6);
    expect(d[2]).toBeGreaterThan(0.6);
  });
});
