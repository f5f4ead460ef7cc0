import { describe, expect, it } from 'vitest';
import { compileNetwork, lengtheningFactor, MIN_SURFACE_AREA_M2, surfaceAreaAtDepth } from '../../../simulations/drainage/compiledNetwork';
import { fullFlowM3s, G, normalDepthM } from '../../../simulations/drainage/crossSection';
import type { CrossSection, DrainageNetwork } from '../../../simulations/drainage/network';
import { DrainageNetworkError } from '../../../simulations/drainage/networkCheck';
import { PipeSolver } from '../../../simulations/drainage/pipeSolver';
import { routePipes } from '../../../simulations/drainage/routePipes';
import { seriesValueAt } from '../../../simulations/flood/timeSeries';
import { junction, link, outfall, reach } from './pipeNetworks';

const last = <T>(xs: T[]): T => xs[xs.length - 1]!;

describe('routePipes: steady uniform flow equals Manning', () => {
  const cases: Array<[string, CrossSection, number, number, number]> = [
    ['a circular pipe at 0.4 of its capacity', { shape: 'circular', diameterM: 0.6 }, 0.005, 0.013, 0.4],
    ['a closed box culvert at 0.7', { shape: 'rect-closed', heightM: 1, widthM: 1.5 }, 0.002, 0.015, 0.7],
    ['a trapezoidal open channel', { shape: 'trapezoidal', heightM: 1.5, bottomWidthM: 2, leftSlope: 1.5, rightSlope: 1.5 }, 0.001, 0.03, 0.3],
  ];
  for (const [name, section, slope, n, fraction] of cases) {
    it(`${name}: normal depth along the reach, the inflow at the outfall`, () => {
      const q = fraction * fullFlowM3s(section, n, slope);
      const run = routePipes(reach(section, 8, 100, slope, n), [{ nodeId: 'J0', times: [0], flowsM3s: [q] }], { durationS: 6 * 3600, reportStepS: 900 });
      const yn = normalDepthM(section, n, slope, q);
      const depths = last(run.series.nodeDepthM);
      // Away from the two ends (inflow node, outfall), the water stands at normal depth.
      for (let i = 2; i < 7; i++) expect(Math.abs(depths[i]! - yn)).toBeLessThan(0.002 * yn + 1e-4);
      for (const flow of last(run.series.linkFlowM3s)) expect(flow / q).toBeCloseTo(1, 4);
      expect(last(run.series.outfallFlowM3s)[0]! / q).toBeCloseTo(1, 4);
      expect(Math.abs(run.massBalance.relativeError)).toBeLessThan(1e-12);
    });
  }
});

describe('routePipes: a surcharged node spills what its pipe cannot carry', () => {
  it('floods at Q_in − Q_full when the outlet pipe runs full at its bed slope', () => {
    const section: CrossSection = { shape: 'circular', diameterM: 0.5 };
    const length = 80;
    const slope = 0.004;
    const n = 0.013;
    const qFull = fullFlowM3s(section, n, slope);
    const qIn = 1.6 * qFull;
    // Rim at the crown and the outfall held at the crown: the pipe runs full under its bed slope's head.
    const network: DrainageNetwork = {
      nodes: [junction('J', 10, 0.5), outfall('O', 10 - length * slope, { type: 'fixed', stageM: 10 - length * slope + 0.5 })],
      links: [link('C', 'J', 'O', section, length, n)],
    };
    const run = routePipes(network, [{ nodeId: 'J', times: [0], flowsM3s: [qIn] }], { durationS: 3600, reportStepS: 600 });
    expect(last(run.series.linkFlowM3s)[0]! / qFull).toBeCloseTo(1, 6);
    const node = run.nodes[0]!;
    expect(node.peakFloodRateM3s).toBeGreaterThan(0);
    // Steady spill for the last half hour: the flooding rate between two reports.
    const early = routePipes(network, [{ nodeId: 'J', times: [0], flowsM3s: [qIn] }], { durationS: 1800, reportStepS: 600 });
    const rate = (node.floodVolumeM3 - early.nodes[0]!.floodVolumeM3) / 1800;
    expect(rate / (qIn - qFull)).toBeCloseTo(1, 5);
    expect(run.links[0]!.surchargeDurationS).toBeGreaterThan(3000);
    expect(run.links[0]!.peakLoadRatio).toBeCloseTo(1, 3);
    expect(Math.abs(run.massBalance.relativeError)).toBeLessThan(1e-12);
  });
});

