import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDemand } from '../../../simulations/traffic/demand';
import { phaseAt } from '../../../simulations/traffic/network';
import { parseNetwork } from '../../../simulations/traffic/networkJson';
import { networkFromOsm, parseMaxspeed } from '../../../simulations/traffic/osmNetwork';
import { runTraffic } from '../../../simulations/traffic/runTraffic';
import { networkFromTwinLayers } from '../../../simulations/traffic/twinNetwork';
import { corridor, twinLayers } from './networks';

const osmXml = readFileSync(new URL('./fixtures/crossing.osm', import.meta.url), 'utf8');

describe('OSM import', () => {
  const network = networkFromOsm(osmXml);

  it('keeps drivable ways, splits them at junctions and signals, and uses OSM node ids', () => {
    expect(network.nodes.map((n) => n.id).sort()).toEqual(['1', '3', '4', '5', '6']);
    // Main Street: 1→3 and 3→4 each way (node 2 only shapes it); the one-way street: 5→3, 3→6.
    expect(network.links.map((l) => l.id).sort()).toEqual(['100-1b', '100-1f', '100-2b', '100-2f', '200-1f', '200-2f']);
    const main = network.links.find((l) => l.id === '100-1f')!;
    expect(main).toMatchObject({ from: '1', to: '3', lanes: 2, name: 'Main Street' });
    expect(main.speedLimitMps).toBeCloseTo(50 / 3.6, 2);
    // 0.004° of longitude at 22.83° N is about 410.6 m.
    expect(main.lengthM).toBeGreaterThan(405);
    expect(main.lengthM).toBeLessThan(416);
    expect(main.shape).toHaveLength(3);
    const side = network.links.find((l) => l.id === '200-1f')!;
    expect(side).toMatchObject({ from: '5', to: '3', lanes: 1 });
    expect(side.speedLimitMps).toBeCloseTo(20 * 0.44704, 2);
  });

  it('makes the traffic_signals node a two-phase signal, main road first', () => {
    const signal = network.nodes.find((n) => n.id === '3')!.signal!;
    expect(signal.phases[0]!.greenLinks.sort()).toEqual(['100-1f', '100-2b']);
    expect(signal.phases[2]!.greenLinks).toEqual(['200-1f']);
    expect(signal.cycleSeconds).toBe(signal.phases.reduce((a, p) => a + p.durationSeconds, 0));
    expect(network.nodes.filter((n) => n.signal)).toHaveLength(1);
  });

  it('runs trips between OSM node ids given as numbers', () => {
    const spec = parseDemand({ trips: [{ id: 1, from: 1, to: 4, depart: 0 }, { id: 2, from: '5', to: '6', depart: 10 }] }, new Set(network.nodes.map((n) => n.id)));
    const result = runTraffic(network, { trips: spec.trips! }, { durationSeconds: 400 });
    expect(result.summary.vehiclesArrived).toBe(2);
    expect(result.routes).toEqual([['100-1f', '100-2f'], ['200-1f', '200-2f']]);
  });

  it('reads maxspeed in km/h and mph and ignores zone codes', () => {
    expect(parseMaxspeed('60')).toBeCloseTo(16.667, 3);
    expect(parseMaxspeed('30 mph')).toBeCloseTo(13.411, 3);
    expect(parseMaxspeed('RU:urban')).toBeUndefined();
  });

  it('rejects broken XML and references to missing nodes', () => {
    expect(() => networkFromOsm('<osm><way id="1"')).toThrow(/osm: not well-formed XML/);
    expect(() => networkFromOsm('<osm><way id="9"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way></osm>')).toThrow(
      /osm.way\[0\].nd\[0\]: way 9 refers to missing node 1/,
    );
    expect(() => networkFromOsm('<osm><node id="1" lat="0" lon="0"/></osm>')).toThrow(/no drivable highway/);
  });
});

