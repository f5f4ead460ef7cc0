/**
 * Bumpers never overlap anywhere along a route, not only between two vehicles of one lane: also
 * across the end of a link and through junctions, where two approaches merge into one link, where
 * trips start on links that others flow into, and where vehicles turn different ways.
 *
 * Positions are metres along each vehicle's route, front bumper. A vehicle that has just crossed a
 * node is on its next link with its front at `pos` < its length: the rest of its body still lies
 * on the lane it came from. So after every step, for every lane, the gap from each vehicle's front
 * to the rear of the vehicle ahead of it on that lane must be ≥ 0: the vehicle ahead in the
 * lane's list, or, for the first of the lane, the body of the vehicle that last left the lane
 * (whichever link it turned onto). Vehicles entering a link must also keep the gap to the one
 * they follow there, which the check of the lanes they enter covers. And a trip that starts at
 * the beginning of a link, its body reaching back over the node, must not appear in front of a
 * vehicle about to cross into that link (one waiting at a red light is not about to).
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../../simulations/traffic/compiledNetwork';
import { expandDemand, type Trip } from '../../../simulations/traffic/demand';
import { CITY_IDM } from '../../../simulations/traffic/idm';
import { signalLight, type Network } from '../../../simulations/traffic/network';
import { STATE_RUNNING, TrafficSimulation } from '../../../simulations/traffic/simulation';
import { grid } from './networks';

/** Rounding in the position update; far below anything a driver would call a gap. */
const EPS_M = 1e-6;

interface Worst {
  gap: number;
  at: string;
}

/**
 * Steps `sim` `steps` times; returns the smallest bumper gap seen between vehicles of one lane,
 * and from the first of a lane to the body of the vehicle that left it across the node, with how
 * many of the latter were measured.
 */
function runAndMeasure(sim: TrafficSimulation, steps: number): { inLane: Worst; acrossNodes: Worst; crossChecks: number; insertions: Worst } {
  const net = sim.net;
  const signals = new Map(net.network.nodes.filter((node) => node.signal).map((node) => [node.id, node.signal!]));
  const insertions: Worst = { gap: Infinity, at: '' };
  const len = sim.idm.length_m;
  const name = (l: number): string => net.network.links[l]!.id;
  const inLane: Worst = { gap: Infinity, at: '' };
  const acrossNodes: Worst = { gap: Infinity, at: '' };
  let crossChecks = 0;
  // Where each vehicle was after the previous step: a change of link is a crossing.
  const n = sim.trips.length;
  const wasLink = new Int32Array(n).fill(-1);
  const wasLane = new Int32Array(n);
  /** Per global lane: the vehicle that last crossed out of it, and the link it crossed onto. */
  const leaver = new Int32Array(net.laneCount).fill(-1);
  const leaverOnto = new Int32Array(net.laneCount).fill(-1);
  for (let s = 0; s < steps; s++) {
    const t0 = sim.t;
    sim.step();
    const t = sim.t;
    for (let v = 0; v < n; v++) {
      const from = wasLink[v]!;
      if (sim.state[v] === STATE_RUNNING && from < 0 && sim.linkEnter[v] === t0) {
        // Inserted this step: every vehicle first in a lane that leads into this link, not held by red.
        const m = sim.link[v]!;
        for (let l = 0; l < net.lengthM.length; l++) {
          const signal = signals.get(net.network.links[l]!.to);
          if (net.linkTo[l] !== net.linkFrom[m] || (signal && signalLight(signal, name(l), t0) === 'red')) continue;
          for (let k = 0; k < net.lanes[l]!; k++) {
            const u = sim.laneVehicles[net.laneStart[l]! + k]![0];
            if (u === undefined || sim.routeIdx[u] === sim.routeLen[u]! - 1 || sim.routePool[sim.routeStart[u]! + sim.routeIdx[u]! + 1] !== m) continue;
            const gap = net.lengthM[l]! - sim.pos[u]! + sim.pos[v]! - len;
            if (gap < insertions.gap) (insertions.gap = gap), (insertions.at = `t=${t}: vehicle ${u} at the end of ${name(l)} lane ${k} behind vehicle ${v} starting on ${name(m)}`);
          }
        }
      }
      if (sim.state[v] === STATE_RUNNING && from >= 0 && sim.link[v] !== from) {
        const lane = net.laneStart[from]! + wasLane[v]!;
        leaver[lane] = v;
        leaverOnto[lane] = sim.link[v]!;
      }
      wasLink[v] = sim.state[v] === STATE_RUNNING ? sim.link[v]! : -1;
      wasLane[v] = sim.lane[v]!;
    }
    for (let l = 0; l < net.lengthM.length; l++) {
      for (let k = 0; k < net.lanes[l]!; k++) {
        const lane = net.laneStart[l]! + k;
        const list = sim.laneVehicles[lane]!;
        for (let i = 1; i < list.length; i++) {
          const gap = sim.pos[list[i - 1]!]! - len - sim.pos[list[i]!]!;
          if (gap < inLane.gap) (inLane.gap = gap), (inLane.at = `t=${t}: vehicle ${list[i]} behind ${list[i - 1]} on ${name(l)} lane ${k}`);
        }
        const first = list[0];
        const w = leaver[lane]!;
        // The leaver's body still reaches back over the node while its front is less than a length in.
        if (first === undefined || w < 0 || sim.state[w] !== STATE_RUNNING || sim.link[w] !== leaverOnto[lane] || sim.pos[w]! >= len) continue;
        const gap = net.lengthM[l]! - sim.pos[first]! + sim.pos[w]! - len;
        crossChecks += 1;
        if (gap < acrossNodes.gap) (acrossNodes.gap = gap), (acrossNodes.at = `t=${t}: vehicle ${first} at the end of ${name(l)} lane ${k} behind vehicle ${w}, ${sim.pos[w]!.toFixed(2)} m onto ${name(sim.link[w]!)}`);
      }
    }
  }
  return { inLane, acrossNodes, crossChecks, insertions };
}

