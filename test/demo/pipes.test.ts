/**
 * The demo's underground networks: storm drains run by gravity to outfalls at the river and the
 * sea (every pipe falls ≥ 0.3 %, keeps its cover, never shrinks downstream; every manhole reaches
 * an outfall), manholes stand at junctions and at most 50 m apart, sewers drain to pumping
 * stations, and utility lines lie along the roads; the source reader accepts all of it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UTILITY_NETWORKS, sectionSize } from '../../domain/pipes';
import { buildDemoCityModel, type DemoCityModel } from '../../demo/demoCity';
import { MIN_SLOPE, type DrainageNetworkModel, type DrainNode, type DrainPipe } from '../../demo/drainage';
import { MAX_SPACING_M } from '../../demo/roadGraph';
import { renderSource, writeSource } from '../../demo/writeSource';
import { readCitySource, type CitySource } from '../../tiles/source/readCitySource';

let model: DemoCityModel;
let dir: string;
let source: CitySource;

beforeAll(async () => {
  model = buildDemoCityModel(7);
  dir = await mkdtemp(join(tmpdir(), 'citytwin-pipes-'));
  await writeSource(dir, renderSource(model));
  source = await readCitySource(dir);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const height = (p: DrainPipe): number => sectionSize(p.section).heightM;

function outgoing(net: DrainageNetworkModel): Map<DrainNode, DrainPipe[]> {
  const out = new Map<DrainNode, DrainPipe[]>();
  for (const p of net.pipes) out.set(p.from, [...(out.get(p.from) ?? []), p]);
  return out;
}

describe.each(['storm', 'sewer'] as const)('the demo %s network', (name) => {
  const net = (): DrainageNetworkModel => model.underground[name];

  it('falls at least 0.3 % along every pipe and keeps its cover', () => {
    const { pipes, spec } = net();
    expect(pipes.length).toBeGreaterThan(500);
    for (const p of pipes) {
      expect((p.fromInvert - p.toInvert) / p.length, p.id).toBeGreaterThanOrEqual(MIN_SLOPE);
      expect(p.from.ground - (p.fromInvert + height(p)), `${p.id} cover at ${p.from.id}`).toBeGreaterThanOrEqual(spec.coverM - 1e-3);
      if (p.to.kind === 'manhole') expect(p.to.ground - (p.toInvert + height(p)), `${p.id} cover at ${p.to.id}`).toBeGreaterThanOrEqual(spec.coverM - 1e-3);
      // The node's invert is the lowest pipe invert at it.
      expect(p.fromInvert).toBeGreaterThanOrEqual(p.from.invert);
      expect(p.toInvert).toBeGreaterThanOrEqual(p.to.invert);
    }
  });

  it('drains every manhole through one pipe to an outfall, with sections never shrinking downstream', () => {
    const { nodes } = net();
    const out = outgoing(net());
    for (const node of nodes) {
      if (node.kind === 'outfall') {
        expect(out.has(node), `${node.id} is an outfall with a pipe leaving it`).toBe(false);
        continue;
      }
      expect(out.get(node)?.length, `${node.id} outgoing pipes`).toBe(1);
      let at: DrainNode = node;
      let steps = 0;
      while (at.kind !== 'outfall') {
        const pipe = out.get(at)![0]!;
        const next = out.get(pipe.to)?.[0];
        if (next) expect(height(next), `${next.id} after ${pipe.id}`).toBeGreaterThanOrEqual(height(pipe));
        at = pipe.to;
        expect(++steps, `${node.id} never reaches an outfall`).toBeLessThan(nodes.length);
      }
    }
  });

  it('stands manholes at most 50 m apart', () => {
    const runs = net().pipes.filter((p) => p.from.kind === 'manhole' && p.to.kind === 'manhole');
    const lengths = runs.map((p) => p.length).sort((a, b) => a - b);
    expect(lengths[lengths.length - 1]!).toBeLessThanOrEqual(MAX_SPACING_M + 0.01);
    // Runs shorter than 30 m sit next to a junction or a road end; most are 30–50 m.
    const typical = lengths.filter((l) => l >= 30).length / lengths.length;
    expect(typical).toBeGreaterThan(0.6);
  });
});

describe('the demo drainage terminals and utilities', () => {
  it('discharges storm water at the river and the sea, and sewage at pumping stations', () => {
    const storm = model.underground.storm.nodes.filter((n) => n.kind === 'outfall');
    expect(new Set(storm.map((n) => n.receiving))).toEqual(new Set(['river', 'sea']));
    expect(storm.length).toBeGreaterThanOrEqual(10);
    const sewer = model.underground.sewer.nodes.filter((n) => n.kind === 'outfall');
    expect(sewer.length).toBeGreaterThanOrEqual(1);
    for (const n of sewer) expect(n.receiving).toBe('treatment');
  });

  it('puts a manhole at every junction the storm network serves', () => {
    const at = new Set(model.underground.storm.nodes.map((n) => `${Math.round(n.x)},${Math.round(n.y)}`));
    const served = model.signals.filter((s) => at.has(`${Math.round(s.x)},${Math.round(s.y)}`));
    // Signalised junctions are junctions; those on land carry a manhole at the crossing point.
    expect(served.length / model.signals.length).toBeGreaterThan(0.8);
  });

  it('lays water, gas, power and telecom at their depths along the roads', () => {
    const lines = model.underground.utilities;
    for (const network of UTILITY_NETWORKS) expect(lines.filter((l) => l.network === network).length, network).toBeGreaterThan(100);
    const depths = new Map(lines.map((l) => [l.network, l.depthM]));
    expect([...UTILITY_NETWORKS].sort((a, b) => depths.get(a)! - depths.get(b)!)).toEqual(['telecom', 'power', 'gas', 'water']);
  });

  it('writes layers the source reader takes whole', () => {
    for (const layer of ['drainageNodes', 'drainagePipes', 'utilityLines']) {
      expect(source.reports[layer]!.rejected.slice(0, 3), layer).toEqual([]);
    }
    const u = model.underground;
    expect(source.drainageNodes.length).toBe(u.storm.nodes.length + u.sewer.nodes.length);
    expect(source.drainagePipes.length).toBe(u.storm.pipes.length + u.sewer.pipes.length);
    expect(source.utilityLines.length).toBe(u.utilities.length);
  });
});
