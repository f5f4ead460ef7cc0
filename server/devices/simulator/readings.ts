/**
 * What a terminal of each type reads at a given moment: a pure function of the terminal, the
 * simulated time and the seed, so the same demo replays the same values.
 *
 * The shapes are plausible for a coastal south-China district:
 * - lamps switch on at dusk (≈18:30) and off at dawn (≈06:10) local solar time, 100 % until 23:00,
 *   dimmed to 50 % until 05:00 (the usual mid-night energy saving), rated 100–250 W;
 * - water-level sensors read 0–2 cm except during district-wide rain showers, when low spots rise
 *   past the 15 cm lane-closure limit;
 * - environment: diurnal temperature (26 °C ± 4, warmest at 14:00), PM2.5 40–90 µg/m³ rising with
 *   traffic and with district-wide pollution episodes (so the 75 µg/m³ limit is crossed now and
 *   then, not all day), noise following traffic, over 70 dB(A) only at loud spots in rush hours;
 * - traffic cameras: counts with morning and evening rush hours, speeds falling as counts rise;
 * - manhole covers closed, with rare openings (maintenance, theft) that tilt them.
 */
import { TELEMETRY_FIELDS, type TelemetryValues, type TerminalType } from '../../../domain/terminals';
import { hash01, smoothNoise } from './noise';
import { DEFAULT_SIGNAL_PLAN } from '../../../simulations/traffic/signalPlan';

