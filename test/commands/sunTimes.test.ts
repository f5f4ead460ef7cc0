/**
 * The sun-position core against published times, and the schedule's nights built on it.
 * Reference: the Guangzhou astronomy bulletin quoted in the press for 2020 — the year's latest
 * sunset on 3 July at 19:16:52 and its earliest on 28 November at 17:40:22 (China Standard
 * Time), for Guangzhou (23.13° N, 113.26° E); NOAA's solar calculator gives the same to the minute.
 */
import { describe, expect, it } from 'vitest';
import { dueEvents, nightEvents } from '../../server/commands/schedule/scheduleEvents';
import { sunTimes } from '../../server/commands/schedule/sunTimes';

const GUANGZHOU = { lat: 23.13, lon: 113.26 };
const CST = 8 * 3_600_000;
const cst = (iso: string): number => Date.parse(`${iso}+08:00`);
const TWO_MIN = 2 * 60_000;

describe('sunTimes', () => {
  it('gives Guangzhou sunsets within 2 minutes of the published ones', () => {
    const july = sunTimes(Date.parse('2020-07-03T00:00:00Z'), GUANGZHOU.lat, GUANGZHOU.lon);
    expect(Math.abs(july.sunsetMs! - cst('2020-07-03T19:16:52'))).toBeLessThan(TWO_MIN);
    const november = sunTimes(Date.parse('2020-11-28T00:00:00Z'), GUANGZHOU.lat, GUANGZHOU.lon);
    expect(Math.abs(november.sunsetMs! - cst('2020-11-28T17:40:22'))).toBeLessThan(TWO_MIN);
  });

  it('puts solar noon between sunrise and sunset, and reports no sunset in the polar day', () => {
    const t = sunTimes(Date.parse('2026-03-20T00:00:00Z'), GUANGZHOU.lat, GUANGZHOU.lon);
    expect(t.sunriseMs! < t.solarNoonMs && t.solarNoonMs < t.sunsetMs!).toBe(true);
    // Near the equinox day and night are nearly equal: 12 h 8 min with refraction.
    expect((t.sunsetMs! - t.sunriseMs!) / 3_600_000).toBeCloseTo(12.13, 1);
    const svalbard = sunTimes(Date.parse('2026-06-21T00:00:00Z'), 78.2, 15.6);
    expect(svalbard.sunsetMs).toBeUndefined();
  });
});

describe('schedule nights', () => {
  const schedule = { onOffsetMin: 10, offOffsetMin: -15, dimming: [{ at: '23:00', percent: 50 }, { at: '01:00', percent: 30 }, { at: '12:00', percent: 10 }] };

  it('switches on after sunset, dims at the clock times of that night, switches off before sunrise', () => {
    const midnight = Date.parse('2020-07-03T00:00:00Z') - CST;
    const events = nightEvents(schedule, midnight, GUANGZHOU);
    expect(events.map((e) => e.label)).toEqual(['on', '23:00', '01:00', 'off']);
    expect(Math.abs(events[0]!.at - (cst('2020-07-03T19:16:52') + 10 * 60_000))).toBeLessThan(TWO_MIN);
    expect(events[1]!.at).toBe(cst('2020-07-03T23:00:00'));
    expect(events[2]!.at).toBe(cst('2020-07-04T01:00:00'));
    expect(events[3]!.command).toEqual({ command: 'switch', on: false });
    // The noon step falls outside the night and is dropped.
  });

  it('returns each event once across consecutive windows', () => {
    const start = cst('2020-07-03T12:00:00');
    const hourly = Array.from({ length: 48 }, (_, i) => dueEvents(schedule, start + i * 3_600_000, start + (i + 1) * 3_600_000, GUANGZHOU)).flat();
    expect(hourly.map((e) => e.label)).toEqual(['on', '23:00', '01:00', 'off', 'on', '23:00', '01:00', 'off']);
  });
});
