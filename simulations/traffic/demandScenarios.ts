/**
 * Ready-made demands for a network as OD matrices with time profiles: the weekday peak hour
 * (commuters through the district's gateways plus trips within it) and a holiday (visitors
 * streaming from the gateways to the attractions, on top of lighter background traffic).
 * Gateways are the nodes at the network's edge where only one road leads in.
 */
import { expandDemand, type Demand, type OdMatrix, type ProfileSlice } from './demand';
import type { Network } from './network';

/** Trips shorter than this, as the crow flies, are walked: left out of the matrices, metres. */
const MIN_TRIP_M = 400;
/** A gateway attracts and produces this many times the trips of an inner node. */
const GATEWAY_WEIGHT = 4;

/** Shares of the peak hour per quarter: the middle half is the busiest. */
const PEAK_PROFILE = [0.22, 0.28, 0.28, 0.22];

export interface DemandOptions {
  /** Vehicles over the whole profile. */
  vehicles: number;
  /** Length of the profile, seconds (peak: default 3,600). */
  durationSeconds?: number;
  seed?: number;
}

function gateways(network: Network): Set<string> {
  const degree = new Map<string, number>();
  for (const l of network.links) degree.set(l.to, (degree.get(l.to) ?? 0) + 1);
  return new Set(network.nodes.filter((n) => degree.get(n.id) === 1).map((n) => n.id));
}

function profile(durationSeconds: number, shares: readonly number[]): ProfileSlice[] {
  const step = durationSeconds / shares.length;
  return shares.map((share, k) => ({ startSeconds: k * step, endSeconds: (k + 1) * step, share }));
}

/** vehicles[i][j] ∝ weight(i)·weight(j) over pairs at least MIN_TRIP_M apart, summing to `total`. */
function gravityMatrix(network: Network, origins: string[], destinations: string[], weight: (id: string, asOrigin: boolean) => number, total: number, slices: ProfileSlice[]): OdMatrix {
  const at = new Map(network.nodes.map((n) => [n.id, n]));
  const raw = origins.map((o) =>
    destinations.map((d) => {
      const a = at.get(o)!;
      const b = at.get(d)!;
      return o !== d && Math.hypot(a.x - b.x, a.y - b.y) >= MIN_TRIP_M ? weight(o, true) * weight(d, false) : 0;
    }),
  );
  const sum = raw.reduce((s, row) => s + row.reduce((a, v) => a + v, 0), 0);
  const scale = sum > 0 ? total / sum : 0;
  return { origins, destinations, vehicles: raw.map((row) => row.map((v) => v * scale)), profile: slices };
}

function drivableNodes(network: Network): { from: string[]; to: string[] } {
  const hasOut = new Set(network.links.map((l) => l.from));
  const hasIn = new Set(network.links.map((l) => l.to));
  return { from: network.nodes.filter((n) => hasOut.has(n.id)).map((n) => n.id), to: network.nodes.filter((n) => hasIn.has(n.id)).map((n) => n.id) };
}

/** A weekday peak hour: trips between all nodes, gateways weighted as the district's entries. */
export function peakDemand(network: Network, opts: DemandOptions): Demand {
  const gw = gateways(network);
  const { from, to } = drivableNodes(network);
  const slices = profile(opts.durationSeconds ?? 3600, PEAK_PROFILE);
  const weight = (id: string): number => (gw.has(id) ? GATEWAY_WEIGHT : 1);
  return expandDemand({ seed: opts.seed ?? 1, matrices: [gravityMatrix(network, from, to, weight, opts.vehicles, slices)] });
}

/**
 * A holiday: 70 % of the vehicles head for the attractions (node ids), most of them from the
 * gateways, arriving in a morning wave; the rest is background traffic spread evenly.
 */
export function holidayDemand(network: Network, attractions: string[], opts: DemandOptions): Demand {
  if (attractions.length === 0) throw new RangeError('a holiday demand needs at least one attraction');
  const gw = gateways(network);
  const { from, to } = drivableNodes(network);
  const duration = opts.durationSeconds ?? 7200;
  const visitors = gravityMatrix(network, from, attractions, (id, asOrigin) => (asOrigin ? (gw.has(id) ? 3 * GATEWAY_WEIGHT : 1) : 1), opts.vehicles * 0.7, profile(duration, [0.15, 0.3, 0.3, 0.15, 0.1]));
  const background = gravityMatrix(network, from, to, (id) => (gw.has(id) ? GATEWAY_WEIGHT : 1), opts.vehicles * 0.3, profile(duration, [1]));
  return expandDemand({ seed: opts.seed ?? 1, matrices: [visitors, background] });
}

/** The node nearest to each point (local metres), for placing attractions on the network. */
export function nearestNodes(network: Network, points: Array<{ x: number; y: number }>): string[] {
  const hasIn = new Set(network.links.map((l) => l.to));
  const candidates = network.nodes.filter((n) => hasIn.has(n.id));
  const out = new Set<string>();
  for (const p of points) {
    let best = candidates[0];
    for (const n of candidates) if (Math.hypot(n.x - p.x, n.y - p.y) < Math.hypot(best!.x - p.x, best!.y - p.y)) best = n;
    if (best) out.add(best.id);
  }
  return [...out];
}
