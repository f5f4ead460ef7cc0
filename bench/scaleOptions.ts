/**
 * Options of `npm run bench:scale -- [--steps 1000,5000,80000@2.5] [--duration 10]`: the load
 * steps — devices, each reporting every 5 s unless `@seconds` says otherwise — and how long each
 * step publishes. Refuses what would not measure anything or would exhaust the machine, naming
 * the option and what is wrong.
 */
import { parseArgs } from 'node:util';

export interface LoadStep {
  devices: number;
  /** Each device reports once per interval. */
  intervalMs: number;
}

/** A device in the field reports every 5 s: devices ÷ 5 msg/s. */
export const REPORT_INTERVAL_MS = 5000;
/**
 * The twin grows with the most devices (six terminals per pole, and the test twin's terrain with
 * its length): past 80,000 its terrain no longer fits a string, so the top steps have the same
 * devices report more often.
 */
export const MAX_DEVICES = 80_000;
const MIN_INTERVAL_MS = 500;
const MAX_INTERVAL_MS = 60_000;
/** Offered messages per second, at most: beyond what one generator process can pace. */
const MAX_RATE = 100_000;

/** The full run: field devices at rising counts, then 80,000 of them reporting faster. */
export const DEFAULT_STEPS: LoadStep[] = [
  ...[1000, 5000, 10_000, 20_000, 40_000, 80_000].map((devices) => ({ devices, intervalMs: REPORT_INTERVAL_MS })),
  ...[4000, 3000, 2000, 1000].map((intervalMs) => ({ devices: MAX_DEVICES, intervalMs })),
];
export const DEFAULT_DURATION_S = 10;
const MIN_DEVICES = 100;
const MAX_STEPS = 14;
/** Below one report interval not every device reports; above a minute the run takes too long. */
const MIN_DURATION_S = 5;
const MAX_DURATION_S = 60;

export interface ScaleOptions {
  /** Offered rate rising from step to step. */
  steps: LoadStep[];
  durationS: number;
}

/** A bad option: the benchmark runner prints the message alone and exits with status 2. */
export class BenchOptionError extends Error {
  override name = 'BenchOptionError';
}

/** Offered messages per second of a step. */
export function offeredRate(step: LoadStep): number {
  return (step.devices * 1000) / step.intervalMs;
}

/** `20000` for field devices (every 5 s), `80000@2` for devices reporting every 2 s. */
export function stepLabel(step: LoadStep): string {
  return step.intervalMs === REPORT_INTERVAL_MS ? String(step.devices) : `${step.devices}@${step.intervalMs / 1000}`;
}

export const SCALE_USAGE = `npm run bench:scale -- [--steps <n[@s],…>] [--duration <s>]
  --steps     load steps: n devices (${MIN_DEVICES}–${MAX_DEVICES.toLocaleString('en-US')}) each reporting every s seconds
              (${MIN_INTERVAL_MS / 1000}–${MAX_INTERVAL_MS / 1000}, default ${REPORT_INTERVAL_MS / 1000}); the rate must rise step by step
              (default ${DEFAULT_STEPS.map(stepLabel).join(',')})
  --duration  seconds each step publishes, ${MIN_DURATION_S}–${MAX_DURATION_S} (default ${DEFAULT_DURATION_S})`;

export function parseScaleOptions(args: readonly string[]): ScaleOptions {
  let values: { steps?: string; duration?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: { steps: { type: 'string' }, duration: { type: 'string' } },
    }));
  } catch (err) {
    throw new BenchOptionError(`bench scale: ${(err as Error).message}\n${SCALE_USAGE}`);
  }
  return {
    steps: values.steps === undefined ? DEFAULT_STEPS : parseSteps(values.steps),
    durationS: values.duration === undefined ? DEFAULT_DURATION_S : parseDuration(values.duration),
  };
}

function parseSteps(text: string): LoadStep[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > MAX_STEPS) throw new BenchOptionError(`bench scale: --steps takes at most ${MAX_STEPS} steps, got ${parts.length}`);
  const steps = parts.map((part, i): LoadStep => {
    const match = /^(\d+)(?:@(\d+(?:\.\d+)?))?$/.exec(part);
    if (!match) throw new BenchOptionError(`bench scale: --steps item ${i + 1} "${part}" is not <devices> or <devices>@<seconds>`);
    const devices = Number(match[1]);
    if (devices < MIN_DEVICES || devices > MAX_DEVICES) {
      throw new BenchOptionError(`bench scale: --steps item ${i + 1} has ${devices} devices; each step must have ${MIN_DEVICES}–${MAX_DEVICES} devices`);
    }
    const intervalMs = match[2] === undefined ? REPORT_INTERVAL_MS : Math.round(Number(match[2]) * 1000);
    if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
      throw new BenchOptionError(`bench scale: --steps item ${i + 1} reports every ${match[2]} s; the interval must be ${MIN_INTERVAL_MS / 1000}–${MAX_INTERVAL_MS / 1000} s`);
    }
    const step = { devices, intervalMs };
    if (offeredRate(step) > MAX_RATE) throw new BenchOptionError(`bench scale: --steps item ${i + 1} offers ${offeredRate(step)} msg/s; at most ${MAX_RATE} msg/s`);
    return step;
  });
  for (let i = 1; i < steps.length; i++) {
    if (offeredRate(steps[i]!) <= offeredRate(steps[i - 1]!)) {
      throw new BenchOptionError(`bench scale: --steps must rise in rate; item ${i + 1} (${offeredRate(steps[i]!)} msg/s) is not above item ${i} (${offeredRate(steps[i - 1]!)} msg/s)`);
    }
  }
  return steps;
}

function parseDuration(text: string): number {
  const s = Number(text);
  if (text.trim() === '' || !Number.isFinite(s) || s < MIN_DURATION_S || s > MAX_DURATION_S) {
    throw new BenchOptionError(`bench scale: --duration must be ${MIN_DURATION_S}–${MAX_DURATION_S} seconds, got "${text}"`);
  }
  return s;
}
