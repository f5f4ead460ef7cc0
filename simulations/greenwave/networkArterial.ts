/**
 * The arterial as a traffic network holds it: the road's links chained end to end, the
 * signalised nodes along the chain as the arterial's intersections (positions by distance along
 * the chain), and their greens, inbound starts and offsets read from the signals' phases. So a
 * plan is optimised for exactly the timings the simulation runs.
 */
import type { Link, Network } from '../traffic/network';
import { mod, type Arterial, type ArterialIntersection } from './arterial';
import { greenRun } from './compareGreenWave';
import type { ArterialCorridor } from './corridor';

export interface NetworkArterial {
  arterial: Arterial;
  corridor: ArterialCorridor;
  /** The chain's end nodes, outbound first: where through trips along the whole arterial start and end. */
  ends: [string, string];
}

/**
 * Chains the links `onRoad` selects (a two-way road: a link each way between consecutive nodes)
 * from its westernmost end, so outbound runs west to east (south to north on a north–south road).
 * The progression speed is the chain's length-weighted speed limit.
 */
export function arterialInNetwork(network: Network, onRoad: (link: Link) => boolean): NetworkArterial {
  const links = network.links.filter(onRoad);
  if (links.length === 0) throw new RangeError('the network has no links on the arterial');
  const nodes = new Map(network.nodes.map((n) => [n.id, n]));
  const outOf = new Map<string, Link[]>();
  for (const l of links) outOf.set(l.from, [...(outOf.get(l.from) ?? []), l]);
  // Ends have one neighbour on the road; start from the westernmost (then southernmost).
  const ends = [...outOf.keys()].filter((id) => new Set(outOf.get(id)!.map((l) => l.to)).size === 1);
  if (ends.length === 0) throw new RangeError('the arterial is a loop; it needs two ends');
  const start = ends.sort((a, b) => nodes.get(a)!.x - nodes.get(b)!.x || nodes.get(a)!.y - nodes.get(b)!.y)[0]!;

  const chain: Link[] = [];
  const seen = new Set([start]);
  for (let at = start, prev = ''; ; ) {
    const next = (outOf.get(at) ?? []).filter((l) => l.to !== prev && !seen.has(l.to));
    if (next.length > 1) throw new RangeError(`the arterial branches at node "${at}"`);
    if (next.length === 0) break;
    chain.push(next[0]!);
    prev = at;
    at = next[0]!.to;
    seen.add(at);
  }
  const back = (l: Link): Link => {
    const r = links.find((x) => x.from === l.to && x.to === l.from);
    if (!r) throw new RangeError(`the arterial is one-way between "${l.from}" and "${l.to}"`);
    return r;
  };
  const reverse = chain.map(back);

  // Intersections: signals with an arterial approach from both sides (not the chain's ends).
  const stations: { id: string; positionM: number; outLink: string; inLink: string }[] = [];
  let s = 0;
  for (let j = 0; j + 1 < chain.length; j++) {
    s += chain[j]!.lengthM;
    const node = nodes.get(chain[j]!.to)!;
    if (node.signal) stations.push({ id: node.id, positionM: s, outLink: chain[j]!.id, inLink: reverse[j + 1]!.id });
  }
  if (stations.length < 2) throw new RangeError(`the arterial has ${stations.length} signal(s); a green wave needs at least 2`);

  const cycles = stations.map((st) => nodes.get(st.id)!.signal!.cycleSeconds);
  const C = Math.max(...cycles);
  const intersections: ArterialIntersection[] = [];
  const starts: number[] = [];
  stations.forEach((st, i) => {
    const signal = nodes.get(st.id)!.signal!;
    // A signal on another cycle keeps its split at the common one (as withPlan stretches it).
    const scale = C / cycles[i]!;
    const out = greenRun(signal, st.outLink, `node "${st.id}"`);
    const inb = greenRun(signal, st.inLink, `node "${st.id}"`);
    const x0 = stations[0]!.positionM;
    const item: ArterialIntersection = { id: st.id, positionM: Math.round((st.positionM - x0) * 100) / 100, greenSeconds: out.durationSeconds * scale };
    if (inb.durationSeconds !== out.durationSeconds || inb.startSeconds !== out.startSeconds) {
      item.inboundGreenSeconds = inb.durationSeconds * scale;
      item.inboundGreenStartSeconds = mod(inb.startSeconds - out.startSeconds, cycles[i]!) * scale;
    }
    intersections.push(item);
    starts.push((signal.offsetSeconds + out.startSeconds) * scale);
  });
  const offsetsSeconds = Object.fromEntries(stations.map((st, i) => [st.id, Math.round(mod(starts[i]! - starts[0]!, C) * 1000) / 1000]));
  const length = chain.reduce((a, l) => a + l.lengthM, 0);
  const speedMps = chain.reduce((a, l) => a + l.speedLimitMps * l.lengthM, 0) / length;
  return {
    arterial: { cycleSeconds: C, speedMps, intersections, offsetsSeconds },
    corridor: {
      nodeIds: stations.map((st) => st.id),
      outboundApproach: stations.map((st) => st.outLink),
      inboundApproach: stations.map((st) => st.inLink),
      outboundLinks: chain.map((l) => l.id),
      inboundLinks: [...reverse].reverse().map((l) => l.id),
    },
    ends: [start, chain[chain.length - 1]!.to],
  };
}
