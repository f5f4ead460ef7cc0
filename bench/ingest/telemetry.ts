/**
 * Valid telemetry payloads for any terminal type, as a device in normal operation sends them:
 * every field of its type (TELEMETRY_FIELDS), in range, below the alarm limits (READING_LIMITS),
 * so the benchmark measures the steady state, not alarm churn.
 *
 * `ts` is the second key, so its 13 digits sit at a fixed offset (TS_OFFSET) where the baseline
 * subscriber can read the publish time without parsing JSON.
 */
import { READING_LIMITS, TELEMETRY_FIELDS, type TelemetryValues, type TerminalType } from '../../domain/terminals';
import { mulberry32 } from '../../kernel/random';

/** The simulator's seeded generator, so every run publishes the same readings. */
export const createRng = mulberry32;

/** Byte offset of the `ts` digits in `{"v":1,"ts":…`. */
export const TS_OFFSET = '{"v":1,"ts":'.length;
/** Millisecond timestamps have 13 digits from 2001 to 2286. */
export const TS_DIGITS = 13;

interface FieldPlan {
  name: string;
  value(rng: () => number): number | boolean;
}

const plans: Record<TerminalType, FieldPlan[]> = Object.fromEntries(
  Object.entries(TELEMETRY_FIELDS).map(([type, fields]) => [
    type,
    Object.entries(fields).map(([name, field]): FieldPlan => {
      const limit = READING_LIMITS[type as TerminalType].find((l) => l.field === name);
      if (field.kind === 'boolean') {
        // A boolean that alarms on one value (a cover's `open`) always gets the other one.
        const safe = limit?.equals === undefined ? undefined : !limit.equals;
        return { name, value: (rng) => safe ?? rng() < 0.9 };
      }
      const lo = field.min ?? 0;
      // Stay under a warning limit with some margin; otherwise anywhere in the physical range.
      const hi = limit?.above !== undefined ? lo + (limit.above - lo) * 0.8 : (field.max ?? lo + 100);
      return { name, value: (rng) => Math.round((lo + (hi - lo) * rng()) * 10) / 10 };
    }),
  ]),
) as Record<TerminalType, FieldPlan[]>;

export function telemetryValues(type: TerminalType, rng: () => number): TelemetryValues {
  const values: TelemetryValues = {};
  for (const plan of plans[type]) values[plan.name] = plan.value(rng);
  return values;
}

export function telemetryPayload(type: TerminalType, ts: number, rng: () => number): string {
  return JSON.stringify({ v: 1, ts, values: telemetryValues(type, rng) });
}

/** The publish time from a payload made by `telemetryPayload`, without parsing it; NaN if absent. */
export function readTs(payload: Buffer): number {
  return Number(payload.toString('latin1', TS_OFFSET, TS_OFFSET + TS_DIGITS));
}
