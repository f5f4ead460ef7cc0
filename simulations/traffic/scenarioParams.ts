/**
 * The traffic scenario's parameters: their TypeBox schema (the API's and the OpenAPI document's,
 * and the CLI's for --seed) and the defaults. Custom trips are checked against the twin's network
 * when the run starts (demand.ts), where the node ids are known.
 */
import Type from 'typebox';
import { checkParams, integerIn, numberIn } from '../scenarioParams';
import type { Trip } from './demand';

export interface TrafficParams {
  /** Built-in demand, or the caller's trips between node ids of the twin network. */
  demand: 'peak' | 'holiday' | { trips: Trip[] };
  /** Vehicles of a built-in demand. */
  vehicles: number;
  durationSeconds: number;
  /** Seconds by signalised node id (a green-wave plan). */
  signalOffsets?: Record<string, number>;
  /** Playback sampling interval, s. */
  sampleEverySeconds: number;
  seed: number;
}

export const TRAFFIC_DEFAULTS = { vehicles: 6000, durationSeconds: 4200, sampleEverySeconds: 2, seed: 1 } as const;
/** Bounds for a server run: a few hours of a busy district, a few tens of MB of playback. */
const LIMITS = { vehicles: 50_000, durationSeconds: 6 * 3600, customTrips: 50_000 };

/** Seed of the built-in demands, the same bounds as `citytwin sim traffic --seed`. */
export const SeedSchema = integerIn(0, 2 ** 31 - 1, 'seed of the built-in demands');

export const TrafficParamsSchema = Type.Object(
  {
    demand: Type.Optional(
      Type.Union(
        [
          Type.Literal('peak'),
          Type.Literal('holiday'),
          Type.Object(
            { trips: Type.Array(Type.Unknown(), { maxItems: LIMITS.customTrips, description: '{"id", "from", "to", "depart"} between node ids of the twin network' }) },
            { additionalProperties: false },
          ),
        ],
        { description: '"peak", "holiday" or {"trips": [...]}' },
      ),
    ),
    vehicles: Type.Optional(integerIn(1, LIMITS.vehicles, 'vehicles of a built-in demand')),
    durationSeconds: Type.Optional(numberIn(60, LIMITS.durationSeconds)),
    signalOffsets: Type.Optional(Type.Record(Type.String(), numberIn(-86_400, 86_400), { description: 'seconds by signalised node id (a green-wave plan)' })),
    sampleEverySeconds: Type.Optional(numberIn(0.5, 60, 'playback sampling interval, s')),
    seed: Type.Optional(SeedSchema),
  },
  { additionalProperties: false },
);

export function parseTrafficParams(raw: unknown): TrafficParams {
  const p = checkParams(TrafficParamsSchema, raw ?? {});
  const { demand, signalOffsets, ...numbers } = p;
  const out: TrafficParams = { demand: 'peak', ...TRAFFIC_DEFAULTS, ...numbers };
  // Shape only here; node ids are checked against the twin's network when the run starts.
  if (demand !== undefined) out.demand = typeof demand === 'string' ? demand : { trips: demand.trips as Trip[] };
  if (signalOffsets !== undefined) out.signalOffsets = signalOffsets;
  return out;
}
