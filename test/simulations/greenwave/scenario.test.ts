import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenwaveScenario } from '../../../server/scenarios/greenwave';
import { ScenarioParamsError } from '../../../server/scenarios/ScenarioKind';
import { TwinIndex } from '../../../server/twin/TwinIndex';
import type { GreenWaveResult } from '../../../simulations/greenwave/planGreenWave';
import type { BeforeAfter } from '../../../simulations/greenwave/greenWaveStudy';
import type { CorridorMap } from '../../../simulations/greenwave/corridorMap';
import { distanceM } from '../../../kernel/geodesy';
import { writeTinyTwin, type TinyTwin } from '../../fixtures/tinyTwin';

const LAT = 22.8;
const M_PER_DEG_LAT = (Math.PI * 6_371_008.8) / 180;
const lonOf = (eastM: number): number => 113.7 + eastM / (M_PER_DEG_LAT * Math.cos((LAT * Math.PI) / 180));

/** An east–west arterial with four crossings 300 m apart and their signals. */
function layers(): { roads: unknown; signals: unknown } {
  const line = (coords: [number, number][]) => ({ type: 'LineString', coordinates: coords });
  const roads = [
    { type: 'Feature', geometry: line([[lonOf(0), LAT], [lonOf(1500), LAT]]), properties: { id: 'A1', name: '海滨大道', class: 'arterial', lanes: 4, widthM: 20, speedKmh: 36 } },
    ...[300, 600, 900, 1200].map((x, i) => ({
      type: 'Feature',
      geometry: line([[lonOf(x), LAT - 0.002], [lonOf(x), LAT + 0.002]]),
      properties: { id: `C${i}`, name: `C${i}`, class: 'secondary', lanes: 4, widthM: 16, speedKmh: 40 },
    })),
  ];
  const signals = [300, 600, 900, 1200].map((x, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lonOf(x), LAT] },
    properties: { id: `S${i}`, code: '0', name: `S${i}`, roadIds: ['A1', `C${i}`], cycleSeconds: 60, greenSeconds: 30 },
  }));
  return { roads: { type: 'FeatureCollection', features: roads }, signals: { type: 'FeatureCollection', features: signals } };
}

let tiny: TinyTwin;
let outDir = '';

beforeAll(async () => {
  tiny = await writeTinyTwin({ poles: 2 });
  const { roads, signals } = layers();
  await writeFile(path.join(tiny.dir, tiny.manifest.files.roads), JSON.stringify(roads));
  await writeFile(path.join(tiny.dir, tiny.manifest.files.signals), JSON.stringify(signals));
  outDir = await mkdtemp(path.join(tmpdir(), 'greenwave-scenario-'));
});
afterAll(async () => {
  await tiny.cleanup();
  await rm(outDir, { recursive: true, force: true });
});