export interface ReadingContext {
  /** Simulated time, ms since epoch: the clock the day/night cycle follows. */
  simTimeMs: number;
  /** Longitude of the district, for local solar time. */
  lonDeg: number;
  seed: number;
  /** A lamp's rated power from the twin, W; else one is drawn per lamp (lampRatedW). */
  ratedW?: number;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// Keys that separate the noise streams of different quantities of one terminal.
const K = {
  rated: 1,
  dusk: 2,
  dawn: 3,
  volt: 4,
  jitter: 5,
  bitrate: 6,
  open: 7,
  tilt: 8,
  battery: 9,
  low: 10,
  base: 11,
  temp: 12,
  hum: 13,
  pm: 14,
  pm10: 15,
  noise: 16,
  wind: 17,
  capacity: 18,
  free: 19,
  rain: 20,
  rainPeak: 21,
} as const;

/** Local solar hour 0–24 at a UTC time and longitude. */
export function solarHour(timeMs: number, lonDeg: number): number {
  const h = (timeMs / HOUR_MS + lonDeg / 15) % 24;
  return h < 0 ? h + 24 : h;
}

/**
 * District-wide rain intensity in mm/h: two-hour slots, one in ten with a shower whose intensity
 * rises and falls with a sine; heavy downpours (> 40 mm/h) are rarer still (squared draw).
 */
export function rainMmH(timeMs: number, seed: number): number {
  const slotMs = 2 * HOUR_MS;
  const slot = Math.floor(timeMs / slotMs);
  if (hash01(seed, K.rain, slot) >= 0.1) return 0;
  const peak = 3 + 67 * hash01(seed, K.rainPeak, slot) ** 2;
  const phase = (timeMs - slot * slotMs) / slotMs;
  return peak * Math.sin(Math.PI * phase);
}

/** Traffic demand 0–1 over the day: night low, rush-hour peaks at 08:00 and 18:00. */
export function trafficProfile(hour: number): number {
  const peak = (h0: number) => Math.exp(-(((hour - h0) / 1.2) ** 2) / 2);
  const day = hour >= 6 && hour <= 22 ? 0.45 : 0.08;
  return Math.min(1, day + 0.55 * peak(8) + 0.6 * peak(18));
}

/** A lamp's rated power, 100–240 W in steps of 10, fixed per lamp. */
export function lampRatedW(key: number, seed: number): number {
  return 100 + 10 * Math.floor(15 * hash01(seed, key, K.rated));
}

/** The readings a terminal reports at `ctx.simTimeMs`; `key` is a stable number per terminal. */
export function readingFor(type: TerminalType, key: number, ctx: ReadingContext): TelemetryValues {
  const values = READERS[type](key, ctx);
  return clampToFields(type, values);
}

type Reader = (key: number, ctx: ReadingContext) => TelemetryValues;

const READERS: Record<TerminalType, Reader> = {
  lamp(key, { simTimeMs, lonDeg, seed, ratedW: twinRatedW }) {
    const hour = solarHour(simTimeMs, lonDeg);
    const dusk = 18.2 + 0.5 * hash01(seed, key, K.dusk);
    const dawn = 5.9 + 0.5 * hash01(seed, key, K.dawn);
    const on = hour >= dusk || hour < dawn;
    const voltageV = 220 + 12 * (smoothNoise(seed, key * 31 + K.volt, simTimeMs, 10 * MINUTE_MS) - 0.5);
    if (!on) return { on: false, dimmingPct: 0, powerW: 0.8, voltageV: round(voltageV, 1), currentA: 0.01 };
    const ratedW = twinRatedW ?? lampRatedW(key, seed);
    const dimmingPct = hour >= 23 || hour < 5 ? 50 : 100;
    const powerW = ratedW * (dimmingPct / 100) * (0.97 + 0.06 * hash01(seed, key, K.jitter, Math.floor(simTimeMs / MINUTE_MS)));
    // LED drivers run at a power factor of about 0.95.
    const currentA = powerW / (voltageV * 0.95);
    return { on: true, dimmingPct, powerW: round(powerW, 1), voltageV: round(voltageV, 1), currentA: round(currentA, 3) };
  },

  camera(key, { simTimeMs, seed }) {
    const bitrate = 3000 + 3000 * smoothNoise(seed, key * 31 + K.bitrate, simTimeMs, 5 * MINUTE_MS);
    return { recording: true, bitrateKbps: Math.round(bitrate) };
  },

  'cover-sensor'(key, { simTimeMs, seed }) {
    // One chance in 400 per half hour that a cover stands open (maintenance, theft, a lorry).
    const open = hash01(seed, key, K.open, Math.floor(simTimeMs / (30 * MINUTE_MS))) < 0.0025;
    const tiltDeg = open
      ? 20 + 60 * hash01(seed, key, K.tilt, Math.floor(simTimeMs / (30 * MINUTE_MS)))
      : 0.5 + 2.5 * smoothNoise(seed, key * 31 + K.tilt, simTimeMs, HOUR_MS);
    return { open, tiltDeg: round(tiltDeg, 1), batteryPct: batteryPct(key, seed) };
  },

  'water-level'(key, { simTimeMs, seed }) {
    // Low-lying spots (large susceptibility) flood first; cm of water per mm/h of rain.
    const susceptibility = 0.05 + 0.55 * hash01(seed, key, K.low) ** 2;
    const base = 2 * smoothNoise(seed, key * 31 + K.base, simTimeMs, HOUR_MS);
    const depthCm = base + susceptibility * rainMmH(simTimeMs, seed);
    return { depthCm: round(depthCm, 1), batteryPct: batteryPct(key, seed) };
  },

  environment(key, { simTimeMs, lonDeg, seed }) {
    const hour = solarHour(simTimeMs, lonDeg);
    const diurnal = Math.cos((2 * Math.PI * (hour - 14)) / 24);
    const rain = rainMmH(simTimeMs, seed);
    const temperatureC = 26 + 4 * diurnal + (hash01(seed, key, K.temp) - 0.5) + (smoothNoise(seed, key * 31 + K.temp, simTimeMs, HOUR_MS) - 0.5);
    const humidityPct = Math.min(100, 75 - 15 * diurnal + (rain > 0 ? 15 : 0) + 6 * (smoothNoise(seed, key * 31 + K.hum, simTimeMs, HOUR_MS) - 0.5));
    const traffic = trafficProfile(hour);
    // Rain washes particles out: up to −40 % in a heavy shower.
    const washout = 1 - Math.min(0.4, rain / 50);
    // District-wide pollution episodes (stagnant air) come and go over hours; most of the time there is none.
    const episode = Math.max(0, smoothNoise(seed, K.pm, simTimeMs, 6 * HOUR_MS) - 0.6) / 0.4;
    const pm25 = (40 + 18 * traffic + 12 * smoothNoise(seed, key * 31 + K.pm, simTimeMs, 2 * HOUR_MS) + 20 * episode) * washout;
    const pm10 = pm25 * (1.5 + 0.3 * hash01(seed, key, K.pm10));
    // Sensors next to arterials are up to 6 dB louder than those on side streets.
    const loudness = 6 * hash01(seed, key, K.noise);
    const noiseDb = 48 + 16 * traffic + loudness + 4 * (smoothNoise(seed, key * 31 + K.noise, simTimeMs, 10 * MINUTE_MS) - 0.5);
    const windMs = 0.5 + 5 * smoothNoise(seed, K.wind, simTimeMs, HOUR_MS);
    return {
      temperatureC: round(temperatureC, 1),
      humidityPct: round(humidityPct, 1),
      pm25: Math.round(pm25),
      pm10: Math.round(pm10),
      noiseDb: round(noiseDb, 1),
      windMs: round(windMs, 1),
      rainMmH: round(rain, 1),
    };
  },

  // The default two-phase plan of the twin's traffic model until a timing-plan command says otherwise (CommandResponder).
  'signal-controller'() {
    const p = DEFAULT_SIGNAL_PLAN;
    return { cycleS: p.mainGreenSeconds + p.crossGreenSeconds + 2 * p.allRedSeconds, offsetS: 0, phases: 2, split1S: p.mainGreenSeconds, split2S: p.crossGreenSeconds };
  },

  'traffic-camera'(key, { simTimeMs, lonDeg, seed }) {
    const hour = solarHour(simTimeMs, lonDeg);
    const traffic = trafficProfile(hour);
    const capacity = 20 + 40 * hash01(seed, key, K.capacity);
    const vehiclesPerMin = capacity * traffic * (0.9 + 0.2 * hash01(seed, key, K.jitter, Math.floor(simTimeMs / MINUTE_MS)));
    const freeKmh = 45 + 15 * hash01(seed, key, K.free);
    const meanSpeedKmh = Math.max(5, freeKmh * (1 - 0.6 * traffic ** 2) + 4 * (smoothNoise(seed, key * 31 + K.free, simTimeMs, 5 * MINUTE_MS) - 0.5));
    return { vehiclesPerMin: Math.round(vehiclesPerMin), meanSpeedKmh: round(meanSpeedKmh, 1) };
  },
};

/** Battery of a self-powered sensor: fixed per device for a demo session (drain takes months). */
function batteryPct(key: number, seed: number): number {
  return Math.round(55 + 45 * hash01(seed, key, K.battery));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Keeps every value inside its field's valid range, so simulated payloads always validate. */
function clampToFields(type: TerminalType, values: TelemetryValues): TelemetryValues {
  const fields = TELEMETRY_FIELDS[type];
  for (const [name, value] of Object.entries(values)) {
    const field = fields[name];
    if (typeof value !== 'number' || !field) continue;
    values[name] = Math.min(field.max ?? Infinity, Math.max(field.min ?? -Infinity, value));
  }
  return values;
}