describe('routePipes: mass balance and boundaries', () => {
  /** A loop of four junctions with a drop, two outfalls (one tidal), a storm hydrograph. */
  function loop(): DrainageNetwork {
    const pipe: CrossSection = { shape: 'circular', diameterM: 0.8 };
    return {
      nodes: [
        junction('A', 5, 2.5),
        junction('B', 4.6, 2.5),
        junction('C', 4.5, 2.5),
        junction('D', 4.2, 2.8),
        outfall('SEA', 3.8, { type: 'free' }, true),
        outfall('RIVER', 3.5, { type: 'timeseries', times: [0, 3600], stagesM: [3.5, 4.5] }),
      ],
      links: [
        link('AB', 'A', 'B', pipe, 120),
        link('AC', 'A', 'C', pipe, 150),
        link('BD', 'B', 'D', pipe, 100),
        link('CD', 'C', 'D', { shape: 'rect-closed', heightM: 0.8, widthM: 1 }, 90),
        { ...link('DS', 'D', 'SEA', pipe, 60), outOffsetM: 0.2 },
        link('BR', 'B', 'RIVER', { shape: 'rect-open', heightM: 1.5, widthM: 1.2 }, 200, 0.025),
      ],
    };
  }

  it('closes the balance to 1e-9 with loops, a drop, a tide pushing back and a rising river', () => {
    const run = routePipes(
      loop(),
      [
        { nodeId: 'A', times: [0, 1200, 2400], flowsM3s: [0, 2.5, 0] },
        { nodeId: 'C', times: [0, 3600], flowsM3s: [0.1, 0.1] },
      ],
      { durationS: 3 * 3600, reportStepS: 300, seaLevelM: { seconds: [0, 5400, 10800], values: [3.6, 5.2, 3.6] } },
    );
    const b = run.massBalance;
    expect(b.inflowM3).toBeCloseTo(0.5 * 2400 * 2.5 + 0.1 * 3 * 3600, 3);
    expect(Math.abs(b.relativeError)).toBeLessThan(1e-9);
    // The high tide pushes water in through the sea outfall for a while.
    const seaFlows = run.series.outfallFlowM3s.map((r) => r[run.series.outfallIds.indexOf('SEA')]!);
    expect(Math.min(...seaFlows)).toBeLessThan(0);
    // The outfalls' volumes add up to the balance's outfall term.
    const outfallSum = run.outfalls.reduce((s, o) => s + o.volumeM3, 0);
    expect(outfallSum).toBeCloseTo(b.outfallM3, 6);
    for (const r of run.series.nodeDepthM) for (const y of r) expect(y).toBeGreaterThanOrEqual(0);
  });

  it('lets no tide in through an outfall with a flap gate', () => {
    const net = loop();
    const sea = net.nodes.find((n) => n.id === 'SEA')!;
    if (sea.kind === 'outfall') sea.flapGate = true;
    const run = routePipes(net, [{ nodeId: 'A', times: [0, 1200, 2400], flowsM3s: [0, 2.5, 0] }], {
      durationS: 3 * 3600,
      reportStepS: 300,
      seaLevelM: { seconds: [0, 5400, 10800], values: [3.6, 5.2, 3.6] },
    });
    const k = run.series.outfallIds.indexOf('SEA');
    for (const r of run.series.outfallFlowM3s) expect(r[k]!).toBeGreaterThanOrEqual(0);
    expect(Math.abs(run.massBalance.relativeError)).toBeLessThan(1e-9);
  });

  it('lets the upper junction hold a drop pipe\'s lower half until the lower manhole rises past it, and keeps the balance', () => {
    // A → B falls 0.5 m along 80 m and drops 2.5 m into manhole B, whose small outlet to O backs
    // it up into the pipe.
    const net: DrainageNetwork = {
      nodes: [junction('A', 10, 6), junction('B', 7, 7), outfall('O', 6.9)],
      links: [{ ...link('AB', 'A', 'B', { shape: 'circular', diameterM: 0.6 }, 80), outOffsetM: 2.5 }, link('BO', 'B', 'O', { shape: 'circular', diameterM: 0.3 }, 50)],
    };
    const inflows = [{ nodeId: 'A', times: [0, 600, 3000, 3600], flowsM3s: [0, 0.25, 0.25, 0] }];
    const compiled = compileNetwork(net, 'extran');
    expect(compiled.dropHalves).toEqual([{ link: 0, own: 1, ownOffsetM: 2.5, other: 0, otherOffsetM: 0 }]);
    const solver = new PipeSolver(compiled, { trials: 8 });
    const heldByA: boolean[] = [];
    for (let t = 0; t < 2400; t += 1) {
      solver.inflowM3s[0] = seriesValueAt({ seconds: inflows[0]!.times, values: inflows[0]!.flowsM3s }, t + 0.5);
      solver.step(1, t);
      heldByA.push(solver.storageMask[0] !== 0);
    }
    // A holds it while B stands below the outlet; B takes it back once its water stands deeper in
    // the pipe than A's (the backwater at 2 400 s: B 3.54 m, 1.04 m up the pipe; A 0.67 m).
    expect(heldByA[300]).toBe(true);
    expect(solver.depthM[1]! - 2.5).toBeGreaterThan(solver.depthM[0]!);
    expect(heldByA[heldByA.length - 1]).toBe(false);
    const run = routePipes(net, inflows, { durationS: 7200, reportStepS: 300 });
    expect(Math.abs(run.massBalance.relativeError)).toBeLessThan(1e-9);
    expect(run.massBalance.floodingM3).toBe(0);
  });

  it("floors a junction's storage with its own area (SWMM's MIN_SURFAREA), with SWMM's default 1.167 m² only where it has none", () => {
    const pipe: CrossSection = { shape: 'circular', diameterM: 0.6 };
    const net: DrainageNetwork = {
      nodes: [junction('S', 10, 2, { surfaceAreaM2: 0.5 }), junction('Z', 9.9, 2, { surfaceAreaM2: 0 }), outfall('O', 9.8)],
      // The pipes sit 0.5 m above the junctions' inverts: below that only the junction stores.
      links: [{ ...link('C1', 'S', 'Z', pipe, 40), inOffsetM: 0.5, outOffsetM: 0.5 }, { ...link('C2', 'Z', 'O', pipe, 40), inOffsetM: 0.5 }],
    };
    const c = compileNetwork(net, 'extran');
    const [s, z] = [c.nodeIndex.get('S')!, c.nodeIndex.get('Z')!];
    expect(surfaceAreaAtDepth(c, s, 0.2)).toBeCloseTo(0.5, 9);
    expect(surfaceAreaAtDepth(c, z, 0.2)).toBeCloseTo(MIN_SURFACE_AREA_M2, 9);
    // Half full: the shaft adds to the half of C1 (20 m at the 0.6 m top width).
    expect(surfaceAreaAtDepth(c, s, 0.8)).toBeCloseTo(0.5 + 20 * 0.6, 1);
  });

  it('carries nothing through a dry network', () => {
    const run = routePipes(loop(), [], { durationS: 600, reportStepS: 60 });
    for (const l of run.links) expect(l.peakFlowM3s).toBe(0);
    expect(run.massBalance.finalStorageM3).toBe(0);
  });
});

