/**
 * The simulator's reading model (pure) and its speed-up rule.
 */
import { describe, expect, it } from 'vitest';
import { validatePayload } from '../../domain/payloads';
import { TERMINAL_TYPES, type TerminalType } from '../../domain/terminals';
import { DEFAULT_MAX_RATE, DEFAULT_SPEEDUP, nominalMessageRate, resolveSpeedup } from '../../server/devices/simulator/DeviceSimulator';
import { rainMmH, readingFor, solarHour, trafficProfile } from '../../server/devices/simulator/readings';

const LON = 113.62;
const SEED = 42;
/** 2024-06-01 00:00 local solar time at LON. */
const MIDNIGHT = Date.UTC(2024, 5, 1) - (LON / 15) * 3_600_000;
const HOUR = 3_600_000;

const at = (type: TerminalType, key: number, hour: number, day = 0) =>
  readingFor(type, key, { simTimeMs: MIDNIGHT + day * 24 * HOUR + hour * HOUR, lonDeg: LON, seed: SEED });

describe('readingFor', () => {
  it('produces payloads that validate, for every type, key and hour over two weeks', () => {
    const encoder = new TextEncoder();
    for (const type of TERMINAL_TYPES) {
      for (let key = 1; key <= 20; key++) {
        for (let h = 0; h < 24 * 14; h += 0.5) {
          const values = at(type, key * 7919, h);
          const result = validatePayload('telemetry', type, encoder.encode(JSON.stringify({ v: 1, ts: Date.now(), values })));
          if (!result.ok) throw new Error(`${type} key ${key} hour ${h}: ${result.error} in ${JSON.stringify(values)}`);
        }
      }
    }
  });

  it('is a pure function of terminal, time and seed', () => {
    expect(at('environment', 5, 13.3)).toEqual(at('environment', 5, 13.3));
    expect(at('environment', 5, 13.3)).not.toEqual(at('environment', 6, 13.3));
  });

  it('lamps are on at night at 100–250 W, dimmed after 23:00, off by day', () => {
    for (let key = 1; key <= 50; key++) {
      expect(at('lamp', key, 12)).toMatchObject({ on: false, dimmingPct: 0 });
      const evening = at('lamp', key, 21);
      expect(evening).toMatchObject({ on: true, dimmingPct: 100 });
      expect(evening.powerW).toBeGreaterThanOrEqual(95);
      expect(evening.powerW).toBeLessThanOrEqual(260);
      const late = at('lamp', key, 2);
      expect(late).toMatchObject({ on: true, dimmingPct: 50 });
      expect(late.powerW as number).toBeLessThan(evening.powerW as number);
    }
  });

  it('water level stays near 0 in dry weather and rises past 15 cm only in some showers', () => {
    let dry = 0;
    let over = 0;
    let samples = 0;
    for (let h = 0; h < 24 * 60; h += 0.25) {
      const rain = rainMmH(MIDNIGHT + h * HOUR, SEED);
      for (let key = 1; key <= 10; key++) {
        const depth = at('water-level', key, h).depthCm as number;
        samples += 1;
        if (rain === 0) {
          dry += 1;
          expect(depth).toBeLessThanOrEqual(2);
        }
        if (depth > 15) over += 1;
      }
    }
    expect(dry / samples).toBeGreaterThan(0.8);
    expect(over).toBeGreaterThan(0);
    expect(over / samples).toBeLessThan(0.02);
  });

  it('environment: warmest in the afternoon, PM2.5 within 40–90 in dry weather', () => {
    let afternoon = 0;
    let night = 0;
    for (let day = 0; day < 10; day++) {
      afternoon += at('environment', 3, 14, day).temperatureC as number;
      night += at('environment', 3, 4, day).temperatureC as number;
    }
    expect(afternoon / 10 - night / 10).toBeGreaterThan(5);
    for (let h = 0; h < 24 * 10; h += 0.5) {
      if (rainMmH(MIDNIGHT + h * HOUR, SEED) > 0) continue;
      const pm25 = at('environment', 9, h).pm25 as number;
      expect(pm25).toBeGreaterThanOrEqual(40);
      expect(pm25).toBeLessThanOrEqual(90);
    }
  });

  it('traffic peaks at the rush hours and is light at night', () => {
    expect(trafficProfile(8)).toBeGreaterThan(0.9);
    expect(trafficProfile(18)).toBeGreaterThan(0.9);
    expect(trafficProfile(3)).toBeLessThan(0.15);
    const rush = at('traffic-camera', 11, 8);
    const night = at('traffic-camera', 11, 3);
    expect(rush.vehiclesPerMin as number).toBeGreaterThan(3 * (night.vehiclesPerMin as number));
    expect(rush.meanSpeedKmh as number).toBeLessThan(night.meanSpeedKmh as number);
  });

  it('covers are closed and level nearly always', () => {
    let open = 0;
    for (let h = 0; h < 24 * 30; h += 0.5) {
      for (let key = 1; key <= 20; key++) if (at('cover-sensor', key, h).open) open += 1;
    }
    const samples = (24 * 30 * 2) * 20;
    expect(open).toBeGreaterThan(0);
    expect(open / samples).toBeLessThan(0.01);
  });

  it('solar hour follows longitude', () => {
    expect(solarHour(Date.UTC(2024, 0, 1, 0), 120)).toBeCloseTo(8);
    expect(solarHour(Date.UTC(2024, 0, 1, 20), 120)).toBeCloseTo(4);
  });
});

describe('resolveSpeedup', () => {
  const fleet = (poles: number) => Array.from({ length: poles }, () => TERMINAL_TYPES.map((type) => ({ type }))).flat();

  it('uses the default for a small fleet and lowers it to keep a city fleet at a few hundred msg/s', () => {
    expect(resolveSpeedup(fleet(10))).toBe(DEFAULT_SPEEDUP);
    const city = fleet(1000);
    const speedup = resolveSpeedup(city);
    expect(speedup).toBeLessThan(DEFAULT_SPEEDUP);
    expect(nominalMessageRate(city, speedup)).toBeLessThanOrEqual(DEFAULT_MAX_RATE);
    expect(nominalMessageRate(city, speedup)).toBeGreaterThan(0.9 * DEFAULT_MAX_RATE);
    // Never slower than real time.
    expect(resolveSpeedup(fleet(100_000))).toBe(1);
  });

  it('honours a requested speed-up and refuses nonsense', () => {
    expect(resolveSpeedup(fleet(1000), 50)).toBe(50);
    expect(() => resolveSpeedup(fleet(1), 0)).toThrow(RangeError);
    expect(() => resolveSpeedup(fleet(1), Number.NaN)).toThrow(RangeError);
  });
});
