import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/args';
import { simCommand } from '../../../cli/sim';
import type { GreenWaveResult } from '../../../simulations/greenwave/planGreenWave';
import type { BeforeAfter } from '../../../simulations/greenwave/greenWaveStudy';
import { arterialNetwork } from '../../../simulations/greenwave/arterialNetwork';

const arterial = {
  cycleSeconds: 60,
  speedMps: 10,
  intersections: [0, 300, 600, 900].map((x, i) => ({ id: `S${i}`, positionM: x, greenSeconds: 30 })),
};

let dir = '';
const lines: string[] = [];
const log = (line: string): void => void lines.push(line);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'greenwave-cli-'));
  await writeFile(path.join(dir, 'arterial.json'), JSON.stringify(arterial));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function usageError(argv: string[]): Promise<string> {
  try {
    await simCommand(argv, log);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('citytwin sim greenwave', () => {
  it('writes the plan, the diagrams and the before/after comparison', async () => {
    const out = path.join(dir, 'out');
    await simCommand(['greenwave', '--arterial', path.join(dir, 'arterial.json'), '--out', out, '--through', '400'], log);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as GreenWaveResult;
    expect(result.bandwidthSeconds).toEqual({ outbound: 30, inbound: 30 });
    expect(result.efficiency.twoWay).toBeCloseTo(0.5, 9);
    expect(Object.keys(result.offsetsSeconds)).toEqual(['S0', 'S1', 'S2', 'S3']);
    expect(result.cycleSeconds).toBe(60);
    expect(result.speedMps).toBe(10);
    expect(result.diagram.intersections).toHaveLength(4);
    const svg = await readFile(path.join(out, 'time-space.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 760 420"/);
    // Two bands (outbound, inbound) per cycle over 3 cycles plus one on each side.
    expect(svg.match(/<polygon /g)).toHaveLength(10);
    const ba = JSON.parse(await readFile(path.join(out, 'before-after.json'), 'utf8')) as BeforeAfter;
    expect(ba.network).toBe('arterial');
    expect(ba.after.outbound.meanStops!).toBeLessThan(ba.before.outbound.meanStops!);
    expect(lines.some((l) => l.startsWith('  change along the arterial: travel time -'))).toBe(true);
  });

  it('runs before/after on a given network and demand', async () => {
    const { network } = arterialNetwork(arterial, 60, 10);
    await writeFile(path.join(dir, 'network.json'), JSON.stringify(network));
    const trips = Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, from: i % 2 ? '__entry' : '__exit', to: i % 2 ? '__exit' : '__entry', depart: i * 9 }));
    await writeFile(path.join(dir, 'demand.json'), JSON.stringify({ trips }));
    const out = path.join(dir, 'given');
    await simCommand(['greenwave', '--arterial', path.join(dir, 'arterial.json'), '--out', out, '--network', path.join(dir, 'network.json'), '--demand', path.join(dir, 'demand.json')], log);
    const ba = JSON.parse(await readFile(path.join(out, 'before-after.json'), 'utf8')) as BeforeAfter;
    expect(ba.network).toBe('given');
    expect(ba.trips).toBe(40);
    expect(ba.before.outbound.vehicles + ba.before.inbound.vehicles).toBe(40);
    expect(ba.after.outbound.meanStops!).toBeLessThan(ba.before.outbound.meanStops!);
  });

  it('refuses bad input naming the option and the field', async () => {
    const bad = { ...arterial, intersections: arterial.intersections.map((s, i) => (i === 2 ? { ...s, positionM: 'far' } : s)) };
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify(bad));
    expect(await usageError(['greenwave', '--arterial', path.join(dir, 'bad.json'), '--out', dir])).toBe(
      '--arterial: intersections[2].positionM: must be a number, got "far"',
    );
    await writeFile(path.join(dir, 'broken.json'), '{"cycleSeconds": ');
    expect(await usageError(['greenwave', '--arterial', path.join(dir, 'broken.json'), '--out', dir])).toMatch(/^--arterial: ".*broken\.json" is not valid JSON/);
    expect(await usageError(['greenwave', '--arterial', path.join(dir, 'missing.json'), '--out', dir])).toMatch(/^--arterial: cannot read/);
    expect(await usageError(['greenwave', '--out', dir])).toMatch(/^--arterial is required/);
    expect(await usageError(['greenwave', '--arterial', path.join(dir, 'arterial.json'), '--out', dir, '--network', 'n.json'])).toBe('--network and --demand go together');
    expect(await usageError(['greenwave', '--arterial', path.join(dir, 'arterial.json'), '--out', dir, '--duration', '5'])).toBe('--duration must be between 60 and 86400, got 5');
  });

  it('names the intersection a given network lacks', async () => {
    const other = { ...arterial, intersections: [...arterial.intersections.slice(0, 3), { id: 'S9', positionM: 900, greenSeconds: 30 }] };
    await writeFile(path.join(dir, 'other.json'), JSON.stringify(other));
    expect(
      await usageError(['greenwave', '--arterial', path.join(dir, 'other.json'), '--out', dir, '--network', path.join(dir, 'network.json'), '--demand', path.join(dir, 'demand.json')]),
    ).toBe('--network: intersections[3].id: "S9" is not a node of the network');
  });
});
