/**
 * The green-wave scenario's parameters: their TypeBox schema (the API's and the OpenAPI
 * document's) with the bounds of the arterial file the CLI reads (ARTERIAL_LIMITS), and the
 * defaults. A range must also run low to high, which a schema cannot say.
 */
import Type from 'typebox';
import { checkParams, numberIn, ScenarioParamsError } from '../scenarioParams';
import { ARTERIAL_LIMITS } from './parseArterial';

export interface GreenwaveParams {
  /** Road to coordinate; the twin's longest arterial when absent. */
  roadId?: string;
  /** Simulate on the twin's road network or on the arterial's own corridor. */
  network: 'twin' | 'corridor';
  /** Twin network: background peak-hour demand, vehicles per hour. */
  peakVehPerHour: number;
  /** Corridor network: cycle of the default timing plan (signals without their own timing), s. */
  cycleSeconds: number;
  /** Cycle range the optimiser may choose from; null keeps the signals' cycle. */
  cycleRangeSeconds: [number, number] | null;
  /** Progression speed range; null keeps the road's speed limit. */
  speedRangeMps: [number, number] | null;
  /** k in b + k·b̄. */
  inboundWeight: number;
  throughVehPerHour: number;
  crossVehPerHour: number;
  /** Span of departures of the before/after runs, s. */
  demandSeconds: number;
}

export const GREENWAVE_DEFAULTS: GreenwaveParams = {
  network: 'twin',
  peakVehPerHour: 3000,
  cycleSeconds: 90,
  cycleRangeSeconds: [60, 120],
  // 50 to 60 km/h: progression speeds an urban arterial signs without slowing its traffic much.
  speedRangeMps: [13.9, 16.7],
  inboundWeight: 1,
  // Through traffic end to end each way: what a green wave is for.
  throughVehPerHour: 600,
  crossVehPerHour: 120,
  demandSeconds: 1800,
};

const inLimits = (limits: { min: number; max: number }, description?: string) => numberIn(limits.min, limits.max, description);
/** [min, max] within limits, or null for "keep what the signals or the road have". */
const range = (limits: { min: number; max: number }, description: string) =>
  Type.Union([Type.Tuple([inLimits(limits), inLimits(limits)]), Type.Null()], { description: `[min, max] of ${description}, or null` });

export const GreenwaveParamsSchema = Type.Object(
  {
    roadId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "road to coordinate; the twin's longest arterial when absent" })),
    network: Type.Optional(Type.Union([Type.Literal('twin'), Type.Literal('corridor')])),
    peakVehPerHour: Type.Optional(numberIn(0, 20_000, 'twin network: background peak-hour demand, veh/h')),
    cycleSeconds: Type.Optional(inLimits(ARTERIAL_LIMITS.cycleSeconds, 'corridor network: cycle of the default timing plan, s')),
    cycleRangeSeconds: Type.Optional(range(ARTERIAL_LIMITS.cycleSeconds, 'the cycle the optimiser may choose, s')),
    speedRangeMps: Type.Optional(range(ARTERIAL_LIMITS.speedMps, 'the progression speed, m/s')),
    inboundWeight: Type.Optional(inLimits(ARTERIAL_LIMITS.inboundWeight, 'k in b + k·b̄')),
    throughVehPerHour: Type.Optional(numberIn(0, 3000, 'through traffic each way, veh/h')),
    crossVehPerHour: Type.Optional(numberIn(0, 1500, 'corridor network: crossing traffic, veh/h')),
    demandSeconds: Type.Optional(numberIn(300, 3 * 3600, 'span of departures of the before/after runs, s')),
  },
  { additionalProperties: false },
);

export function parseGreenwaveParams(raw: unknown): GreenwaveParams {
  const p = checkParams(GreenwaveParamsSchema, raw ?? {});
  for (const key of ['cycleRangeSeconds', 'speedRangeMps'] as const) {
    const r = p[key];
    if (r && r[1] < r[0]) throw new ScenarioParamsError(`params.${key}`, `max ${r[1]} is below min ${r[0]}`);
  }
  const out: GreenwaveParams = { ...GREENWAVE_DEFAULTS };
  for (const [key, value] of Object.entries(p)) if (value !== undefined) Object.assign(out, { [key]: value });
  return out;
}
