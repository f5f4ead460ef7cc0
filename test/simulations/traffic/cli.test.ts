import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trafficCommand } from '../../../cli/simTraffic';
import { runTrafficInWorker } from '../../../simulations/traffic/worker/runTrafficInWorker';
import { corridor, grid } from './networks';

const dir = mkdtempSync(path.join(tmpdir(), 'citytwin-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const networkFile = path.join(dir, 'network.json');
writeFileSync(networkFile, JSON.stringify(corridor({ approachM: 300, exitM: 200, lanes: 2, redSeconds: 30, greenSeconds: 30 })));
const demandFile = path.join(dir, 'demand.json');
writeFileSync(demandFile, JSON.stringify({ trips: Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, from: 'A', to: 'C', depart: i * 2 })) }));

describe('citytwin sim traffic', () => {
  it('runs a network JSON and a trip list in a worker and writes the outputs', async () => {
    const out = path.join(dir, 'out');
    const lines: string[] = [];
    await trafficCommand(['--network', networkFile, '--demand', demandFile, '--duration', '600', '--out', out], (l) => lines.push(l));
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, number>;
    expect(summary.vehiclesArrived).toBe(40);
    expect(summary.meanTravelTimeSeconds).toBeGreaterThan(500 / 15);
    expect(summary.vehicleUpdates).toBeGreaterThan(0);
    expect(summary.vehicleUpdatesPerSecond).toBeGreaterThan(0);
    const csv = readFileSync(path.join(out, 'vehicles.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,from,to,depart,inserted,arrival,travelTimeSeconds,delaySeconds,stops');
    expect(csv).toHaveLength(41);
    const links = JSON.parse(readFileSync(path.join(out, 'links.json'), 'utf8')) as { series: Array<{ linkId: string }> };
    expect(links.series.map((s) => s.linkId)).toEqual(['AB', 'BC']);
    const los = JSON.parse(readFileSync(path.join(out, 'intersections.json'), 'utf8')) as Array<{ nodeId: string; los: string }>;
    expect(los).toEqual([expect.objectContaining({ nodeId: 'B', los: expect.stringMatching(/^[A-F]$/) })]);
    expect(lines.at(-2)).toMatch(/^Arrived 40 of 40/);
  });

  it('refuses bad arguments and files with a message naming them', async () => {
    const run = (args: string[]): Promise<void> => trafficCommand(args, () => undefined);
    const base = ['--network', networkFile, '--demand', demandFile, '--duration', '60', '--out', path.join(dir, 'x')];
    await expect(run(base.slice(2))).rejects.toThrow(/missing --network/);
    await expect(run([...base.slice(0, 5), '0', ...base.slice(6)])).rejects.toThrow(/--duration must be between 1 and/);
    await expect(run(['--network', path.join(dir, 'none.json'), ...base.slice(2)])).rejects.toThrow(/network: .*none.json does not exist/);
    const badDemand = path.join(dir, 'bad-demand.json');
    writeFileSync(badDemand, JSON.stringify({ trips: [{ id: 'a', from: 'A', to: 'Nowhere', depart: 0 }] }));
    await expect(run([...base.slice(0, 2), '--demand', badDemand, ...base.slice(4)])).rejects.toThrow('trips[0].to: unknown node "Nowhere"');
    await expect(run([...base, '--vehicles-format', 'xml'])).rejects.toThrow(/--vehicles-format must be csv or json/);
  });
});

describe('worker runner', () => {
  it('reports progress and stops soon after cancellation', async () => {
    const network = grid(5, 200);
    const trips = Array.from({ length: 3000 }, (_, i) => ({ id: `t${i}`, from: 'n0_0', to: 'n4_4', depart: i }));
    const controller = new AbortController();
    let progress = 0;
    const result = await runTrafficInWorker(network, { trips }, { durationSeconds: 86_400 }, {
      signal: controller.signal,
      onProgress: (f) => {
        progress = f;
        if (f > 0.01) controller.abort();
      },
    });
    expect(progress).toBeGreaterThan(0.01);
    expect(result.summary.stoppedEarly).toBe('cancelled');
    expect(result.summary.durationSeconds).toBeLessThan(86_400 * 0.2);
  });
});
