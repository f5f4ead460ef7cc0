/**
 * Two green-wave studies compared, without Cesium: each side is a study's plan or its "before"
 * (the signals as they run now), read from its result.json and before-after.json. Gives the
 * corridor KPI table (bands, cycle, speed, and the traffic figures along the arterial), the
 * timing changes per junction (offset, cycle, greens and their split, control delay) and the
 * delay per section between junctions, both ways, that the map colours.
 */
import { arterialMean, type CorridorKpis } from '../../../../../simulations/greenwave/compareGreenWave';
import type { SectionKpis } from '../../../../../simulations/greenwave/corridorSections';
import type { BeforeAfter } from '../../../../../simulations/greenwave/greenWaveStudy';
import type { GreenWaveResult, PlanFigures } from '../../../../../simulations/greenwave/planGreenWave';
import type { DiagramIntersection, SignalInterval } from '../../../../../simulations/greenwave/timeSpace';
import type { Rgba } from '../../../twin/core/rasterColours';
import { kpiRows, type KpiRow } from './scenarioDiff';

export type GreenWaveVariant = 'plan' | 'before';

/** One side of the comparison: a study's plan or its "before", with the traffic run that goes with it. */
export interface GreenWaveSide {
  plan: PlanFigures;
  /** The traffic figures of that run (null when the study ran without traffic). */
  traffic: CorridorKpis | null;
}

export function greenWaveSide(result: GreenWaveResult, beforeAfter: BeforeAfter | null, variant: GreenWaveVariant): GreenWaveSide {
  if (variant === 'before') return { plan: result.before, traffic: beforeAfter?.before ?? null };
  return { plan: result, traffic: beforeAfter?.after ?? null };
}

const dir = (d: 'outbound' | 'inbound', f: 'meanTravelTimeSeconds' | 'meanDelaySeconds' | 'meanStops') => (s: GreenWaveSide) => s.traffic?.[d][f] ?? null;
const both = (f: 'meanTravelTimeSeconds' | 'meanDelaySeconds' | 'meanStops') => (s: GreenWaveSide) => (s.traffic ? arterialMean(s.traffic, f) : null);

/** The corridor's figures; keys are i18n keys under `compare.gw`. */
export const GREENWAVE_KPIS: ReadonlyArray<{ key: string; value: (s: GreenWaveSide) => number | null }> = [
  { key: 'compare.gw.cycle', value: (s) => s.plan.cycleSeconds },
  { key: 'compare.gw.speed', value: (s) => s.plan.speedMps * 3.6 },
  { key: 'compare.gw.bandOut', value: (s) => s.plan.bandwidthSeconds.outbound },
  { key: 'compare.gw.bandIn', value: (s) => s.plan.bandwidthSeconds.inbound },
  { key: 'compare.gw.efficiency', value: (s) => s.plan.efficiency.twoWay * 100 },
  { key: 'compare.gw.travelTime', value: both('meanTravelTimeSeconds') },
  { key: 'compare.gw.delay', value: both('meanDelaySeconds') },
  { key: 'compare.gw.stops', value: both('meanStops') },
  { key: 'compare.gw.travelTimeOut', value: dir('outbound', 'meanTravelTimeSeconds') },
  { key: 'compare.gw.travelTimeIn', value: dir('inbound', 'meanTravelTimeSeconds') },
  { key: 'compare.gw.stopsOut', value: dir('outbound', 'meanStops') },
  { key: 'compare.gw.stopsIn', value: dir('inbound', 'meanStops') },
  { key: 'compare.gw.signalDelay', value: (s) => s.traffic?.signalDelaySeconds ?? null },
  { key: 'compare.gw.vehicles', value: (s) => (s.traffic ? s.traffic.outbound.vehicles + s.traffic.inbound.vehicles : null) },
];

export function greenWaveKpis(a: GreenWaveSide, b: GreenWaveSide): KpiRow[] {
  return kpiRows(GREENWAVE_KPIS, a, b);
}

/** A signal's green in one direction: the longest green interval of its diagram (one whole green lies within the three cycles drawn). */
export function greenSeconds(intervals: readonly SignalInterval[], cycleSeconds: number): number {
  const longest = intervals.reduce((m, i) => (i.state === 'green' ? Math.max(m, i.toSeconds - i.fromSeconds) : m), 0);
  return Math.min(cycleSeconds, longest);
}

export interface JunctionTiming {
  offsetSeconds: number;
  cycleSeconds: number;
  outboundGreenSeconds: number;
  inboundGreenSeconds: number;
  /** Outbound green as a share of the cycle. */
  split: number;
  /** Mean control delay of the vehicles through the junction in that run, s. */
  controlDelaySeconds: number | null;
}

export interface JunctionChange {
  id: string;
  positionM: number;
  a: JunctionTiming | null;
  b: JunctionTiming | null;
  /** B − A; null when the junction is on one side only. */
  offsetChangeSeconds: number | null;
  cycleChangeSeconds: number | null;
  splitChange: number | null;
  controlDelayChangeSeconds: number | null;
}