describe('green-wave scenario', () => {
  it('validates params, naming the field', () => {
    expect(greenwaveScenario.parseParams(undefined)).toMatchObject({ cycleSeconds: 90, inboundWeight: 1 });
    expect(greenwaveScenario.parseParams({ speedRangeMps: null }).speedRangeMps).toBeNull();
    const fail = (raw: unknown): ScenarioParamsError => {
      try {
        greenwaveScenario.parseParams(raw);
      } catch (err) {
        expect(err).toBeInstanceOf(ScenarioParamsError);
        return err as ScenarioParamsError;
      }
      throw new Error('expected ScenarioParamsError');
    };
    expect(fail({ cycleRangeSeconds: [90, 60] }).message).toBe('params.cycleRangeSeconds: max 60 is below min 90');
    expect(fail({ speedRangeMps: [5, 'x'] }).path).toBe('params.speedRangeMps[1]');
    expect(fail({ throughVehPerHour: 9000 }).path).toBe('params.throughVehPerHour');
    expect(fail({ rain: 3 }).path).toBe('params.rain');
  });

  const run = async (raw: Record<string, unknown>): Promise<{ summary: Record<string, unknown>; files: string[]; progress: number[]; dir: string }> => {
    const twin = new TwinIndex(tiny.dir, tiny.manifest, { poles: [], terminals: [], components: [], buildings: [], departments: [] });
    const progress: number[] = [];
    const dir = await mkdtemp(path.join(outDir, 'run-'));
    const outcome = await greenwaveScenario.run(greenwaveScenario.parseParams(raw), {
      twin,
      outDir: dir,
      onProgress: (f) => void progress.push(f),
      signal: new AbortController().signal,
    });
    return { ...outcome, progress, dir };
  };

  /** corridor.json has a line per section of the traffic figures, S0 → S1 running from signal S0 to S1 (300 m). */
  async function expectSectionsOnMap(dir: string, ba: BeforeAfter, network: string): Promise<void> {
    const map = JSON.parse(await readFile(path.join(dir, 'corridor.json'), 'utf8')) as CorridorMap;
    expect(map).toMatchObject({ roadId: 'A1', network });
    expect(map.sections.map((s) => s.key)).toEqual(ba.after.sections.map((s) => s.key));
    const line = map.sections.find((s) => s.key === 'outbound:S0>S1')!.line;
    const back = map.sections.find((s) => s.key === 'inbound:S1>S0')!.line;
    expect(distanceM(line[0]![0], line[0]![1], lonOf(300), LAT)).toBeLessThan(3);
    expect(distanceM(line.at(-1)![0], line.at(-1)![1], lonOf(600), LAT)).toBeLessThan(3);
    expect(distanceM(back[0]![0], back[0]![1], lonOf(600), LAT)).toBeLessThan(3);
    expect(ba.after.junctions.map((j) => j.id)).toEqual(['S0', 'S1', 'S2', 'S3']);
  }

  it('plans the arterial of the twin as a corridor from the signals’ own timings', async () => {
    const { summary, files, progress, dir } = await run({ network: 'corridor', cycleRangeSeconds: null, speedRangeMps: null, throughVehPerHour: 400, demandSeconds: 600 });
    expect(files.sort()).toEqual(['before-after.json', 'corridor.json', 'result.json', 'time-space-before.svg', 'time-space.svg']);
    // 300 m at 36 km/h is 30 s, half the 60 s cycle, with 30 s greens: a full band each way.
    expect(summary).toMatchObject({ roadId: 'A1', network: 'corridor', intersections: 4, cycleSeconds: 60, speedMps: 10, bandwidthSeconds: { outbound: 30, inbound: 30 } });
    const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as GreenWaveResult;
    expect(Object.keys(result.offsetsSeconds)).toEqual(['S0', 'S1', 'S2', 'S3']);
    const ba = JSON.parse(await readFile(path.join(dir, 'before-after.json'), 'utf8')) as BeforeAfter;
    expect(ba.after.outbound.meanStops!).toBeLessThan(ba.before.outbound.meanStops!);
    // The sections on the map are those the traffic figures are given for, laid on the road.
    await expectSectionsOnMap(dir, ba, 'corridor');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBeGreaterThan(0.9);
  });

  it('plans it on the twin’s road network with the simulation’s signal timings', async () => {
    const { summary, dir } = await run({ cycleRangeSeconds: null, speedRangeMps: null, peakVehPerHour: 200, throughVehPerHour: 400, demandSeconds: 600 });
    // The traffic network gives every signal its default plan: 48 s of a 90 s cycle for the main road.
    expect(summary).toMatchObject({ network: 'twin', intersections: 4, cycleSeconds: 90, speedMps: expect.closeTo(10, 6) });
    const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as GreenWaveResult;
    // Positions along the road as the network measures it (its projection differs by < 0.2 %).
    result.diagram.intersections.forEach((s, i) => expect(Math.abs(s.positionM - 300 * i)).toBeLessThan(2));
    // 30 s links on a 90 s cycle put the inbound arcs a third of a cycle apart: a two-way plan
    // gets b + b̄ ≤ 36 s, so the optimum of b + b̄ is the one-way band of the whole 48 s green.
    expect(result.bandwidthSeconds).toEqual({ outbound: 48, inbound: 0 });
    const ba = JSON.parse(await readFile(path.join(dir, 'before-after.json'), 'utf8')) as BeforeAfter;
    expect(ba.network).toBe('given');
    expect(ba.before.outbound.vehicles).toBeGreaterThan(20);
    expect(ba.after.outbound.meanStops!).toBeLessThan(ba.before.outbound.meanStops! - 0.5);
    expect(ba.after.outbound.meanTravelTimeSeconds!).toBeLessThan(ba.before.outbound.meanTravelTimeSeconds!);
    await expectSectionsOnMap(dir, ba, 'twin');
  });

  it('stops the worker when cancelled', async () => {
    const twin = new TwinIndex(tiny.dir, tiny.manifest, { poles: [], terminals: [], components: [], buildings: [], departments: [] });
    const abort = new AbortController();
    const run = greenwaveScenario.run(greenwaveScenario.parseParams({}), { twin, outDir, onProgress: () => abort.abort(new Error('cancelled by test')), signal: abort.signal });
    await expect(run).rejects.toThrow('cancelled by test');
  });
});
