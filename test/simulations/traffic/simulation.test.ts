import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../../simulations/traffic/compiledNetwork';
import { expandDemand, type Trip } from '../../../simulations/traffic/demand';
import { CITY_IDM, equilibriumGap, idmCapacity } from '../../../simulations/traffic/idm';
import { applySignalOffsets, isGreen, phaseAt, signalLight, type Network } from '../../../simulations/traffic/network';
import { runTraffic } from '../../../simulations/traffic/runTraffic';
import { TrafficSimulation } from '../../../simulations/traffic/simulation';
import { corridor, grid } from './networks';

/** Random trips between the grid's border nodes, reproducible from the seed. */
function borderTrips(network: Network, n: number, spacingM: number, count: number, seconds: number): Trip[] {
  const border = network.nodes.filter((p) => p.x === 0 || p.y === 0 || p.x === (n - 1) * spacingM || p.y === (n - 1) * spacingM).map((p) => p.id);
  return expandDemand({
    seed: 7,
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

/** Smallest bumper gap between consecutive vehicles of any lane. */
function minLaneGap(sim: TrafficSimulation): number {
  let min = Infinity;
  for (const list of sim.laneVehicles) {
    for (let i = 1; i < list.length; i++) {
      min = Math.min(min, sim.pos[list[i - 1]!]! - sim.idm.length_m - sim.pos[list[i]!]!);
    }
  }
  return min;
}

describe('traffic simulation core', () => {
  it('conserves vehicles and never lets bumpers overlap on a signalised grid', () => {
    const network = grid(4, 200);
    const trips = borderTrips(network, 4, 200, 1500, 900);
    expect(trips.length).toBeGreaterThan(1300);
    const sim = new TrafficSimulation(compileNetwork(network), trips, CITY_IDM, 0.5);
    let worstGap = Infinity;
    let maxWaiting = 0;
    for (let s = 0; s < 2400; s++) {
      sim.step();
      worstGap = Math.min(worstGap, minLaneGap(sim));
      maxWaiting = Math.max(maxWaiting, sim.waitingCount);
      expect(sim.insertedCount).toBe(sim.arrivedCount + sim.enRouteCount);
      expect(sim.departedCount).toBe(sim.insertedCount + sim.waitingCount + sim.unroutableCount);
    }
    expect(worstGap).toBeGreaterThanOrEqual(0);
    expect(sim.arrivedCount).toBeGreaterThan(1000);
    expect(sim.departedCount).toBe(trips.length);
    expect(sim.unroutableCount).toBe(0);
    // Demand this dense queues at some origins: insertion waits for a gap instead of overlapping.
    expect(maxWaiting).toBeGreaterThan(0);
  });

  it('lets no vehicle cross a stop line on red', () => {
    const network = grid(3, 150, 20);
    const net = compileNetwork(network);
    const trips = borderTrips(network, 3, 150, 600, 600);
    const signalOf = new Map(network.nodes.filter((n) => n.signal).map((n) => [n.id, n.signal!]));
    const sim = new TrafficSimulation(net, trips, CITY_IDM, 0.5);
    const before = new Int32Array(trips.length).fill(-1);
    let crossings = 0;
    for (let s = 0; s < 1800; s++) {
      const t = sim.t;
      before.set(sim.link);
      sim.step();
      for (let v = 0; v < trips.length; v++) {
        const from = before[v]!;
        if (from < 0 || sim.link[v] === from) continue;
        const link = network.links[from]!;
        const signal = signalOf.get(link.to);
        if (!signal || sim.link[v] < 0) continue;
        crossings += 1;
        // The light during the step is the one at its start (amber is the end of a green).
        expect(isGreen(signal, link.id, t), `vehicle ${v} crossed ${link.id} at t=${t}`).toBe(true);
      }
    }
    expect(crossings).toBeGreaterThan(300);
  });

  it('discharges a queue at a red light at the saturation flow IDM implies', () => {
    const approach = 600;
    const trips: Trip[] = Array.from({ length: 60 }, (_, i) => ({ id: `v${i}`, from: 'A', to: 'C', depart: i * 2 }));
    const headway = (dt: number): { stopLine: number; downstream: number; equilibrium: number } => {
      const net = compileNetwork(corridor({ approachM: approach, exitM: 3000, redSeconds: 200, greenSeconds: 800 }));
      const exits: number[] = [];
      const sim = new TrafficSimulation(net, trips, CITY_IDM, dt, {
        onLinkExit: (_v, link, _s, t) => {
          if (link === 0) exits.push(t);
        },
      });
      // Vehicles passing 2 km downstream: time and speed, interpolated within the step.
      const passes: Array<{ t: number; v: number }> = [];
      const prev = new Float64Array(trips.length);
      while (sim.t < 700) {
        sim.step();
        for (let v = 0; v < trips.length; v++) {
          const x = sim.link[v] === 1 ? sim.pos[v]! : 0;
          if (prev[v]! < 2000 && x >= 2000) passes.push({ t: sim.t - (x - 2000) / sim.speed[v]!, v: sim.speed[v]! });
          prev[v] = x;
        }
      }
      // Skip the first vehicles, which start from standstill at the line and leave slower.
      const stopLine = (exits[40]! - exits[15]!) / 25;
      const downstream = (passes[40]!.t - passes[15]!.t) / 25;
      const vMean = passes.slice(15, 40).reduce((a, p) => a + p.v, 0) / 25;
      return { stopLine, downstream, equilibrium: (equilibriumGap(CITY_IDM, vMean, 15) + CITY_IDM.length_m) / vMean };
    };
    const capacity = idmCapacity(CITY_IDM, 15);
    // Static capacity for these parameters: about 1,960 veh/h at 10 m/s (headway 1.84 s).
    expect(capacity.headwayS).toBeCloseTo(1.839, 2);
    const coarse = headway(0.5);
    const fine = headway(0.1);
    // The discharge can never beat the equilibrium capacity; IDM's known capacity drop puts the
    // outflow of a standing queue 10–20 % below it (Treiber & Kesting, Traffic Flow Dynamics, ch. 11).
    for (const h of [coarse, fine]) {
      expect(h.stopLine).toBeGreaterThanOrEqual(capacity.headwayS);
      expect(h.stopLine).toBeLessThan(capacity.headwayS * 1.25);
      // Downstream the platoon is in car-following equilibrium: headway = (s_e(v) + l) / v.
      expect(Math.abs(h.downstream - h.equilibrium) / h.equilibrium).toBeLessThan(0.03);
    }
    // The time step does not change the answer by more than a few per cent.
    expect(Math.abs(coarse.stopLine - fine.stopLine) / fine.stopLine).toBeLessThan(0.05);
  });

  it('runs a small demand end to end with outputs that add up', () => {
    const network = corridor({ approachM: 400, exitM: 300, lanes: 2, redSeconds: 30, greenSeconds: 30 });
    const trips: Trip[] = Array.from({ length: 100 }, (_, i) => ({ id: `t${i}`, from: 'A', to: 'C', depart: i * 3 }));
    const result = runTraffic(network, { trips }, { durationSeconds: 900, intervalSeconds: 300 });
    expect(result.summary.vehiclesArrived).toBe(100);
    expect(result.summary.inserted).toBe(result.summary.arrived + result.summary.enRoute);
    // Free flow is 700 m at 15 m/s ≈ 47 s; with a 50 % red the mean delay is around C/4.
    expect(result.summary.meanTravelTimeSeconds!).toBeGreaterThan(47);
    expect(result.summary.meanTravelTimeSeconds!).toBeLessThan(47 + 40);
    const ab = result.links.series.find((s) => s.linkId === 'AB')!;
    const flowVehicles = ab.flowVehPerHour.reduce((a, q) => a + (q * 300) / 3600, 0);
    expect(flowVehicles).toBeCloseTo(100, 6);
    expect(Math.max(...ab.queueVehicles)).toBeGreaterThan(0);
    const b = result.intersections.find((i) => i.nodeId === 'B')!;
    expect(b.vehicles).toBe(100);
    expect(b.controlDelaySeconds).toBeGreaterThan(3);
    expect(result.odTravelTimes).toEqual([expect.objectContaining({ from: 'A', to: 'C', vehicles: 100 })]);
    expect(result.vehicles.every((v) => v.stops >= 0 && v.delaySeconds! >= 0)).toBe(true);
    expect(result.routes[0]).toEqual(['AB', 'BC']);
  });

  it('refuses runs beyond its bounds and stops on cancellation', () => {
    const network = corridor({ approachM: 400, exitM: 300, redSeconds: 30, greenSeconds: 30 });
    const trips: Trip[] = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, from: 'A', to: 'C', depart: i }));
    expect(() => runTraffic(network, { trips }, { durationSeconds: 1e9 })).toThrow(/durationSeconds/);
    expect(() => runTraffic(network, { trips }, { durationSeconds: 60, maxVehicles: 10 })).toThrow(/more than the limit of 10/);
    let polls = 0;
    const r = runTraffic(network, { trips }, { durationSeconds: 3600, shouldStop: () => ++polls > 2 });
    expect(r.summary.stoppedEarly).toBe('cancelled');
    expect(r.summary.durationSeconds).toBeLessThan(3600);
  });
});

