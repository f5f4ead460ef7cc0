/**
 * The energy integration core (server/energy/integrate.ts): step and trapezoid over readings,
 * silences longer than the hold counted as gaps, a switched-off lamp held at zero however long it
 * stays quiet, rollup buckets, and the lighting day's window and night.
 */
import { describe, expect, it } from 'vitest';
import { integrateBuckets, integrateReadings, type IntegrateOptions } from '../../server/energy/integrate';
import { addDays, lightingDay, lightingDayOf } from '../../server/energy/lightingDay';
import { sunTimes } from '../../server/commands/schedule/sunTimes';

const MIN = 60_000;
const H = 3_600_000;
const step: IntegrateOptions = { method: 'step', maxHoldMs: 5 * MIN, offAtOrBelowW: 2 };
const trapezoid: IntegrateOptions = { ...step, method: 'trapezoid' };

/** Readings every 30 s from t0 for n readings, at w(i) watts. */
const every30s = (t0: number, n: number, w: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ t: t0 + i * 30_000, w: w(i) }));

describe('integrateReadings', () => {
  it('holds each reading until the next: 200 W for an hour is 200 Wh, covered whole', () => {
    const r = integrateReadings(every30s(0, 121, () => 200), 0, H, step);
    expect(r.wh).toBeCloseTo(200, 9);
    expect(r.coveredMs).toBe(H);
    expect(r.gapMs).toBe(0);
    expect(r.litMs).toBe(H);
  });

  it('steps at a switch: 200 W for 20 min then off is 66.7 Wh; the trapezoid ramps across the 30 s between', () => {
    const readings = every30s(0, 121, (i) => (i < 40 ? 200 : 0));
    expect(integrateReadings(readings, 0, H, step).wh).toBeCloseTo((200 * 20) / 60, 9);
    // The line from 200 W at 19:30 to 0 W at 20:00 counts half of 200 W × 30 s there.
    const t = integrateReadings(readings, 0, H, trapezoid);
    expect(t.wh).toBeCloseTo((200 * 19.5) / 60 + (100 * 0.5) / 60, 9);
    expect(integrateReadings(readings, 0, H, step).litMs).toBe(20 * MIN);
  });

  it('interpolates a drifting power with the trapezoid exactly (a linear ramp)', () => {
    // 10 → 130 W linearly over an hour, read every 30 s: the integral is 70 Wh; a step undercounts
    // by half a 1 W rise over each of the 120 intervals of 30 s.
    const readings = every30s(0, 121, (i) => 10 + i);
    expect(integrateReadings(readings, 0, H, trapezoid).wh).toBeCloseTo(70, 9);
    expect(integrateReadings(readings, 0, H, step).wh).toBeCloseTo(70 - 0.5, 9);
  });

  it('counts a silence longer than the hold as a gap, not as energy', () => {
    // On at 100 W, reporting, then silent from 10 min to 40 min, then reporting again.
    const readings = [...every30s(0, 21, () => 100), ...every30s(40 * MIN, 41, () => 100)];
    const r = integrateReadings(readings, 0, H, step);
    // Held 5 min past the last reading at 10:00, then 25 min unknown.
    expect(r.gapMs).toBe(25 * MIN);
    expect(r.coveredMs).toBe(35 * MIN);
    expect(r.wh).toBeCloseTo((100 * 35) / 60, 9);
    // The trapezoid does not bridge a gap either.
    expect(integrateReadings(readings, 0, H, trapezoid).gapMs).toBe(25 * MIN);
  });

  it('holds a switched-off lamp at its standby across any silence, and counts it unlit', () => {
    // Off (0.8 W standby) at 0, nothing for 50 min, on at 100 W at 50 min.
    const readings = [{ t: 0, w: 0.8 }, ...every30s(50 * MIN, 21, () => 100)];
    const r = integrateReadings(readings, 0, H, step);
    expect(r.gapMs).toBe(0);
    expect(r.wh).toBeCloseTo((0.8 * 50) / 60 + (100 * 10) / 60, 9);
    expect(r.litMs).toBe(10 * MIN);
  });

  it('uses a reading before the window as its lead-in, and leaves the time before any reading as a gap', () => {
    const lead = integrateReadings([{ t: -MIN, w: 60 }, { t: 2 * MIN, w: 60 }], 0, 3 * MIN, step);
    expect(lead.wh).toBeCloseTo(3, 9);
    expect(lead.gapMs).toBe(0);
    const none = integrateReadings([{ t: 2 * MIN, w: 60 }], 0, 3 * MIN, step);
    expect(none.gapMs).toBe(2 * MIN);
    expect(none.wh).toBeCloseTo(1, 9);
  });

  it('an empty series or an empty window is all gap and no energy', () => {
    expect(integrateReadings([], 0, H, step)).toEqual({ wh: 0, coveredMs: 0, gapMs: H, litMs: 0 });
    expect(integrateReadings(every30s(0, 3, () => 5), H, H, step).wh).toBe(0);
  });
});