describe('routePipes: refusals name the link or node and the field', () => {
  const base = (): DrainageNetwork => reach({ shape: 'circular', diameterM: 0.5 }, 2, 50, 0.01, 0.013);
  const refusal = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(DrainageNetworkError);
      return (err as Error).message;
    }
    throw new Error('not refused');
  };
  it('refuses a link naming a missing node', () => {
    const net = base();
    net.links[1] = { ...net.links[1]!, toNode: 'J9' };
    expect(refusal(() => routePipes(net, [], { durationS: 60, reportStepS: 60 }))).toBe('link "C2".toNode: "J9" is not a node of the network');
  });
  it('refuses a negative diameter, a duplicate id and an inflow at a missing node', () => {
    const net = base();
    net.links[0] = { ...net.links[0]!, section: { shape: 'circular', diameterM: -0.3 } };
    expect(refusal(() => routePipes(net, [], { durationS: 60, reportStepS: 60 }))).toMatch(/^link "C1"\.section\.diameterM: must be a number > 0/);
    const twice = base();
    twice.nodes.push(junction('J1', 3));
    expect(refusal(() => routePipes(twice, [], { durationS: 60, reportStepS: 60 }))).toBe('node "J1": the id is used twice');
    expect(refusal(() => routePipes(base(), [{ nodeId: 'X', times: [0], flowsM3s: [1] }], { durationS: 60, reportStepS: 60 }))).toBe('inflows[0].nodeId: "X" is not a node of the network');
  });
  it('refuses a run longer than a week', () => {
    expect(refusal(() => routePipes(base(), [], { durationS: 8 * 86400, reportStepS: 60 }))).toMatch(/^durationS:/);
  });
});

