/**
 * Green-wave studies side by side: two real runs of the green-wave core (plan and traffic
 * before/after on the arterial's corridor network) compared — KPI rows, timing changes per
 * junction, delay per section — and the sections laid on a road for the map.
 */
import { describe, expect, it } from 'vitest';
import { distanceM } from '../../kernel/geodesy';
import type { Arterial } from '../../simulations/greenwave/arterial';
import { arterialNetwork } from '../../simulations/greenwave/arterialNetwork';
import { networkSectionLines, roadSectionLines } from '../../simulations/greenwave/corridorMap';
import { corridorSections } from '../../simulations/greenwave/corridorSections';
import { runGreenWaveStudy, type GreenWaveStudy } from '../../simulations/greenwave/greenWaveStudy';
import { betterWorseColour, greenSeconds, greenWaveKpis, greenWaveSide, junctionChanges, sectionChanges } from '../../client/src/features/compare/core/greenWaveDiff';

/** 300 m at 10 m/s is half the 60 s cycle: with all greens together a platoon meets every red. */
const arterial: Arterial = {
  cycleSeconds: 60,
  speedMps: 10,
  intersections: [0, 300, 600, 900].map((x, i) => ({ id: `S${i}`, positionM: x, greenSeconds: 30 })),
};
const TRAFFIC = { throughVehPerHour: 500, crossVehPerHour: 60, durationSeconds: 900 };

// Two real studies: the plan at the signals' own 60 s cycle, and one free to choose 70–90 s.
const fixed: GreenWaveStudy = runGreenWaveStudy({ arterial, traffic: TRAFFIC });
const ranged: GreenWaveStudy = runGreenWaveStudy({ arterial: { ...arterial, cycleRangeSeconds: [70, 90] }, traffic: TRAFFIC });
const side = (s: GreenWaveStudy, v: 'plan' | 'before') => greenWaveSide(s.plan, s.beforeAfter, v);

const row = (rows: ReturnType<typeof greenWaveKpis>, key: string) => rows.find((r) => r.key === `compare.gw.${key}`)!;

describe('a study against its own before', () => {
  const before = side(fixed, 'before');
  const plan = side(fixed, 'plan');

  it('puts the bands and the study before/after figures in the KPI table', () => {
    const rows = greenWaveKpis(before, plan);
    expect(row(rows, 'bandOut').a).toBe(0);
    expect(row(rows, 'bandOut').b).toBe(fixed.plan.bandwidthSeconds.outbound);
    expect(row(rows, 'bandIn').b).toBe(fixed.plan.bandwidthSeconds.inbound);
    // Both directions together, as the study's own "change" figures weigh them.
    expect(row(rows, 'stops').diff!).toBeCloseTo(fixed.beforeAfter!.change.meanStops!, 9);
    expect(row(rows, 'delay').diff!).toBeCloseTo(fixed.beforeAfter!.change.meanDelaySeconds!, 9);
    expect(row(rows, 'travelTime').diff!).toBeCloseTo(fixed.beforeAfter!.change.meanTravelTimeSeconds!, 9);
    expect(row(rows, 'stopsOut').a).toBe(fixed.beforeAfter!.before.outbound.meanStops);
    expect(row(rows, 'stopsIn').b).toBe(fixed.beforeAfter!.after.inbound.meanStops);
    expect(row(rows, 'stops').diff!).toBeLessThan(-1);
  });

  it('lists each junction with its offset change and unchanged cycle and split', () => {
    const changes = junctionChanges(before, plan);
    expect(changes.map((c) => c.id)).toEqual(['S0', 'S1', 'S2', 'S3']);
    for (const c of changes) {
      expect(c.a!.offsetSeconds).toBe(0);
      expect(c.offsetChangeSeconds).toBe(fixed.plan.offsetsSeconds[c.id]);
      expect(c.cycleChangeSeconds).toBe(0);
      expect(c.a!.outboundGreenSeconds).toBeCloseTo(30, 6);
      expect(c.splitChange).toBeCloseTo(0, 9);
      expect(c.a!.controlDelaySeconds).not.toBeNull();
    }
    // Alternating greens: the signals 300 m apart are half a cycle apart.
    expect(Math.abs(changes[1]!.offsetChangeSeconds!)).toBeCloseTo(30, 3);
    // Less waiting at the signals in total once the greens are coordinated.
    const waited = (k: 'a' | 'b') => changes.reduce((s, c) => s + c[k]!.controlDelaySeconds!, 0);
    expect(waited('b')).toBeLessThan(waited('a'));
  });

  it('finds less delay on the sections between the junctions', () => {
    const sections = sectionChanges(before, plan);
    const keys = sections.map((s) => s.key);
    expect(keys).toEqual([
      'outbound:->S0', 'outbound:S0>S1', 'outbound:S1>S2', 'outbound:S2>S3',
      'inbound:->S3', 'inbound:S3>S2', 'inbound:S2>S1', 'inbound:S1>S0',
    ]);
    for (const s of sections) {
      expect(s.a!.lengthM).toBeCloseTo(300, 6);
      expect(s.a!.freeFlowSeconds).toBeCloseTo(30, 6);
      expect(s.a!.vehicles).toBeGreaterThan(50);
      expect(s.a!.travelTimeSeconds!).toBeGreaterThan(s.a!.freeFlowSeconds - 1);
      expect(s.delayChangeSeconds).toBeCloseTo(s.b!.delaySeconds! - s.a!.delaySeconds!, 9);
    }
    // Before, a platoon released together stops again at every next red; after, it does not.
    const inner = sections.filter((s) => s.fromId !== null);
    expect(inner.filter((s) => s.delayChangeSeconds! < 0).length).toBeGreaterThanOrEqual(inner.length - 1);
    expect(inner.reduce((sum, s) => sum + s.delayChangeSeconds!, 0)).toBeLessThan(-30);
  });
});

