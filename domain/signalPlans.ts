/**
 * Signal timing plans (GB/T 20999-2017's cycle, phase splits and offset), as the `timing-plan`
 * command carries them to a signal controller and as the controller reports the plan it runs
 * (docs/commands.md). Pure: the rules a plan must pass and the readings that show it in force.
 *
 *   cycleS     30–240 s
 *   splitsS    each phase's green, 2–8 phases, each ≥ 5 s; they sum to cycleS − lostTimeS (± 0.5 s)
 *   lostTimeS  the cycle's intergreen time (amber and all-red between phases), 0–60 s
 *   offsetS    start of the first phase's green against the corridor's reference, 0 ≤ offsetS < cycleS
 */
import Type from 'typebox';
import { DomainError } from './DomainError';
import { MAX_SIGNAL_PHASES, type TelemetryValues } from './terminals';

export const SIGNAL_PLAN_LIMITS = {
  cycleS: { min: 30, max: 240 },
  splitS: { min: 5, max: 240 },
  phases: { min: 2, max: MAX_SIGNAL_PHASES },
  lostTimeS: { min: 0, max: 60 },
} as const;

const L = SIGNAL_PLAN_LIMITS;
/** The plan's fields as the `timing-plan` command and `POST /api/commands/signal-plans` take them. */
export const TIMING_PLAN_FIELDS = {
  cycleS: Type.Number({ minimum: L.cycleS.min, maximum: L.cycleS.max, description: 'cycle, s' }),
  splitsS: Type.Array(Type.Number({ minimum: L.splitS.min, maximum: L.splitS.max }), { minItems: L.phases.min, maxItems: L.phases.max, description: "each phase's green, s" }),
  offsetS: Type.Number({ minimum: 0, maximum: L.cycleS.max, description: 'offset, s, less than the cycle' }),
  lostTimeS: Type.Number({ minimum: L.lostTimeS.min, maximum: L.lostTimeS.max, description: "the cycle's intergreen (amber + all-red) time, s" }),
};

/** Most junctions one request may retime. */
export const MAX_SIGNAL_PLANS = 200;

/** `POST /api/commands/signal-plans`: a plan per signalised junction (a green wave applied), sent to their controllers as one group. */
export const ApplySignalPlansSchema = Type.Object(
  {
    plans: Type.Array(Type.Object({ signalId: Type.String({ minLength: 1, maxLength: 64 }), ...TIMING_PLAN_FIELDS }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_SIGNAL_PLANS,
    }),
    confirm: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** How far the splits and lost time may miss the cycle (controllers time in whole or half seconds). */
export const PLAN_SUM_TOLERANCE_S = 0.5;

export interface TimingPlan {
  cycleS: number;
  splitsS: number[];
  offsetS: number;
  lostTimeS: number;
}

/** A plan's rules beyond the ranges each field's schema checks; throws a DomainError naming the field. */
export function checkTimingPlan(plan: TimingPlan, where = ''): void {
  const at = (field: string): string => `${where}${field}`;
  const sum = plan.splitsS.reduce((a, b) => a + b, 0);
  const want = plan.cycleS - plan.lostTimeS;
  if (Math.abs(sum - want) > PLAN_SUM_TOLERANCE_S) {
    throw new DomainError(
      'invalid',
      `${at('splitsS')} sum to ${round1(sum)} s; with ${at('lostTimeS')} ${plan.lostTimeS} s they must sum to ${at('cycleS')} − ${at('lostTimeS')} = ${round1(want)} s`,
      [at('splitsS')],
    );
  }
  if (!(plan.offsetS < plan.cycleS)) throw new DomainError('invalid', `${at('offsetS')} ${plan.offsetS} s must be less than ${at('cycleS')} ${plan.cycleS} s`, [at('offsetS')]);
}

/** The readings a controller running `plan` reports. */
export function planReadings(plan: TimingPlan): TelemetryValues {
  const values: TelemetryValues = { cycleS: plan.cycleS, offsetS: plan.offsetS, phases: plan.splitsS.length };
  plan.splitsS.forEach((s, i) => (values[`split${i + 1}S`] = s));
  return values;
}

/** The plan in a controller's readings, or undefined when they hold none. */
export function planFromReadings(values: TelemetryValues): Omit<TimingPlan, 'lostTimeS'> | undefined {
  const { cycleS, offsetS, phases } = values;
  if (typeof cycleS !== 'number' || typeof offsetS !== 'number' || typeof phases !== 'number') return undefined;
  const splitsS: number[] = [];
  for (let i = 1; i <= phases; i++) {
    const s = values[`split${i}S`];
    if (typeof s !== 'number') return undefined;
    splitsS.push(s);
  }
  return { cycleS, offsetS, splitsS };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
