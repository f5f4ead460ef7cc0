/**
 * A Network compiled into index-based typed arrays for the simulation loop: link attributes,
 * a global lane numbering, the permitted successor links of each link, and the signal serving
 * each link's stop line. Built once per run; never mutated.
 */
import { checkReferences } from './networkJson';
import type { Network, Signal } from './network';

export interface CompiledSignal {
  nodeIndex: number;
  signal: Signal;
  /** Cumulative phase start times within the cycle, seconds. */
  phaseStarts: Float64Array;
  /** green[phase * linkSlots + slot]: whether the incoming link in `slot` has green in `phase`. */
  green: Uint8Array;
  /** Incoming link indices, one per slot. */
  links: Int32Array;
}

export interface CompiledNetwork {
  network: Network;
  nodeIndex: Map<string, number>;
  linkIndex: Map<string, number>;
  linkFrom: Int32Array;
  linkTo: Int32Array;
  lengthM: Float64Array;
  lanes: Int32Array;
  speedLimitMps: Float64Array;
  /** Global index of each link's lane 0; lane k of link l is laneStart[l] + k. */
  laneStart: Int32Array;
  laneCount: number;
  /** Permitted successor links per link. */
  successors: Int32Array[];
  /** Outgoing links per node. */
  nodeOut: Int32Array[];
  signals: CompiledSignal[];
  /** Per link: index into `signals` of the signal at its downstream node, or -1. */
  linkSignal: Int32Array;
  /** Per link: its slot in that signal's `links`, or -1. */
  linkSignalSlot: Int32Array;
}

export function compileNetwork(network: Network): CompiledNetwork {
  checkReferences(network);
  const nodeIndex = new Map(network.nodes.map((n, i) => [n.id, i]));
  const linkIndex = new Map(network.links.map((l, i) => [l.id, i]));
  const nl = network.links.length;
  const linkFrom = new Int32Array(nl);
  const linkTo = new Int32Array(nl);
  const lengthM = new Float64Array(nl);
  const lanes = new Int32Array(nl);
  const speedLimitMps = new Float64Array(nl);
  const laneStart = new Int32Array(nl);
  let laneCount = 0;
  const outLists: number[][] = network.nodes.map(() => []);
  network.links.forEach((l, i) => {
    linkFrom[i] = nodeIndex.get(l.from)!;
    linkTo[i] = nodeIndex.get(l.to)!;
    lengthM[i] = l.lengthM;
    lanes[i] = l.lanes;
    speedLimitMps[i] = l.speedLimitMps;
    laneStart[i] = laneCount;
    laneCount += l.lanes;
    outLists[linkFrom[i]!]!.push(i);
  });

  let successorLists: number[][];
  if (network.connections) {
    successorLists = network.links.map(() => []);
    for (const c of network.connections) successorLists[linkIndex.get(c.from)!]!.push(linkIndex.get(c.to)!);
  } else {
    successorLists = network.links.map((_, i) => {
      const out = outLists[linkTo[i]!]!;
      // A U-turn goes back to where the link came from; allowed only where nothing else is.
      const onward = out.filter((o) => linkTo[o] !== linkFrom[i]);
      return onward.length > 0 ? onward : out.slice();
    });
  }

  const signals: CompiledSignal[] = [];
  const linkSignal = new Int32Array(nl).fill(-1);
  const linkSignalSlot = new Int32Array(nl).fill(-1);
  network.nodes.forEach((n, ni) => {
    if (!n.signal) return;
    const incoming = network.links.map((l, li) => (l.to === n.id ? li : -1)).filter((li) => li >= 0);
    const phases = n.signal.phases;
    const green = new Uint8Array(phases.length * incoming.length);
    const phaseStarts = new Float64Array(phases.length);
    let t = 0;
    phases.forEach((p, pi) => {
      phaseStarts[pi] = t;
      t += p.durationSeconds;
      for (const id of p.greenLinks) green[pi * incoming.length + incoming.indexOf(linkIndex.get(id)!)] = 1;
    });
    incoming.forEach((li, slot) => {
      linkSignal[li] = signals.length;
      linkSignalSlot[li] = slot;
    });
    signals.push({ nodeIndex: ni, signal: n.signal, phaseStarts, green, links: Int32Array.from(incoming) });
  });

  return {
    network,
    nodeIndex,
    linkIndex,
    linkFrom,
    linkTo,
    lengthM,
    lanes,
    speedLimitMps,
    laneStart,
    laneCount,
    successors: successorLists.map((s) => Int32Array.from(s)),
    nodeOut: outLists.map((s) => Int32Array.from(s)),
    signals,
    linkSignal,
    linkSignalSlot,
  };
}
