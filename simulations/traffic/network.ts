/**
 * The road network the traffic simulation runs on, and the signal model it shares with the
 * green-wave optimiser (simulations/greenwave/): nodes in a local metric frame, directed links,
 * and fixed-time signals on nodes whose phases list the incoming links that have green.
 *
 * Pure data and pure functions; importers (network JSON, OSM, the twin's roads) produce a
 * Network, the simulation compiles it into typed arrays (compiledNetwork.ts).
 */

export interface SignalPhase {
  durationSeconds: number;
  /** Incoming link ids that have green during this phase. */
  greenLinks: string[];
}

export interface Signal {
  /** Sum of the phase durations. */
  cycleSeconds: number;
  /** Shifts the start of phase 0 in the cycle: t_phase0_start = offsetSeconds mod cycleSeconds. */
  offsetSeconds: number;
  phases: SignalPhase[];
}

export interface NetNode {
  id: string;
  /** Metres east of the network's origin. */
  x: number;
  /** Metres north of the network's origin. */
  y: number;
  signal?: Signal;
}

export interface Link {
  id: string;
  /** Upstream node id. */
  from: string;
  /** Downstream node id (the stop line is at this end). */
  to: string;
  lengthM: number;
  lanes: number;
  speedLimitMps: number;
  /** Centreline from `from` to `to` in the local frame, for drawing; a straight line when absent. */
  shape?: Array<[number, number]>;
  name?: string;
}

/** A permitted movement from an incoming link to an outgoing link at their shared node. */
export interface Connection {
  from: string;
  to: string;
}

export interface Network {
  nodes: NetNode[];
  links: Link[];
  /**
   * Permitted turns. When absent every outgoing link of a node is reachable from every incoming
   * one except the U-turn back along the same road (allowed only at dead ends).
   */
  connections?: Connection[];
  /** Geodetic position of the local frame's origin, when the network came from a map. */
  origin?: { lon: number; lat: number };
}

/**
 * A copy of `network` whose signals have the given offsets (seconds, by node id). Offsets for
 * nodes without a signal are an error rather than silently ignored: a green-wave plan naming the
 * wrong node would otherwise look applied.
 */
export function applySignalOffsets(network: Network, offsetsByNodeId: Record<string, number>): Network {
  const byId = new Map(network.nodes.map((n) => [n.id, n]));
  for (const [id, offset] of Object.entries(offsetsByNodeId)) {
    const node = byId.get(id);
    if (!node) throw new RangeError(`signal offsets: unknown node "${id}"`);
    if (!node.signal) throw new RangeError(`signal offsets: node "${id}" has no signal`);
    if (!Number.isFinite(offset)) throw new RangeError(`signal offsets: "${id}" must be a finite number of seconds, got ${offset}`);
  }
  return {
    ...network,
    links: network.links.map((l) => ({ ...l, shape: l.shape?.map((p) => [p[0], p[1]] as [number, number]) })),
    connections: network.connections?.map((c) => ({ ...c })),
    nodes: network.nodes.map((n) => {
      if (!n.signal) return { ...n };
      const offset = offsetsByNodeId[n.id];
      return {
        ...n,
        signal: {
          cycleSeconds: n.signal.cycleSeconds,
          offsetSeconds: offset ?? n.signal.offsetSeconds,
          phases: n.signal.phases.map((p) => ({ durationSeconds: p.durationSeconds, greenLinks: [...p.greenLinks] })),
        },
      };
    }),
  };
}

/** Index of the phase running at time `t` (seconds) and how far into it we are. */
export function phaseAt(signal: Signal, t: number): { phase: number; intoSeconds: number } {
  const c = signal.cycleSeconds;
  let u = (((t - signal.offsetSeconds) % c) + c) % c;
  for (let i = 0; i < signal.phases.length; i++) {
    const d = signal.phases[i]!.durationSeconds;
    if (u < d) return { phase: i, intoSeconds: u };
    u -= d;
  }
  // Rounding can leave u a hair past the last phase when durations sum to the cycle exactly.
  const last = signal.phases.length - 1;
  return { phase: last, intoSeconds: signal.phases[last]!.durationSeconds };
}

/** The last seconds of a green that the next phase does not continue show amber. */
export const AMBER_SECONDS = 3;

export type SignalLight = 'green' | 'amber' | 'red';

/** The light `linkId` shows at time `t`: red outside its phases, amber at the end of a green. */
export function signalLight(signal: Signal, linkId: string, t: number): SignalLight {
  const { phase, intoSeconds } = phaseAt(signal, t);
  const current = signal.phases[phase]!;
  if (!current.greenLinks.includes(linkId)) return 'red';
  const next = signal.phases[(phase + 1) % signal.phases.length]!;
  return !next.greenLinks.includes(linkId) && current.durationSeconds - intoSeconds <= AMBER_SECONDS ? 'amber' : 'green';
}

/** Whether `linkId` has green (amber included) at node `signal` at time `t`. */
export function isGreen(signal: Signal, linkId: string, t: number): boolean {
  return signal.phases[phaseAt(signal, t).phase]!.greenLinks.includes(linkId);
}

/** Straight-line or shape length of a polyline, metres. */
export function polylineLength(points: ReadonlyArray<readonly [number, number]>): number {
  let len = 0;
  for (let i = 1; i < points.length; i++) len += Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]);
  return len;
}
