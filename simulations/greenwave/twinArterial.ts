/**
 * The arterial of a twin: the signals on one road (by default the longest road of class
 * "arterial"), placed by their distance along the road's centreline, with their timings.
 *
 * A signal may carry its timing as properties (`cycleSeconds`, `greenSeconds`,
 * `inboundGreenSeconds`, `inboundGreenStartSeconds`, `offsetSeconds`); signals without them get
 * the traffic simulation's default two-phase plan (simulations/traffic/signalPlan.ts): the main
 * road's green if the arterial has the most lanes of the roads listed at the signal, else the
 * cross road's green, stretched to the requested cycle. Pure: takes the parsed GeoJSON layers.
 */
import type { RoadProps, SignalProps } from '../../domain/citySource';
import { chainageOnLine, MEAN_EARTH_RADIUS_M } from '../../kernel/geodesy';
import { DEFAULT_SIGNAL_PLAN } from '../traffic/signalPlan';
import type { Arterial, ArterialIntersection } from './arterial';

interface Feature<G, P> {
  type: 'Feature';
  geometry: G;
  properties: P;
}
interface FeatureCollection<G, P> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}
type LineString = { type: 'LineString'; coordinates: number[][] };
type Point = { type: 'Point'; coordinates: number[] };

/** Timing a signal feature may carry beyond SignalProps. */
interface SignalTiming {
  cycleSeconds?: unknown;
  greenSeconds?: unknown;
  inboundGreenSeconds?: unknown;
  inboundGreenStartSeconds?: unknown;
  offsetSeconds?: unknown;
}

export type RoadCollection = FeatureCollection<LineString, RoadProps>;
export type SignalCollection = FeatureCollection<Point, SignalProps & SignalTiming>;

export interface TwinArterialOptions {
  roadId?: string;
  /** Cycle of the default plan, seconds (default: the plan's own, 90 s). */
  cycleSeconds?: number;
}

export interface TwinArterial {
  roadId: string;
  roadName: string;
  arterial: Arterial;
  /** Each intersection's position [lon, lat], for maps. */
  lonLat: Record<string, [number, number]>;
}

const PLAN = DEFAULT_SIGNAL_PLAN;
/** The default plan's cycle: main green, all-red, cross green, all-red. */
const PLAN_CYCLE_SECONDS = PLAN.mainGreenSeconds + PLAN.crossGreenSeconds + 2 * PLAN.allRedSeconds;

/** Chainage of point p on the polyline (metres from its start) by closest-point projection. */
function chainage(line: [number, number][], p: [number, number]): { s: number; dist: number } {
  const { chainageM, distanceM } = chainageOnLine(line, p);
  return { s: chainageM, dist: distanceM };
}

function numberProp(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Length of a lon/lat polyline in degrees of latitude: enough to compare roads of one district. */
function degreeLength(line: LineString): number {
  const c = line.coordinates;
  const cosLat = Math.cos(((c[0]?.[1] ?? 0) * Math.PI) / 180);
  let len = 0;
  for (let i = 1; i < c.length; i++) len += Math.hypot((c[i]![0]! - c[i - 1]![0]!) * cosLat, c[i]![1]! - c[i - 1]![1]!);
  return len;
}

/** The road to coordinate: `roadId`, or the longest road of class "arterial". */
export function chooseArterialRoad(roads: RoadCollection, roadId?: string): Feature<LineString, RoadProps> {
  const road = roadId
    ? roads.features.find((f) => f.properties.id === roadId)
    : roads.features
        .filter((f) => f.properties.class === 'arterial' && f.geometry?.type === 'LineString')
        .sort((a, b) => degreeLength(b.geometry) - degreeLength(a.geometry))[0];
  if (!road) throw new RangeError(roadId ? `roadId: no road "${roadId}" in the twin` : 'the twin has no arterial road');
  if (road.geometry?.type !== 'LineString') throw new RangeError(`roadId: road "${road.properties.id}" is not a LineString`);
  return road;
}

export function twinArterial(roads: RoadCollection, signals: SignalCollection, options: TwinArterialOptions = {}): TwinArterial {
  const road = chooseArterialRoad(roads, options.roadId);
  const [lon0, lat0] = road.geometry.coordinates[0] as [number, number];
  const k = (Math.PI / 180) * MEAN_EARTH_RADIUS_M; // a local equirectangular frame over a few km is within 0.1 % of geodesic
  const cosLat = Math.cos((lat0 * Math.PI) / 180);
  const project = (c: number[]): [number, number] => [(c[0]! - lon0) * k * cosLat, (c[1]! - lat0) * k];
  const line = road.geometry.coordinates.map(project);
  const lanesById = new Map(roads.features.map((f) => [f.properties.id, f.properties.lanes]));
  const cycleDefault = options.cycleSeconds ?? PLAN_CYCLE_SECONDS;

  const onRoad = signals.features
    .filter((f) => f.geometry?.type === 'Point' && f.properties.roadIds.includes(road.properties.id))
    .map((f) => ({ f, s: chainage(line, project(f.geometry.coordinates)).s }))
    .sort((a, b) => a.s - b.s);
  if (onRoad.length < 2) throw new RangeError(`road "${road.properties.id}" has ${onRoad.length} signal(s); a green wave needs at least 2`);

  const cycles = onRoad.map(({ f }) => numberProp(f.properties.cycleSeconds) ?? cycleDefault);
  const cycleSeconds = Math.max(...cycles);
  const offsets: Record<string, number> = {};
  const intersections: ArterialIntersection[] = onRoad.map(({ f, s }, i) => {
    const p = f.properties;
    // A signal running another cycle keeps its split at the common cycle.
    const scale = cycleSeconds / cycles[i]!;
    const crossLanes = p.roadIds.filter((id) => id !== road.properties.id).map((id) => lanesById.get(id) ?? 0);
    const isMain = crossLanes.every((lanes) => road.properties.lanes >= lanes);
    const planGreen = (isMain ? PLAN.mainGreenSeconds : PLAN.crossGreenSeconds) * (cycles[i]! / PLAN_CYCLE_SECONDS);
    const green = numberProp(p.greenSeconds) ?? planGreen;
    const out: ArterialIntersection = { id: p.id, positionM: Math.round(s * 10) / 10, greenSeconds: Math.round(green * scale * 10) / 10 };
    const inGreen = numberProp(p.inboundGreenSeconds);
    const inStart = numberProp(p.inboundGreenStartSeconds);
    if (inGreen !== undefined) out.inboundGreenSeconds = inGreen * scale;
    if (inStart !== undefined) out.inboundGreenStartSeconds = inStart * scale;
    const offset = numberProp(p.offsetSeconds);
    if (offset !== undefined) offsets[p.id] = offset * scale;
    return out;
  });
  const speedMps = road.properties.speedKmh / 3.6;
  const arterial: Arterial = { cycleSeconds, speedMps, intersections };
  if (Object.keys(offsets).length > 0) arterial.offsetsSeconds = offsets;
  return {
    roadId: road.properties.id,
    roadName: road.properties.name,
    arterial,
    lonLat: Object.fromEntries(onRoad.map(({ f }) => [f.properties.id, f.geometry.coordinates.slice(0, 2) as [number, number]])),
  };
}