describe('integrateBuckets', () => {
  it('agrees with the readings when every minute has its bucket', () => {
    // 1-minute buckets of the readings of the switch test: 200 W for 20 min, then off.
    const buckets = Array.from({ length: 60 }, (_, m) => ({ t: m * MIN, mean: m < 20 ? 200 : 0, last: m < 20 ? 200 : 0 }));
    const r = integrateBuckets(buckets, MIN, 0, H, step);
    expect(r.wh).toBeCloseTo((200 * 20) / 60, 9);
    expect(r.coveredMs).toBe(H);
  });

  it('holds a bucket\'s last reading into missing minutes up to the hold, then a gap; off holds on', () => {
    const lit = integrateBuckets([{ t: 0, mean: 100, last: 120 }, { t: 30 * MIN, mean: 100, last: 100 }], MIN, 0, 31 * MIN, step);
    // Minute 0 at its mean, 5 min held at its last (120 W), 24 min gap, minute 30 at its mean.
    expect(lit.wh).toBeCloseTo(100 / 60 + (120 * 5) / 60 + 100 / 60, 9);
    expect(lit.gapMs).toBe(24 * MIN);
    const off = integrateBuckets([{ t: 0, mean: 50, last: 0 }, { t: 30 * MIN, mean: 0, last: 0 }], MIN, 0, 31 * MIN, step);
    expect(off.gapMs).toBe(0);
    expect(off.wh).toBeCloseTo(50 / 60, 9);
  });
});

describe('lightingDay', () => {
  const place = { lat: 22.78, lon: 113.62 };

  it('runs from local noon to the next local noon and holds that evening\'s sunset and the next sunrise', () => {
    const d = lightingDay('2026-06-21', place);
    expect(new Date(d.from).toISOString()).toBe('2026-06-21T04:00:00.000Z');
    expect(d.to - d.from).toBe(24 * H);
    expect(d.sunset).toBe(sunTimes(Date.parse('2026-06-21T12:00:00Z'), place.lat, place.lon).sunsetMs);
    expect(d.sunrise).toBe(sunTimes(Date.parse('2026-06-22T12:00:00Z'), place.lat, place.lon).sunriseMs);
    // Sunset around 19:1x China time, sunrise around 05:4x: a night of about 10.6 h.
    expect(d.sunset).toBeGreaterThan(d.from);
    expect((d.sunrise - d.sunset) / H).toBeGreaterThan(10);
    expect((d.sunrise - d.sunset) / H).toBeLessThan(11.2);
  });

  it('puts the small hours in the day before (the night started then), and refuses a malformed day by field', () => {
    expect(lightingDayOf(Date.parse('2026-06-22T01:00:00+08:00'), place)).toBe('2026-06-21');
    expect(lightingDayOf(Date.parse('2026-06-22T13:00:00+08:00'), place)).toBe('2026-06-22');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => lightingDay('2026-02-30', place)).toThrow(/day must be a date YYYY-MM-DD/);
  });
});