describe('two studies of one arterial', () => {
  it('shows the cycle and offset changes between the two plans', () => {
    const a = side(fixed, 'plan');
    const b = side(ranged, 'plan');
    expect(ranged.plan.cycleSeconds).toBeGreaterThanOrEqual(70);
    const rows = greenWaveKpis(a, b);
    expect(row(rows, 'cycle').diff).toBe(ranged.plan.cycleSeconds - 60);
    for (const c of junctionChanges(a, b)) {
      expect(c.cycleChangeSeconds).toBe(ranged.plan.cycleSeconds - 60);
      expect(c.offsetChangeSeconds).toBeCloseTo(ranged.plan.offsetsSeconds[c.id]! - fixed.plan.offsetsSeconds[c.id]!, 9);
      // Greens keep their share of the cycle when it is stretched.
      expect(c.b!.outboundGreenSeconds).toBeCloseTo(ranged.plan.cycleSeconds / 2, 3);
      expect(c.splitChange).toBeCloseTo(0, 6);
    }
    const sections = sectionChanges(a, b);
    expect(sections).toHaveLength(8);
    expect(sections.every((s) => s.a !== null && s.b !== null)).toBe(true);
  });

  it('refuses two studies that share no junction, naming them', () => {
    const other = runGreenWaveStudy({ arterial: { ...arterial, intersections: arterial.intersections.map((s) => ({ ...s, id: `T${s.id}` })) }, traffic: null });
    expect(() => junctionChanges(side(fixed, 'plan'), greenWaveSide(other.plan, null, 'plan'), ['Binhai', 'Harbour'])).toThrow(/Binhai and Harbour share no junction/);
  });

  it('reads a split inbound green from the diagram', () => {
    const split = runGreenWaveStudy({ arterial: { ...arterial, intersections: arterial.intersections.map((s) => ({ ...s, inboundGreenSeconds: 20, inboundGreenStartSeconds: 40 })) }, traffic: null });
    const c = junctionChanges(side(fixed, 'plan'), greenWaveSide(split.plan, null, 'plan'));
    for (const j of c) {
      expect(j.b!.inboundGreenSeconds).toBeCloseTo(20, 6);
      expect(j.b!.outboundGreenSeconds).toBeCloseTo(30, 6);
      expect(j.b!.controlDelaySeconds).toBeNull();
    }
    expect(greenSeconds([{ fromSeconds: 0, toSeconds: 180, state: 'green' }], 60)).toBe(60);
  });

  it('colours a side green where its delay is lower, red where higher, pale within 2 s', () => {
    const [r1, g1] = betterWorseColour(-20);
    expect(g1).toBeGreaterThan(r1);
    const [r2, g2] = betterWorseColour(20);
    expect(r2).toBeGreaterThan(g2);
    expect(betterWorseColour(1)).toEqual([225, 225, 225, 230]);
    expect(betterWorseColour(null)).toEqual([110, 110, 120, 220]);
  });
});

describe('the corridor on the map', () => {
  const { network, corridor } = arterialNetwork(arterial, 60, 10);
  const lineLength = (line: Array<[number, number]>) => line.slice(1).reduce((a, p, i) => a + distanceM(line[i]![0], line[i]![1], p[0], p[1]), 0);

  it('lays the corridor network sections on the road between the junctions chainages', () => {
    // A road running east with a bend, junctions 100 m from its start and 300 m apart.
    const road = [[120, 30], [120.008, 30], [120.008, 30.01]];
    const chainage = new Map(arterial.intersections.map((s) => [s.id, s.positionM + 100]));
    const lines = roadSectionLines(road, chainage, network, corridor);
    expect(lines.map((l) => l.key)).toEqual(corridorSections(network, corridor).map((s) => s.key));
    const byKey = new Map(lines.map((l) => [l.key, l.line]));
    // The approach is 300 m in the network but the road starts 100 m before S0.
    expect(lineLength(byKey.get('outbound:->S0')!)).toBeCloseTo(100, 0);
    expect(lineLength(byKey.get('outbound:S0>S1')!)).toBeCloseTo(300, 0);
    // S2 > S3 goes round the bend at 770 m (the road's first leg is 770 m long).
    expect(lineLength(byKey.get('outbound:S2>S3')!)).toBeCloseTo(300, 0);
    expect(byKey.get('outbound:S2>S3')!).toHaveLength(3);
    const inbound = byKey.get('inbound:S3>S2')!;
    expect(inbound[0]).toEqual(byKey.get('outbound:S2>S3')!.at(-1));
  });

  it('draws the twin-style network sections from their links, end to end', () => {
    const placed = { ...network, origin: { lon: 120, lat: 30 } };
    const lines = networkSectionLines(placed, corridor);
    // Haversine on the mean sphere against the ellipsoid's ENU frame: within 0.3 %.
    for (const l of lines) expect(Math.abs(lineLength(l.line) - 300)).toBeLessThan(1);
    expect(() => networkSectionLines(network, corridor)).toThrow(/no geodetic origin/);
  });
});
