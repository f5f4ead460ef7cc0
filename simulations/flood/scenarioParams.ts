/**
 * The flood scenario's parameters: their TypeBox schema (the API's and the OpenAPI document's,
 * and the CLI's for the options it shares: --rain, --drainage), the defaults, and the checks a
 * schema cannot state (frames per run, time series in order).
 */
import Type from 'typebox';
import { checkDrainageNetwork } from '../drainage/networkCheck';
import { readSwmmInp } from '../drainage/swmmInp';
import { checkParams, integerIn, numberIn, ScenarioParamsError } from '../scenarioParams';
import { STORM_LIMITS } from './designStorm';
import type { Edge } from './floodProblem';
import { checkSeries, type SeriesBounds, type TimeSeries } from './timeSeries';

export type FloodRainParams = { mmPerHour: number } | { storm: { returnPeriodYears: number; durationMinutes: number; peakRatio: number } };

export interface FloodScenarioParams {
  rain: FloodRainParams;
  drainageMmPerHour: number;
  durationSeconds: number;
  snapshotEverySeconds: number;
  /** Cell budget: the DEM is coarsened by whole factors until it fits. */
  maxCells: number;
  /** Depth from which a building, road or component counts as hit, m. */
  hitDepthM: number;
  /** A river inflow hydrograph at a point. */
  inflow?: { lon: number; lat: number; seconds: number[]; dischargeM3s: number[] };
  /** Edge boundaries; edges not given are held at sea level where they touch the sea, else free outflow. */
  boundaries?: Partial<Record<Edge, { type: 'free' } | { type: 'level' | 'flow'; seconds?: number[]; values: number[] }>>;
  /**
   * A pipe network coupled to the surface (docs/drainage.md): the twin package's storm layers,
   * or an EPA SWMM 5 `.inp` text with node coordinates in the twin DEM's CRS.
   */
  drainageNetwork?: 'twin' | { twin: { outfalls: string[] } } | { inp: string };
}

export const FLOOD_DEFAULTS = { drainageMmPerHour: 30, durationSeconds: 2 * 3600, snapshotEverySeconds: 300, maxCells: 300_000, hitDepthM: 0.15 } as const;
const LIMITS = { durationSeconds: 24 * 3600, maxCells: 1_500_000, frames: 150, seriesRows: 10_000, inpChars: 5_000_000, outfalls: 1000 };
const DISCHARGE: SeriesBounds = { valueName: 'm³/s', min: 0, max: 100_000 };
const LEVEL: SeriesBounds = { valueName: 'level m', min: -100, max: 1000 };

const stormField = (key: keyof typeof STORM_LIMITS) => numberIn(STORM_LIMITS[key].min, STORM_LIMITS[key].max);
/** Rain in mm/h: uniform here, or each row of `citytwin sim flood --rain <csv>`. */
export const RAIN_MM_PER_HOUR = { min: 0, max: 500 } as const;
/** Uniform rain, the same check as `citytwin sim flood --rain <mm/h>`. */
export const RainRateSchema = numberIn(RAIN_MM_PER_HOUR.min, RAIN_MM_PER_HOUR.max, 'uniform rain, mm/h');
/** Drainage capacity in mm/h, the same bounds as `citytwin sim flood --drainage`. */
export const DrainageSchema = numberIn(0, 500, 'drainage capacity taken from every wet cell, mm/h');

/** Times (s) of a series; absent with a single value, which then holds throughout. */
const Seconds = Type.Optional(Type.Array(Type.Number(), { maxItems: LIMITS.seriesRows }));
const seriesValues = (b: SeriesBounds) => Type.Union([numberIn(b.min, b.max), Type.Array(numberIn(b.min, b.max), { maxItems: LIMITS.seriesRows })]);
const Boundary = Type.Union(
  [
    Type.Object({ type: Type.Literal('free') }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('level'), seconds: Seconds, values: seriesValues(LEVEL) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('flow'), seconds: Seconds, values: seriesValues(DISCHARGE) }, { additionalProperties: false }),
  ],
  { description: '{"type": "free"}, or {"type": "level" (m) or "flow" (m³/s), "values", "seconds"}' },
);

