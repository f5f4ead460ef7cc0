import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePlayback, positionsAt } from '../../../client/src/features/traffic/core/playback';
import { ScenarioParamsError, type ScenarioContext } from '../../../server/scenarios/ScenarioKind';
import { trafficScenario } from '../../../server/scenarios/traffic';
import { parseTrafficParams } from '../../../simulations/traffic/scenarioParams';
import { readTwinNetwork } from '../../../simulations/traffic/networkFiles';
import type { TwinIndex } from '../../../server/twin/TwinIndex';
import { twinLayers } from './networks';

const dir = mkdtempSync(path.join(tmpdir(), 'citytwin-traffic-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const twinDir = path.join(dir, 'twin');
const outDir = path.join(dir, 'out');
const { roads, signals } = twinLayers();
mkdirSync(path.join(twinDir, 'layers'), { recursive: true });
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(twinDir, 'twin.json'), JSON.stringify({ center: { lon: 113.7, lat: 22.83, height: 0 }, files: { roads: 'layers/roads.geojson', signals: 'layers/signals.geojson' } }));
writeFileSync(path.join(twinDir, 'layers/roads.geojson'), JSON.stringify({ type: 'FeatureCollection', features: roads }));
writeFileSync(path.join(twinDir, 'layers/signals.geojson'), JSON.stringify({ type: 'FeatureCollection', features: signals }));

function context(signal = new AbortController().signal): ScenarioContext {
  return { twin: { dir: twinDir } as TwinIndex, outDir, onProgress: () => undefined, signal };
}

describe('traffic scenario', () => {
  it('validates params and names the bad field', () => {
    expect(parseTrafficParams(undefined)).toMatchObject({ demand: 'peak', vehicles: 6000 });
    const bad = (raw: unknown): string => {
      try {
        parseTrafficParams(raw);
      } catch (err) {
        expect(err).toBeInstanceOf(ScenarioParamsError);
        return (err as ScenarioParamsError).path;
      }
      return 'accepted';
    };
    expect(bad({ demand: 'rush' })).toBe('params.demand');
    expect(bad({ vehicles: 1e9 })).toBe('params.vehicles');
    expect(bad({ durationSeconds: 'long' })).toBe('params.durationSeconds');
    expect(bad({ signalOffsets: { S1: 'x' } })).toBe('params.signalOffsets.S1');
    expect(bad({ colour: 'red' })).toBe('params.colour');
  });

  it('runs trips on the twin roads with a green-wave offset and writes playback frames', async () => {
    const { network } = await readTwinNetwork(twinDir);
    const west = network.nodes.reduce((a, n) => (n.x < a.x ? n : a)).id;
    const east = network.nodes.reduce((a, n) => (n.x > a.x ? n : a)).id;
    const trips = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, from: i % 2 ? west : east, to: i % 2 ? east : west, depart: i * 4 }));
    const params = parseTrafficParams({ demand: { trips }, durationSeconds: 400, signalOffsets: { S1: 20 }, sampleEverySeconds: 1 });
    const outcome = await trafficScenario.run(params, context());
    expect(outcome.files.sort()).toEqual(['frames.bin', 'intersections.json', 'links.json', 'network.json', 'od.json', 'summary.json', 'vehicles.csv']);
    expect(outcome.summary).toMatchObject({ demand: 'custom', trips: 30, vehiclesArrived: 30, signalOffsetsApplied: 1 });
    const saved = JSON.parse(readFileSync(path.join(outDir, 'network.json'), 'utf8')) as { nodes: Array<{ id: string; signal?: { offsetSeconds: number } }> };
    expect(saved.nodes.find((n) => n.id === 'S1')!.signal!.offsetSeconds).toBe(20);

    const bytes = readFileSync(path.join(outDir, 'frames.bin'));
    const playback = decodePlayback(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(playback.times.length).toBe(400);
    expect(playback.frameStart.at(-1)).toBe(playback.vehicle.length);
    // Vehicles stay on the 600 m east–west road, on their side of it.
    const out = new Float32Array(3 * 64);
    const n = positionsAt(playback, 100.5, out, new Map());
    expect(n).toBeGreaterThan(3);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(out[3 * i]!)).toBeLessThanOrEqual(301);
      expect(Math.abs(out[3 * i + 1]!)).toBeLessThan(10);
    }
  });

  it('refuses trips naming nodes the twin network lacks', async () => {
    const params = parseTrafficParams({ demand: { trips: [{ id: 'a', from: 'S1', to: 'nowhere', depart: 0 }] } });
    await expect(trafficScenario.run(params, context())).rejects.toThrow('params.demand.trips[0].to: unknown node "nowhere"');
  });
});