/** Random trips between the grid's border nodes, reproducible from the seed. */
function borderTrips(network: Network, n: number, spacingM: number, count: number, seconds: number): Trip[] {
  const far = (n - 1) * spacingM;
  const border = network.nodes.filter((p) => p.x === 0 || p.y === 0 || p.x === far || p.y === far).map((p) => p.id);
  return expandDemand({
    seed: 11,
    matrices: [
      {
        origins: border,
        destinations: border,
        vehicles: border.map(() => border.map(() => count / (border.length * (border.length - 1)))),
        profile: [{ startSeconds: 0, endSeconds: seconds, share: 1 }],
      },
    ],
  }).trips;
}

/** Two single-lane approaches W → M and S → M merging into one single-lane link M → E, unsignalised. */
function merge(): Network {
  return {
    nodes: [
      { id: 'W', x: 0, y: 0 },
      { id: 'S', x: 300, y: -300 },
      { id: 'M', x: 300, y: 0 },
      { id: 'E', x: 900, y: 0 },
    ],
    links: [
      { id: 'WM', from: 'W', to: 'M', lengthM: 300, lanes: 1, speedLimitMps: 15 },
      { id: 'SM', from: 'S', to: 'M', lengthM: 300, lanes: 1, speedLimitMps: 15 },
      { id: 'ME', from: 'M', to: 'E', lengthM: 600, lanes: 1, speedLimitMps: 15 },
    ],
  };
}

/**
 * One single-lane approach W → M that splits into M → N and a short M → E, whose queue at a long
 * red light at E backs up to M; unsignalised at M.
 */