export const FloodParamsSchema = Type.Object(
  {
    rain: Type.Optional(
      Type.Union(
        [
          Type.Object({ mmPerHour: RainRateSchema }, { additionalProperties: false }),
          Type.Object(
            {
              storm: Type.Object(
                { returnPeriodYears: stormField('returnPeriodYears'), durationMinutes: stormField('durationMinutes'), peakRatio: Type.Optional(stormField('peakRatio')) },
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false },
          ),
        ],
        { description: '{"mmPerHour": n} or {"storm": {"returnPeriodYears", "durationMinutes", "peakRatio"}}' },
      ),
    ),
    drainageMmPerHour: Type.Optional(DrainageSchema),
    durationSeconds: Type.Optional(numberIn(60, LIMITS.durationSeconds)),
    snapshotEverySeconds: Type.Optional(numberIn(10, LIMITS.durationSeconds, `at most ${LIMITS.frames} frames a run`)),
    maxCells: Type.Optional(integerIn(10_000, LIMITS.maxCells, 'the DEM is coarsened by whole factors until it fits')),
    hitDepthM: Type.Optional(numberIn(0.01, 5, 'depth from which a building, road or component counts as hit, m')),
    inflow: Type.Optional(
      Type.Object(
        { lon: numberIn(-180, 180), lat: numberIn(-90, 90), seconds: Seconds, dischargeM3s: seriesValues(DISCHARGE) },
        { additionalProperties: false, description: 'a river inflow hydrograph at a point, m³/s' },
      ),
    ),
    boundaries: Type.Optional(
      Type.Object(
        { west: Type.Optional(Boundary), east: Type.Optional(Boundary), north: Type.Optional(Boundary), south: Type.Optional(Boundary) },
        { additionalProperties: false, description: 'edges not given are held at sea level where they touch the sea, else free outflow' },
      ),
    ),
    drainageNetwork: Type.Optional(
      Type.Union(
        [
          Type.Literal('twin', { description: "the twin package's storm drainage layers" }),
          Type.Object(
            {
              twin: Type.Object(
                {
                  outfalls: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
                    minItems: 1,
                    maxItems: LIMITS.outfalls,
                    description: "outfall ids of the twin's storm network (GET /api/pipes/outfalls); the run couples the part that drains to them",
                  }),
                },
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false, description: "the twin's storm network restricted to the catchments of chosen outfalls, so a planner's run stays small" },
          ),
          Type.Object(
            { inp: Type.String({ minLength: 1, maxLength: LIMITS.inpChars, description: 'EPA SWMM 5 .inp text: [JUNCTIONS] [OUTFALLS] [CONDUITS] [XSECTIONS], [COORDINATES] in the DEM CRS' }) },
            { additionalProperties: false },
          ),
        ],
        { description: 'couples a pipe network to the surface; drainageMmPerHour then also applies unless set to 0' },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A series from `seconds` and values (an array, or one value for all time), checked in order. */
function series(secondsRaw: number[] | undefined, valuesRaw: number | number[], at: string, bounds: SeriesBounds): TimeSeries {
  const values = Array.isArray(valuesRaw) ? valuesRaw : [valuesRaw];
  const seconds = secondsRaw === undefined && values.length === 1 ? [0] : secondsRaw;
  if (!seconds || seconds.length !== values.length) {
    throw new ScenarioParamsError(at, `needs "seconds" and values arrays of the same length (up to ${LIMITS.seriesRows.toLocaleString('en')}), or one value`);
  }
  try {
    return checkSeries({ seconds, values }, at, bounds);
  } catch (err) {
    throw new ScenarioParamsError(at, (err as Error).message.replace(`${at}: `, ''));
  }
}

export function parseFloodParams(raw: unknown): FloodScenarioParams {
  const p = checkParams(FloodParamsSchema, raw ?? {});
  const out: FloodScenarioParams = { rain: { storm: { returnPeriodYears: 50, durationMinutes: 60, peakRatio: 0.4 } }, ...FLOOD_DEFAULTS };
  if (p.rain) out.rain = 'mmPerHour' in p.rain ? { mmPerHour: p.rain.mmPerHour } : { storm: { ...p.rain.storm, peakRatio: p.rain.storm.peakRatio ?? 0.4 } };
  for (const key of ['drainageMmPerHour', 'durationSeconds', 'snapshotEverySeconds', 'maxCells', 'hitDepthM'] as const) {
    const value = p[key];
    if (value !== undefined) out[key] = value;
  }
  if (out.durationSeconds / out.snapshotEverySeconds > LIMITS.frames) {
    throw new ScenarioParamsError('params.snapshotEverySeconds', `gives more than ${LIMITS.frames} frames over ${out.durationSeconds} s`);
  }
  if (p.inflow) {
    const s = series(p.inflow.seconds, p.inflow.dischargeM3s, 'params.inflow', DISCHARGE);
    out.inflow = { lon: p.inflow.lon, lat: p.inflow.lat, seconds: s.seconds, dischargeM3s: s.values };
  }
  if (p.boundaries) {
    out.boundaries = {};
    for (const [edge, b] of Object.entries(p.boundaries)) {
      if (!b) continue;
      if (b.type === 'free') out.boundaries[edge as Edge] = { type: 'free' };
      else {
        const checked = series(b.seconds, b.values, `params.boundaries.${edge}`, b.type === 'level' ? LEVEL : DISCHARGE);
        out.boundaries[edge as Edge] = { type: b.type, seconds: checked.seconds, values: checked.values };
      }
    }
  }
  if (p.drainageNetwork === 'twin') out.drainageNetwork = 'twin';
  else if (p.drainageNetwork && 'twin' in p.drainageNetwork) {
    const outfalls = p.drainageNetwork.twin.outfalls;
    const twice = outfalls.findIndex((id, i) => outfalls.indexOf(id) !== i);
    if (twice >= 0) throw new ScenarioParamsError(`params.drainageNetwork.twin.outfalls[${twice}]`, `"${outfalls[twice]}" is given twice`);
    out.drainageNetwork = { twin: { outfalls: [...outfalls] } };
  } else if (p.drainageNetwork) {
    try {
      checkDrainageNetwork(readSwmmInp(p.drainageNetwork.inp, 'params.drainageNetwork.inp').network);
    } catch (err) {
      throw new ScenarioParamsError('params.drainageNetwork.inp', (err as Error).message);
    }
    out.drainageNetwork = { inp: p.drainageNetwork.inp };
  }
  return out;
}