describe('routePipes: conduit lengthening (SWMM LENGTHENING_STEP)', () => {
  it('lengthens short conduits to the step, keeps capacity, normal depth and the balance, and takes longer steps', () => {
    const section: CrossSection = { shape: 'circular', diameterM: 1 };
    const slope = 0.003;
    const n = 0.013;
    const stepS = 2;
    // A 4 m conduit: (√(g·D) + V_full)·2 s is about 10 m, so it is lengthened by about 2.5.
    const vFull = fullFlowM3s(section, n, slope) / (Math.PI / 4);
    const expected = ((Math.sqrt(G) + vFull) * stepS) / 4;
    expect(lengtheningFactor(section, 4, n, slope, stepS)).toBeCloseTo(expected, 12);
    expect(lengtheningFactor(section, 400, n, slope, stepS)).toBe(1);
    expect(lengtheningFactor(section, 4, n, slope, 0)).toBe(1);
    const network = reach(section, 10, 4, slope, n);
    const plain = compileNetwork(network, 'extran');
    const lengthened = compileNetwork(network, 'extran', stepS);
    expect(lengthened.modLengthM[0]! / 4).toBeCloseTo(expected, 12);
    expect(lengthened.lengthM[0]).toBe(4);
    expect(lengthened.fullFlowM3s[0]).toBeCloseTo(plain.fullFlowM3s[0]!, 12);
    expect(lengthened.beta[0]).toBeCloseTo(plain.beta[0]!, 12);
    // Storage keeps the real length.
    expect(Array.from(lengthened.storageM3[3]!)).toEqual(Array.from(plain.storageM3[3]!));

    const q = 0.4 * fullFlowM3s(section, n, slope);
    const inflow = [{ nodeId: 'J0', times: [0], flowsM3s: [q] }];
    const options = { durationS: 3600, reportStepS: 600, maxStepS: 5 };
    const short = routePipes(network, inflow, options);
    const long = routePipes(network, inflow, { ...options, lengtheningStepS: stepS });
    expect(long.steps).toBeLessThan(short.steps / 2);
    expect(long.minStepS).toBeGreaterThan(short.minStepS * 2);
    const yn = normalDepthM(section, n, slope, q);
    // 4 m links stand within a few mm of normal depth either way; lengthened, no further from it.
    const worst = (r: typeof long): number => Math.max(...last(r.series.nodeDepthM).slice(1, -1).map((d) => Math.abs(d - yn)));
    expect(worst(long)).toBeLessThan(0.005 * yn);
    expect(worst(long)).toBeLessThanOrEqual(worst(short));
    expect(last(long.series.outfallFlowM3s)[0]! / q).toBeCloseTo(1, 2);
    expect(Math.abs(long.massBalance.relativeError)).toBeLessThan(1e-12);
    expect(() => routePipes(network, inflow, { ...options, lengtheningStepS: -1 })).toThrow(/lengtheningStepS/);
  });
});
