/**
 * IoT terminals carried by smart lamp poles, and the statuses the twin shows for them.
 *
 * The set follows what the Binhai Bay centre describes (see shared/domain.md): security cameras,
 * manhole-cover sensors, water-level sensors, weather/environment monitors and traffic
 * enforcement cameras, plus the single-lamp controller every smart pole has (Yangjiang's remote
 * switching and single-lamp telemetry). A signal controller stands at a signalised intersection
 * (its `signalId`) and reports the timing plan it runs (GB/T 20999: cycle, splits, offset).
 */

export const TERMINAL_TYPES = [
  'lamp',
  'camera',
  'cover-sensor',
  'water-level',
  'environment',
  'traffic-camera',
  'signal-controller',
] as const;
export type TerminalType = (typeof TERMINAL_TYPES)[number];

/** What a terminal says about itself on its status topic. */
export const TERMINAL_REPORTED_STATUSES = ['online', 'fault', 'offline'] as const;
export type TerminalReportedStatus = (typeof TERMINAL_REPORTED_STATUSES)[number];

/**
 * The status the twin derives for a terminal or a pole, from reports, alarms and silence.
 * `unknown`: nothing heard since the server started.
 * `normal`: reporting, no alarm. `warning`: reporting, a reading is over its limit.
 * `fault`: the device reports a fault. `offline`: said so, or silent for too long.
 */
export const LIVE_STATUSES = ['unknown', 'normal', 'warning', 'fault', 'offline'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** Severity order used to roll terminal statuses up to their pole: the worst one wins. */
const STATUS_SEVERITY: Record<LiveStatus, number> = {
  unknown: 0,
  normal: 1,
  offline: 2,
  warning: 3,
  fault: 4,
};

export function worseStatus(a: LiveStatus, b: LiveStatus): LiveStatus {
  return STATUS_SEVERITY[a] >= STATUS_SEVERITY[b] ? a : b;
}

/** One numeric or boolean telemetry field of a terminal type, with its unit and valid range. */
export interface TelemetryField {
  kind: 'number' | 'boolean';
  unit?: string;
  /** Physically possible range; readings outside it are rejected as bad payloads. */
  min?: number;
  max?: number;
}

/** Most phases a timing plan has (domain/signalPlans.ts). */
export const MAX_SIGNAL_PHASES = 8;

/**
 * Telemetry fields per terminal type. A payload may carry any subset of its type's fields
 * (devices often report only what changed) but no field outside it.
 */
export const TELEMETRY_FIELDS: Record<TerminalType, Record<string, TelemetryField>> = {
  lamp: {
    on: { kind: 'boolean' },
    dimmingPct: { kind: 'number', unit: '%', min: 0, max: 100 },
    powerW: { kind: 'number', unit: 'W', min: 0, max: 2000 },
    voltageV: { kind: 'number', unit: 'V', min: 0, max: 400 },
    currentA: { kind: 'number', unit: 'A', min: 0, max: 20 },
  },
  camera: {
    recording: { kind: 'boolean' },
    bitrateKbps: { kind: 'number', unit: 'kbit/s', min: 0, max: 100_000 },
  },
  'cover-sensor': {
    open: { kind: 'boolean' },
    tiltDeg: { kind: 'number', unit: '°', min: 0, max: 180 },
    batteryPct: { kind: 'number', unit: '%', min: 0, max: 100 },
  },
  'water-level': {
    depthCm: { kind: 'number', unit: 'cm', min: 0, max: 1000 },
    batteryPct: { kind: 'number', unit: '%', min: 0, max: 100 },
  },
  environment: {
    temperatureC: { kind: 'number', unit: '°C', min: -50, max: 70 },
    humidityPct: { kind: 'number', unit: '%', min: 0, max: 100 },
    pm25: { kind: 'number', unit: 'µg/m³', min: 0, max: 2000 },
    pm10: { kind: 'number', unit: 'µg/m³', min: 0, max: 3000 },
    noiseDb: { kind: 'number', unit: 'dB(A)', min: 0, max: 150 },
    windMs: { kind: 'number', unit: 'm/s', min: 0, max: 90 },
    rainMmH: { kind: 'number', unit: 'mm/h', min: 0, max: 500 },
  },
  'traffic-camera': {
    vehiclesPerMin: { kind: 'number', unit: 'veh/min', min: 0, max: 600 },
    meanSpeedKmh: { kind: 'number', unit: 'km/h', min: 0, max: 250 },
  },
  'signal-controller': signalPlanFields(),
};

/** The plan a signal controller runs: cycle, offset, number of phases and each phase's green (`split1S`…). */
function signalPlanFields(): Record<string, TelemetryField> {
  const fields: Record<string, TelemetryField> = {
    cycleS: { kind: 'number', unit: 's', min: 0, max: 300 },
    offsetS: { kind: 'number', unit: 's', min: 0, max: 300 },
    phases: { kind: 'number', min: 0, max: MAX_SIGNAL_PHASES },
  };
  for (let i = 1; i <= MAX_SIGNAL_PHASES; i++) fields[`split${i}S`] = { kind: 'number', unit: 's', min: 0, max: 300 };
  return fields;
}

export type TelemetryValues = Record<string, number | boolean>;

/**
 * Limits that turn a reading into a warning. Values follow common municipal practice:
 * 15 cm of standing water closes a lane; a cover tilted past 10° or open is a hazard;
 * PM2.5 above 75 µg/m³ exceeds China's 24-hour grade II limit (GB 3095-2012); 70 dB(A) is the
 * daytime limit next to arterial roads (GB 3096-2008, class 4a).
 */
export interface ReadingLimit {
  field: string;
  /** Warn when the reading is greater than `above` (numbers) or equals `equals` (booleans). */
  above?: number;
  equals?: boolean;
}

export const READING_LIMITS: Record<TerminalType, ReadingLimit[]> = {
  lamp: [],
  camera: [],
  'cover-sensor': [
    { field: 'open', equals: true },
    { field: 'tiltDeg', above: 10 },
  ],
  'water-level': [{ field: 'depthCm', above: 15 }],
  environment: [
    { field: 'pm25', above: 75 },
    { field: 'noiseDb', above: 70 },
  ],
  'traffic-camera': [],
  'signal-controller': [],
};

/**
 * Fault codes a single-lamp controller reports, on its events topic (`lamp-fault`) or with a
 * `fault` status: the usual diagnostics of street-lighting controllers (open/short circuit of the
 * light source, driver failure, supply out of range, overheating, lost mains, earth leakage).
 */
export const LAMP_FAULT_CODES = [
  'LAMP_OPEN_CIRCUIT',
  'LAMP_SHORT_CIRCUIT',
  'DRIVER_FAULT',
  'OVER_VOLTAGE',
  'UNDER_VOLTAGE',
  'OVER_TEMPERATURE',
  'POWER_LOSS',
  'LEAKAGE_CURRENT',
] as const;
export type LampFaultCode = (typeof LAMP_FAULT_CODES)[number];

/** Nominal report interval per type, in seconds: what a device of this kind sends in the field. */
export const NOMINAL_REPORT_INTERVAL_S: Record<TerminalType, number> = {
  lamp: 30,
  camera: 30,
  'cover-sensor': 60,
  'water-level': 30,
  environment: 30,
  'traffic-camera': 15,
  'signal-controller': 60,
};