function timing(side: GreenWaveSide, j: DiagramIntersection): JunctionTiming {
  const cycle = side.plan.cycleSeconds;
  const out = greenSeconds(j.outbound, cycle);
  const delay = side.traffic?.junctions?.find((x) => x.id === j.id);
  return {
    offsetSeconds: side.plan.offsetsSeconds[j.id] ?? j.offsetSeconds,
    cycleSeconds: cycle,
    outboundGreenSeconds: out,
    inboundGreenSeconds: greenSeconds(j.inbound, cycle),
    split: out / cycle,
    controlDelaySeconds: delay && delay.vehicles > 0 ? delay.controlDelaySeconds : null,
  };
}

const minus = (x: number | null | undefined, y: number | null | undefined): number | null => (x === null || x === undefined || y === null || y === undefined ? null : x - y);

/**
 * Per junction along the arterial (A's order, then any only B has), its timing on each side
 * and the change. Throws when the two sides share no junction: they coordinate different roads.
 */
export function junctionChanges(a: GreenWaveSide, b: GreenWaveSide, names: [string, string] = ['A', 'B']): JunctionChange[] {
  const ja = new Map(a.plan.diagram.intersections.map((j) => [j.id, j]));
  const jb = new Map(b.plan.diagram.intersections.map((j) => [j.id, j]));
  if (![...ja.keys()].some((id) => jb.has(id))) {
    throw new Error(`${names[0]} and ${names[1]} share no junction: they coordinate different roads and cannot be compared junction by junction`);
  }
  const ids = [...ja.keys(), ...[...jb.keys()].filter((id) => !ja.has(id))];
  return ids.map((id) => {
    const ta = ja.has(id) ? timing(a, ja.get(id)!) : null;
    const tb = jb.has(id) ? timing(b, jb.get(id)!) : null;
    return {
      id,
      positionM: (ja.get(id) ?? jb.get(id))!.positionM,
      a: ta,
      b: tb,
      offsetChangeSeconds: minus(tb?.offsetSeconds, ta?.offsetSeconds),
      cycleChangeSeconds: minus(tb?.cycleSeconds, ta?.cycleSeconds),
      splitChange: minus(tb?.split, ta?.split),
      controlDelayChangeSeconds: minus(tb?.controlDelaySeconds, ta?.controlDelaySeconds),
    };
  });
}

export interface SectionChange {
  key: string;
  direction: 'outbound' | 'inbound';
  fromId: string | null;
  toId: string | null;
  a: SectionKpis | null;
  b: SectionKpis | null;
  /** B − A delay on the section, s (negative: better in B). */
  delayChangeSeconds: number | null;
  travelTimeChangeSeconds: number | null;
}

/** Per section (A's order, then any only B has), both sides' figures and the change in delay. */
export function sectionChanges(a: GreenWaveSide, b: GreenWaveSide): SectionChange[] {
  const sa = new Map((a.traffic?.sections ?? []).map((s) => [s.key, s]));
  const sb = new Map((b.traffic?.sections ?? []).map((s) => [s.key, s]));
  const keys = [...sa.keys(), ...[...sb.keys()].filter((k) => !sa.has(k))];
  return keys.map((key) => {
    const x = sa.get(key) ?? null;
    const y = sb.get(key) ?? null;
    const s = (x ?? y)!;
    return {
      key,
      direction: s.direction,
      fromId: s.fromId,
      toId: s.toId,
      a: x,
      b: y,
      delayChangeSeconds: minus(y?.delaySeconds, x?.delaySeconds),
      travelTimeChangeSeconds: minus(y?.travelTimeSeconds, x?.travelTimeSeconds),
    };
  });
}

/** Sections changing by less than this many seconds of delay count as unchanged. */
export const QUIET_DELAY_SECONDS = 2;

/**
 * A side's section on the split screen, coloured by how it compares with the other side:
 * green where its delay is lower, red where higher (full at `fullAtSeconds`), pale grey within
 * ±QUIET_DELAY_SECONDS, dark grey where the other side has no figure for it.
 */
export function betterWorseColour(ownMinusOther: number | null, fullAtSeconds = 30): Rgba {
  if (ownMinusOther === null || Number.isNaN(ownMinusOther)) return [110, 110, 120, 220];
  if (Math.abs(ownMinusOther) < QUIET_DELAY_SECONDS) return [225, 225, 225, 230];
  const f = Math.min(1, Math.abs(ownMinusOther) / fullAtSeconds);
  return ownMinusOther < 0 ? [Math.round(120 * (1 - f)), Math.round(200 + 30 * f), Math.round(120 * (1 - f)), 240] : [Math.round(235 + 20 * f), Math.round(140 * (1 - f)), Math.round(60 * (1 - f)), 240];
}
