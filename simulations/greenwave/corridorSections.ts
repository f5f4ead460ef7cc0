/**
 * The arterial cut into sections — the stretch a vehicle drives from one coordinated junction
 * (or the arterial's end) to the next, per direction — and each section's figures from a
 * traffic run: mean travel time, delay against free flow, speed and longest queue. Sections are
 * keyed by direction and junction ids, so two studies of one road (on the twin network or on its
 * own corridor network) line up section by section in the side-by-side comparison.
 */
import type { Network } from '../traffic/network';
import type { TrafficResult } from '../traffic/runTraffic';
import type { ArterialCorridor } from './corridor';

export type Direction = 'outbound' | 'inbound';

export interface CorridorSection {
  /** `outbound:S003>S004`; an end of the arterial is `-` (`outbound:->S001`). */
  key: string;
  direction: Direction;
  /** The coordinated junction the section starts at, or null at the arterial's end. */
  fromId: string | null;
  /** The coordinated junction it ends at (its signal's approach), or null past the last one. */
  toId: string | null;
  /** Links in driving order. */
  linkIds: string[];
}

export interface SectionKpis {
  key: string;
  direction: Direction;
  fromId: string | null;
  toId: string | null;
  lengthM: number;
  /** At the posted speeds of the network before the plan, s. */
  freeFlowSeconds: number;
  /** Vehicles that left the section's last link. */
  vehicles: number;
  /** Mean time to drive the section (sum over its links), s; null when a link saw no vehicle. */
  travelTimeSeconds: number | null;
  /** travelTimeSeconds − freeFlowSeconds. */
  delaySeconds: number | null;
  /** lengthM / travelTimeSeconds. */
  meanSpeedMps: number | null;
  /** Most halted vehicles seen on one of its links in one interval. */
  maxQueueVehicles: number;
}

export const sectionKey = (direction: Direction, fromId: string | null, toId: string | null): string => `${direction}:${fromId ?? '-'}>${toId ?? '-'}`;

/** The corridor's links per direction, split wherever a link ends at one of its junctions. */
export function corridorSections(network: Network, corridor: ArterialCorridor): CorridorSection[] {
  const links = new Map(network.links.map((l) => [l.id, l]));
  const junctions = new Set(corridor.nodeIds);
  const out: CorridorSection[] = [];
  for (const [direction, ids] of [['outbound', corridor.outboundLinks], ['inbound', corridor.inboundLinks]] as const) {
    let current: string[] = [];
    let fromId: string | null = null;
    const close = (toId: string | null): void => {
      if (current.length) out.push({ key: sectionKey(direction, fromId, toId), direction, fromId, toId, linkIds: current });
      current = [];
      fromId = toId;
    };
    for (const id of ids) {
      const link = links.get(id);
      if (!link) throw new RangeError(`corridor link "${id}" is not in the network`);
      // A section starts where the previous one ended; a gap in the chain starts afresh.
      if (current.length === 0 && !junctions.has(link.from)) fromId = null;
      current.push(id);
      if (junctions.has(link.to)) close(link.to);
    }
    close(null);
  }
  return out;
}

/**
 * A link's mean traversal time over the run: the per-interval mean speed gives the interval's
 * traversal time (length / speed, the speed being a space-mean over vehicle steps), weighted by
 * the vehicles that left the link in that interval.
 */
function linkTravelSeconds(lengthM: number, speeds: ReadonlyArray<number | null>, exits: readonly number[]): { seconds: number | null; vehicles: number } {
  let weighted = 0;
  let vehicles = 0;
  speeds.forEach((v, k) => {
    const n = exits[k]!;
    // A link with vehicles but a zero mean speed in an interval is a standing queue: no time from it.
    if (v === null || v <= 0 || n <= 0) return;
    weighted += (n * lengthM) / v;
    vehicles += n;
  });
  return { seconds: vehicles > 0 ? weighted / vehicles : null, vehicles };
}

/** Each section's figures from one run; free flow from `reference`'s posted speeds. */
export function sectionKpis(result: TrafficResult, sections: readonly CorridorSection[], reference: Network): SectionKpis[] {
  const links = new Map(reference.links.map((l) => [l.id, l]));
  const series = new Map(result.links.series.map((s) => [s.linkId, s]));
  const interval = result.links.intervalSeconds;
  const duration = result.summary.durationSeconds;
  return sections.map((s) => {
    let lengthM = 0;
    let freeFlowSeconds = 0;
    let travel: number | null = 0;
    let vehicles = 0;
    let maxQueueVehicles = 0;
    for (const id of s.linkIds) {
      const link = links.get(id)!;
      lengthM += link.lengthM;
      freeFlowSeconds += link.lengthM / link.speedLimitMps;
      const row = series.get(id);
      // Flows are per hour of each interval; the last interval may be cut short by the run's end.
      const exits = row ? row.flowVehPerHour.map((f, k) => Math.round((f * Math.max(0, Math.min(interval, duration - k * interval))) / 3600)) : [];
      const t = row ? linkTravelSeconds(link.lengthM, row.meanSpeedMps, exits) : { seconds: null, vehicles: 0 };
      travel = travel === null || t.seconds === null ? null : travel + t.seconds;
      vehicles = t.vehicles;
      if (row) maxQueueVehicles = Math.max(maxQueueVehicles, ...row.queueVehicles);
    }
    return {
      key: s.key,
      direction: s.direction,
      fromId: s.fromId,
      toId: s.toId,
      lengthM,
      freeFlowSeconds,
      vehicles,
      travelTimeSeconds: travel,
      delaySeconds: travel === null ? null : travel - freeFlowSeconds,
      meanSpeedMps: travel ? lengthM / travel : null,
      maxQueueVehicles,
    };
  });
}