describe('network JSON validation', () => {
  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(corridor({ approachM: 100, exitM: 100, redSeconds: 30, greenSeconds: 30 }))) as Record<string, unknown>;
  const withChange = (change: (n: { nodes: Array<Record<string, unknown>>; links: Array<Record<string, unknown>> }) => void): unknown => {
    const n = good() as { nodes: Array<Record<string, unknown>>; links: Array<Record<string, unknown>> };
    change(n);
    return n;
  };

  it('accepts a valid network', () => {
    expect(parseNetwork(good()).links).toHaveLength(2);
  });

  it('names the path of what is wrong', () => {
    expect(() => parseNetwork([])).toThrow('network: must be an object');
    expect(() => parseNetwork(withChange((n) => (n.links[1]!.to = 'Z')))).toThrow('links[1].to: unknown node "Z"');
    expect(() => parseNetwork(withChange((n) => (n.links[0]!.lanes = 1.5)))).toThrow('links[0].lanes: must be an integer, got 1.5');
    expect(() => parseNetwork(withChange((n) => (n.links[0]!.speedLimitMps = -3)))).toThrow(/links\[0\].speedLimitMps: must be greater than 0/);
    expect(() => parseNetwork(withChange((n) => (n.nodes[2]!.id = 'A')))).toThrow('nodes[2].id: duplicate node id "A"');
    expect(() => parseNetwork(withChange((n) => delete n.links[0]!.lengthM))).toThrow('links[0].lengthM: must be a finite number');
    expect(() => parseNetwork(withChange((n) => ((n.nodes[1]!.signal as { cycleSeconds: number }).cycleSeconds = 70)))).toThrow(
      'nodes[1].signal.cycleSeconds: is 70 but the phases add up to 60',
    );
    expect(() =>
      parseNetwork(withChange((n) => ((n.nodes[1]!.signal as { phases: Array<{ greenLinks: string[] }> }).phases[1]!.greenLinks = ['BC']))),
    ).toThrow('nodes[1].signal.phases[1].greenLinks[0]: link "BC" does not enter node "B"');
    expect(() =>
      parseNetwork(withChange((n) => ((n.nodes[1]!.signal as { phases: Array<{ greenLinks: string[] }> }).phases[1]!.greenLinks = []))),
    ).toThrow('nodes[1].signal.phases: incoming link "AB" never gets green');
  });

  it('names the path of a bad demand', () => {
    const ids = new Set(['A', 'B', 'C']);
    expect(() => parseDemand({ trips: [{ id: 'x', from: 'A', to: 'Q', depart: 0 }] }, ids)).toThrow('trips[0].to: unknown node "Q"');
    expect(() => parseDemand({ trips: [{ id: 'x', from: 'A', to: 'C', depart: -1 }] }, ids)).toThrow(/trips\[0\].depart: must be a number/);
    expect(() => parseDemand({ matrices: [{ origins: ['A'], destinations: ['C'], vehicles: [[1, 2]], profile: [] }] }, ids)).toThrow(
      'matrices[0].vehicles[0]: needs one entry per destination (1), got 2',
    );
    expect(() => parseDemand({}, ids)).toThrow('demand: needs "trips" or "matrices"');
  });
});

describe('twin roads and signals', () => {
  const { roads, signals } = twinLayers();
  const network = networkFromTwinLayers(roads, signals, { lon: 113.7, lat: 22.83 });

  it('finds the crossing and the T-junction and splits roads there, two-way with half the lanes', () => {
    // Ends: 4 of the crossing roads, 1 of the side street; junctions: the crossing and the T.
    expect(network.nodes).toHaveLength(7);
    expect(network.links).toHaveLength(2 * (3 + 2 + 1));
    const east = network.links.filter((l) => l.id.startsWith('R1-'));
    expect(east.map((l) => Math.round(l.lengthM))).toEqual([300, 300, 150, 150, 150, 150]);
    expect(east.every((l) => l.lanes === 3 && Math.abs(l.speedLimitMps - 50 / 3.6) < 0.01)).toBe(true);
  });

  it('puts the signal on the crossing with the widest listed road in phase 0', () => {
    const signalised = network.nodes.filter((n) => n.signal);
    expect(signalised).toHaveLength(1);
    const node = signalised[0]!;
    expect(Math.hypot(node.x, node.y)).toBeLessThan(1);
    expect(node.id).toBe('S1');
    expect(network.links.filter((l) => l.to === 'S1')).toHaveLength(4);
    const main = node.signal!.phases[phaseAt(node.signal!, node.signal!.offsetSeconds).phase]!.greenLinks;
    expect(main.every((id) => id.startsWith('R1-'))).toBe(true);
    expect(main).toHaveLength(2);
  });
});