function diverge(): Network {
  return {
    nodes: [
      { id: 'W', x: 0, y: 0 },
      { id: 'M', x: 300, y: 0 },
      { id: 'N', x: 300, y: 300 },
      {
        id: 'E',
        x: 360,
        y: 0,
        signal: {
          cycleSeconds: 90,
          offsetSeconds: 0,
          phases: [
            { durationSeconds: 70, greenLinks: [] },
            { durationSeconds: 20, greenLinks: ['ME'] },
          ],
        },
      },
      { id: 'F', x: 660, y: 0 },
    ],
    links: [
      { id: 'WM', from: 'W', to: 'M', lengthM: 300, lanes: 1, speedLimitMps: 15 },
      { id: 'MN', from: 'M', to: 'N', lengthM: 300, lanes: 1, speedLimitMps: 15 },
      { id: 'ME', from: 'M', to: 'E', lengthM: 60, lanes: 1, speedLimitMps: 15 },
      { id: 'EF', from: 'E', to: 'F', lengthM: 300, lanes: 1, speedLimitMps: 15 },
    ],
  };
}

describe('bumper gaps along routes', () => {
  it('never overlap where one lane splits: a vehicle turning one way does not run into the one ahead turning the other', () => {
    // Dense enough to queue: the gaps at the split are short.
    const trips: Trip[] = Array.from({ length: 300 }, (_, i) => ({ id: `v${i}`, from: 'W', to: i % 2 ? 'N' : 'F', depart: i * 2.5 }));
    const sim = new TrafficSimulation(compileNetwork(diverge()), trips, CITY_IDM, 0.5);
    const { inLane, acrossNodes, crossChecks } = runAndMeasure(sim, 1600);
    expect(crossChecks).toBeGreaterThan(800);
    // The queue at E backs up over the node and holds the vehicles bound for N behind it.
    expect(sim.arrivedCount).toBeGreaterThan(80);
    expect(inLane.gap, inLane.at).toBeGreaterThanOrEqual(-EPS_M);
    expect(acrossNodes.gap, acrossNodes.at).toBeGreaterThanOrEqual(-EPS_M);
  });

  it('never overlap where two approaches merge into one lane, at either approach or on the merged link', () => {
    // More than one lane can carry: both approaches queue back from the merge.
    const trips: Trip[] = [];
    for (let i = 0; i < 400; i++) {
      trips.push({ id: `w${i}`, from: 'W', to: 'E', depart: i * 1.5 });
      trips.push({ id: `s${i}`, from: 'S', to: 'E', depart: i * 1.5 + 0.7 });
    }
    const sim = new TrafficSimulation(compileNetwork(merge()), trips, CITY_IDM, 0.5);
    const { inLane, acrossNodes, crossChecks } = runAndMeasure(sim, 2400);
    expect(crossChecks).toBeGreaterThan(1000);
    expect(sim.arrivedCount).toBeGreaterThan(250);
    expect(inLane.gap, inLane.at).toBeGreaterThanOrEqual(-EPS_M);
    expect(acrossNodes.gap, acrossNodes.at).toBeGreaterThanOrEqual(-EPS_M);
  });

  it('never overlap through the signalised junctions of a busy grid, where trips also start on links others flow into', () => {
    const network = grid(4, 200);
    const trips = borderTrips(network, 4, 200, 1800, 900);
    const sim = new TrafficSimulation(compileNetwork(network), trips, CITY_IDM, 0.5);
    const { inLane, acrossNodes, crossChecks, insertions } = runAndMeasure(sim, 2400);
    expect(crossChecks).toBeGreaterThan(4000);
    expect(insertions.gap, insertions.at).toBeGreaterThanOrEqual(0);
    expect(sim.arrivedCount).toBeGreaterThan(1000);
    expect(inLane.gap, inLane.at).toBeGreaterThanOrEqual(-EPS_M);
    expect(acrossNodes.gap, acrossNodes.at).toBeGreaterThanOrEqual(-EPS_M);
  });

  it('never overlap at a coarse time step either', () => {
    const network = grid(3, 150, 20);
    const trips = borderTrips(network, 3, 150, 900, 600);
    const sim = new TrafficSimulation(compileNetwork(network), trips, CITY_IDM, 1);
    const { inLane, acrossNodes } = runAndMeasure(sim, 1200);
    expect(inLane.gap, inLane.at).toBeGreaterThanOrEqual(-EPS_M);
    expect(acrossNodes.gap, acrossNodes.at).toBeGreaterThanOrEqual(-EPS_M);
  });
});
