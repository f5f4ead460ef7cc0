/**
 * A traffic-simulation network for an arterial alone: the arterial as a straight road (two lanes
 * each way) through its signalised intersections, 300 m of approach before the first and after
 * the last, and a short cross street at every intersection whose phase runs while the arterial
 * is red. Signal phases come from the arterial's greens at a given cycle, with phase 0 starting
 * at the outbound green, so the outbound green starts at the signal's offset.
 *
 * Also the demand that loads it: through traffic both ways plus crossing traffic.
 */
import type { DemandSpec } from '../traffic/demand';
import type { Link, NetNode, Network, SignalPhase } from '../traffic/network';
import { mod, TIME_EPS, timingsAt, type Arterial } from './arterial';
import { findCorridor, type ArterialCorridor } from './corridor';

export interface CorridorDemand {
  /** Through vehicles per hour and direction (default 700: a busy two-lane approach). */
  throughVehPerHour?: number;
  /** Crossing vehicles per hour and cross-street approach (default 120). */
  crossVehPerHour?: number;
  /** Departures spread over this many seconds (default 1800). */
  durationSeconds?: number;
  seed?: number;
}

export const APPROACH_M = 300;
const CROSS_M = 150;
// Node ids of the added ends and cross streets: separators no intersection id is likely to use.
const ENTRY = '__entry';
const EXIT = '__exit';
const stubId = (id: string, side: 'N' | 'S'): string => `${id}__${side}`;
const linkId = (from: string, to: string): string => `${from}>${to}`;

/**
 * Phases of one intersection over a cycle starting at its outbound green: the cycle is cut at
 * the starts and ends of both arterial greens, and each piece gives green to the arterial
 * directions whose green covers it, or to the cross street when neither does.
 */
function phasesOf(cycle: number, green: number, inStart: number, inGreen: number, links: { out: string; in: string; cross: string[] }): SignalPhase[] {
  const cuts = [0, green, inStart, inStart + inGreen].map((t) => mod(t, cycle));
  cuts.push(cycle);
  const sorted = [...new Set(cuts.map((t) => Math.round(t * 1e6) / 1e6))].sort((a, b) => a - b);
  const inArc = (t: number, start: number, len: number): boolean => len >= cycle - TIME_EPS || mod(t - start, cycle) < len - TIME_EPS;
  const phases: SignalPhase[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    const duration = sorted[k + 1]! - sorted[k]!;
    if (duration <= TIME_EPS) continue;
    const mid = (sorted[k]! + sorted[k + 1]!) / 2;
    const greenLinks: string[] = [];
    if (inArc(mid, 0, green)) greenLinks.push(links.out);
    if (inArc(mid, inStart, inGreen)) greenLinks.push(links.in);
    if (greenLinks.length === 0) greenLinks.push(...links.cross);
    const last = phases[phases.length - 1];
    if (last && last.greenLinks.join() === greenLinks.join()) last.durationSeconds += duration;
    else phases.push({ durationSeconds: duration, greenLinks });
  }
  return phases;
}

/** Whether the arterial's greens leave the cross street any time in the cycle. */
function crossServed(cycle: number, green: number, inStart: number, inGreen: number): boolean {
  return phasesOf(cycle, green, inStart, inGreen, { out: 'o', in: 'i', cross: ['c'] }).some((p) => p.greenLinks.includes('c'));
}

/**
 * The arterial's network at `cycleSeconds` (greens keep their split) with the arterial's links
 * signed at `speedMps`; offsets 0 until a plan is applied.
 */
export function arterialNetwork(arterial: Arterial, cycleSeconds: number, speedMps: number): { network: Network; corridor: ArterialCorridor } {
  const t = timingsAt(arterial, cycleSeconds, speedMps);
  const list = arterial.intersections;
  const x0 = list[0]!.positionM;
  const ids = list.map((s) => s.id);
  const taken = new Set([ENTRY, EXIT, ...ids.flatMap((id) => [stubId(id, 'N'), stubId(id, 'S')])]);
  ids.forEach((id, i) => {
    if (taken.has(id)) throw new RangeError(`intersections[${i}].id: "${id}" is reserved for the corridor network's own nodes`);
  });
  const chain = [ENTRY, ...ids, EXIT];
  const xs = [-APPROACH_M, ...list.map((s) => s.positionM - x0), list[list.length - 1]!.positionM - x0 + APPROACH_M];
  const nodes: NetNode[] = chain.map((id, i) => ({ id, x: xs[i]!, y: 0 }));
  const links: Link[] = [];
  const road = (from: string, to: string, lengthM: number, lanes: number, speed: number, name: string): void => {
    links.push({ id: linkId(from, to), from, to, lengthM, lanes, speedLimitMps: speed, name });
  };
  for (let i = 0; i + 1 < chain.length; i++) {
    const len = xs[i + 1]! - xs[i]!;
    road(chain[i]!, chain[i + 1]!, len, 2, speedMps, 'arterial');
    road(chain[i + 1]!, chain[i]!, len, 2, speedMps, 'arterial');
  }
  list.forEach((s, i) => {
    const node = nodes[i + 1]!;
    const links_ = { out: linkId(chain[i]!, s.id), in: linkId(chain[i + 2]!, s.id), cross: [] as string[] };
    if (crossServed(cycleSeconds, t.green[i]!, t.inboundStart[i]!, t.inboundGreen[i]!)) {
      for (const [side, y] of [['N', CROSS_M], ['S', -CROSS_M]] as const) {
        const stub = stubId(s.id, side);
        nodes.push({ id: stub, x: node.x, y });
        road(stub, s.id, CROSS_M, 1, 13.9, 'cross street');
        road(s.id, stub, CROSS_M, 1, 13.9, 'cross street');
        links_.cross.push(linkId(stub, s.id));
      }
    }
    node.signal = { cycleSeconds, offsetSeconds: 0, phases: phasesOf(cycleSeconds, t.green[i]!, t.inboundStart[i]!, t.inboundGreen[i]!, links_) };
  });
  const network: Network = { nodes, links };
  return { network, corridor: findCorridor(network, ids) };
}

/** Through traffic end to end both ways and crossing traffic at each intersection, as OD matrices. */
export function corridorDemand(network: Network, arterial: Arterial, options: CorridorDemand = {}): DemandSpec {
  const duration = options.durationSeconds ?? 1800;
  const hours = duration / 3600;
  const through = (options.throughVehPerHour ?? 700) * hours;
  const cross = (options.crossVehPerHour ?? 120) * hours;
  const profile = [{ startSeconds: 0, endSeconds: duration, share: 1 }];
  const have = new Set(network.nodes.map((n) => n.id));
  const matrices: DemandSpec['matrices'] = [
    { origins: [ENTRY, EXIT], destinations: [ENTRY, EXIT], vehicles: [[0, through], [through, 0]], profile },
  ];
  for (const s of arterial.intersections) {
    const n = stubId(s.id, 'N');
    const south = stubId(s.id, 'S');
    if (!have.has(n)) continue;
    matrices.push({ origins: [n, south], destinations: [n, south], vehicles: [[0, cross], [cross, 0]], profile });
  }
  return { matrices, seed: options.seed ?? 1 };
}
