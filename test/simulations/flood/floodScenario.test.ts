import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { floodScenario } from '../../../server/scenarios/flood';
import { FLOOD_DEFAULTS, parseFloodParams } from '../../../simulations/flood/scenarioParams';
import { ScenarioParamsError } from '../../../server/scenarios/ScenarioKind';
import { loadTwin } from '../../../server/twin/loadTwin';
import type { DepthFramesMeta } from '../../../simulations/flood/io/depthFrames';
import type { FloodImpacts } from '../../../simulations/flood/twin/floodImpacts';

// Built by the global setup (test/globalSetup.ts) before any test runs.
const DEMO_TWIN = fileURLToPath(new URL('../../../data/demo/twin/', import.meta.url));

describe('flood scenario params', () => {
  it('fills defaults and reads both kinds of rain', () => {
    expect(parseFloodParams({})).toMatchObject({ ...FLOOD_DEFAULTS, rain: { storm: { returnPeriodYears: 50 } } });
    expect(parseFloodParams({ rain: { mmPerHour: 80 } }).rain).toEqual({ mmPerHour: 80 });
    expect(parseFloodParams({ rain: { storm: { returnPeriodYears: 10, durationMinutes: 120 } } }).rain).toEqual({ storm: { returnPeriodYears: 10, durationMinutes: 120, peakRatio: 0.4 } });
    const withRiver = parseFloodParams({ inflow: { lon: 113.7, lat: 22.83, seconds: [0, 3600], dischargeM3s: [10, 80] }, boundaries: { south: { type: 'level', values: [0.5] } } });
    expect(withRiver.inflow?.dischargeM3s).toEqual([10, 80]);
    expect(withRiver.boundaries?.south).toEqual({ type: 'level', seconds: [0], values: [0.5] });
  });

  it('names the bad field', () => {
    const bad = (params: unknown, field: string): void => {
      try {
        parseFloodParams(params);
      } catch (err) {
        expect(err).toBeInstanceOf(ScenarioParamsError);
        expect((err as ScenarioParamsError).path).toBe(field);
        return;
      }
      throw new Error(`accepted ${JSON.stringify(params)}`);
    };
    bad({ colour: 1 }, 'params.colour');
    bad({ rain: { mmPerHour: -1 } }, 'params.rain.mmPerHour');
    bad({ rain: { storm: { returnPeriodYears: 50 } } }, 'params.rain.storm.durationMinutes');
    bad({ rain: 'heavy' }, 'params.rain');
    bad({ durationSeconds: 10 * 24 * 3600 }, 'params.durationSeconds');
    bad({ durationSeconds: 7200, snapshotEverySeconds: 10 }, 'params.snapshotEverySeconds');
    bad({ maxCells: 9e9 }, 'params.maxCells');
    bad({ inflow: { lon: 113.7, lat: 22.8, seconds: [0, 10], dischargeM3s: [1] } }, 'params.inflow');
    bad({ boundaries: { up: { type: 'free' } } }, 'params.boundaries.up');
    bad({ boundaries: { west: { type: 'tide' } } }, 'params.boundaries.west.type');
  });
});

describe('flood scenario on the demo twin', () => {
  it('floods the district under a storm and lists what is hit', async () => {
    const twin = await loadTwin(DEMO_TWIN);
    const outDir = await mkdtemp(path.join(tmpdir(), 'citytwin-flood-scenario-'));
    try {
      const progress: number[] = [];
      const params = parseFloodParams({ rain: { storm: { returnPeriodYears: 100, durationMinutes: 20 } }, drainageMmPerHour: 0, durationSeconds: 1800, snapshotEverySeconds: 600, maxCells: 12_000, hitDepthM: 0.05 });
      const outcome = await floodScenario.run(params, { twin, outDir, onProgress: (f) => progress.push(f), signal: new AbortController().signal });
      expect(progress.at(-1)).toBe(1);
      for (const f of ['max-depth.asc', 'arrival-time.asc', 'depth-600.asc', 'frames.json', 'frames.bin', 'impacts.json', 'summary.json']) expect(outcome.files).toContain(f);
      const summary = outcome.summary as { massBalanceError: number; maxDepthM: number; maxLandDepthM: number; grid: { cellSizeM: number }; hit: { buildings: number; roads: number } };
      expect(Math.abs(summary.massBalanceError)).toBeLessThan(1e-9);
      expect(summary.grid.cellSizeM).toBeGreaterThanOrEqual(35);
      expect(summary.maxLandDepthM).toBeGreaterThan(0.05);
      expect(summary.maxDepthM).toBeGreaterThanOrEqual(summary.maxLandDepthM);
      const meta = JSON.parse(await readFile(path.join(outDir, 'frames.json'), 'utf8')) as DepthFramesMeta;
      expect(meta.timesS).toEqual([600, 1200, 1800]);
      const bin = await readFile(path.join(outDir, 'frames.bin'));
      expect(bin.byteLength).toBe(meta.ncols * meta.nrows * 2 * 3);
      expect(meta.corners[0]![0]).toBeCloseTo(twin.manifest.bounds.west, 1);
      const impacts = JSON.parse(await readFile(path.join(outDir, 'impacts.json'), 'utf8')) as FloodImpacts;
      expect(impacts.counts.roads).toBeGreaterThan(0);
      expect(impacts.roads[0]!.floodedLengthM).toBeGreaterThan(0);
      expect(impacts.hotspots.length).toBeGreaterThan(0);
      expect(impacts.hotspots[0]!.cameras.length).toBe(3);
      // Cameras are listed nearest first.
      const d = impacts.hotspots[0]!.cameras.map((c) => c.distanceM);
      expect([...d].sort((a, b) => a - b)).toEqual(d);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
