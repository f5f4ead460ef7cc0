/**
 * Rainfall forcing: none, a uniform intensity, a measured hyetograph, or a Chicago design storm
 * (Keifer & Chu 1957) built from a local storm-intensity formula, as Chinese drainage design
 * (GB 50014) uses:
 *
 *   i = A·(1 + C·lg P) / (t + b)^n        i in mm/min, t the rain duration in minutes, P years.
 *
 * The Chicago hyetograph puts the peak at r·T and, with t_b / t_a minutes before / after it,
 *   i(t_b) = A'·[(1 − n)·t_b/r + b] / (t_b/r + b)^(1+n),   A' = A·(1 + C·lg P)
 * (t_a and 1 − r after the peak), so every window centred on the peak holds the formula's depth:
 * the whole storm totals A'·T / (T + b)^n mm.
 */
import { seriesValueAt, type TimeSeries } from './timeSeries';

/** Coefficients of i = A(1 + C lg P)/(t + b)^n with i in mm/min and t in minutes. */
export interface IntensityFormula {
  aMmPerMin: number;
  c: number;
  bMin: number;
  n: number;
}

/**
 * Default coefficients: the Guangzhou central-district formula
 * q = 3618.427(1 + 0.438 lg P)/(t + 11.259)^0.750 L/(s·ha), divided by 167 to mm/min.
 * Replace them with the city's own formula.
 */
export const DEFAULT_INTENSITY_FORMULA: IntensityFormula = { aMmPerMin: 3618.427 / 167, c: 0.438, bMin: 11.259, n: 0.75 };

export interface ChicagoStorm {
  returnPeriodYears: number;
  durationMinutes: number;
  /** Time of the peak as a fraction of the duration (r), typically 0.3–0.5. */
  peakRatio: number;
  formula: IntensityFormula;
  /** When the storm starts, seconds into the run (default 0). */
  startS?: number;
}

export type RainSpec =
  | { kind: 'none' }
  | { kind: 'uniform'; mmPerHour: number }
  | { kind: 'series'; series: TimeSeries }
  | { kind: 'chicago'; storm: ChicagoStorm };

export const STORM_LIMITS = {
  returnPeriodYears: { min: 0.25, max: 1000 },
  durationMinutes: { min: 5, max: 24 * 60 },
  peakRatio: { min: 0.05, max: 0.95 },
} as const;

/** Checks a storm's figures; returns a message naming the first bad field, or undefined. */
export function stormProblem(storm: ChicagoStorm): string | undefined {
  for (const key of ['returnPeriodYears', 'durationMinutes', 'peakRatio'] as const) {
    const v = storm[key];
    const { min, max } = STORM_LIMITS[key];
    if (!Number.isFinite(v) || v < min || v > max) return `${key} must be between ${min} and ${max}, got ${v}`;
  }
  const f = storm.formula;
  if (!(f.aMmPerMin > 0) || !Number.isFinite(f.aMmPerMin)) return `formula A must be a positive number, got ${f.aMmPerMin}`;
  if (!Number.isFinite(f.c) || f.c < 0 || f.c > 5) return `formula C must be between 0 and 5, got ${f.c}`;
  if (!Number.isFinite(f.bMin) || f.bMin < 0 || f.bMin > 100) return `formula b must be between 0 and 100 minutes, got ${f.bMin}`;
  if (!Number.isFinite(f.n) || f.n <= 0 || f.n >= 1) return `formula n must be between 0 and 1 (exclusive), got ${f.n}`;
  return undefined;
}

/** A' = A(1 + C lg P), mm/min. */
function scaledA(storm: ChicagoStorm): number {
  return storm.formula.aMmPerMin * (1 + storm.formula.c * Math.log10(storm.returnPeriodYears));
}

/** Chicago hyetograph intensity in mm/h at `t` seconds into the run; 0 outside the storm. */
export function chicagoIntensityMmPerHour(storm: ChicagoStorm, t: number): number {
  const tMin = (t - (storm.startS ?? 0)) / 60;
  const total = storm.durationMinutes;
  if (tMin < 0 || tMin > total) return 0;
  const { bMin: b, n } = storm.formula;
  const r = storm.peakRatio;
  const peakMin = r * total;
  // Before the peak the time axis is stretched by 1/r, after it by 1/(1 − r).
  const s = tMin < peakMin ? (peakMin - tMin) / r : (tMin - peakMin) / (1 - r);
  return (60 * scaledA(storm) * ((1 - n) * s + b)) / (s + b) ** (1 + n);
}

/** Depth the formula gives for the whole storm, mm: A'·T/(T + b)^n. */
export function chicagoTotalMm(storm: ChicagoStorm): number {
  const total = storm.durationMinutes;
  return (scaledA(storm) * total) / (total + storm.formula.bMin) ** storm.formula.n;
}

/** Rain intensity in mm/h at `t` seconds. */
export function rainMmPerHour(spec: RainSpec, t: number): number {
  switch (spec.kind) {
    case 'none':
      return 0;
    case 'uniform':
      return spec.mmPerHour;
    case 'series':
      return seriesValueAt(spec.series, t);
    case 'chicago':
      return chicagoIntensityMmPerHour(spec.storm, t);
  }
}

/** mm/h → m/s. */
export const MM_PER_HOUR_TO_M_PER_S = 1 / 3_600_000;