describe('signal model', () => {
  const network = corridor({ approachM: 100, exitM: 100, redSeconds: 40, greenSeconds: 20, offsetSeconds: 10 });

  it('shifts phase 0 to start at the offset', () => {
    const signal = network.nodes[1]!.signal!;
    expect(phaseAt(signal, 10)).toEqual({ phase: 0, intoSeconds: 0 });
    expect(phaseAt(signal, 49.5).phase).toBe(0);
    expect(phaseAt(signal, 50).phase).toBe(1);
    expect(phaseAt(signal, 5)).toEqual({ phase: 1, intoSeconds: 15 });
    expect(isGreen(signal, 'AB', 55)).toBe(true);
    expect(signalLight(signal, 'AB', 49)).toBe('red');
    expect(signalLight(signal, 'AB', 60)).toBe('green');
    // Phase 1 ends at 70 and the next phase (0) is red for AB: its last 3 s are amber.
    expect(signalLight(signal, 'AB', 67.5)).toBe('amber');
  });

  it('applies offsets to a copy and refuses unknown or unsignalised nodes', () => {
    const shifted = applySignalOffsets(network, { B: 25 });
    expect(shifted.nodes[1]!.signal!.offsetSeconds).toBe(25);
    expect(network.nodes[1]!.signal!.offsetSeconds).toBe(10);
    shifted.nodes[1]!.signal!.phases[0]!.greenLinks.push('x');
    expect(network.nodes[1]!.signal!.phases[0]!.greenLinks).toEqual([]);
    expect(() => applySignalOffsets(network, { Z: 1 })).toThrow(/unknown node "Z"/);
    expect(() => applySignalOffsets(network, { A: 1 })).toThrow(/"A" has no signal/);
  });
});
