/**
 * The flood scenario with the twin's own storm network (`drainageNetwork: {source: 'twin'}`)
 * on the demo twin: the network built from the package's storm layers, coupled, drainage.json
 * and the overloaded-drains list written, and what the client draws from them (pipes by load
 * on the twin's pipe ids, spilling manholes placed in the district). Refusals name the field.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linksByClass, manholeMarkers } from '../../../client/src/features/flood/core/drainLoad';
import { floodScenario } from '../../../server/scenarios/flood';
import { loadTwin } from '../../../server/twin/loadTwin';
import type { PipeRun } from '../../../simulations/drainage/pipeResults';
import { TwinDrainageError } from '../../../simulations/drainage/twinStormNetwork';
import { parseFloodParams } from '../../../simulations/flood/scenarioParams';
import type { FloodImpacts } from '../../../simulations/flood/twin/floodImpacts';
import { ScenarioParamsError } from '../../../simulations/scenarioParams';

// Built by the global setup (test/globalSetup.ts) before any test runs.
const DEMO_TWIN = fileURLToPath(new URL('../../../data/demo/twin/', import.meta.url));

describe('flood scenario with the twin storm network', () => {
  it('takes {source: "twin"} with optional outfalls and names the field it refuses', () => {
    expect(parseFloodParams({ drainageNetwork: { source: 'twin' } }).drainageNetwork).toEqual({ source: 'twin' });
    expect(parseFloodParams({ drainageNetwork: { source: 'twin', outfalls: ['SO001'] } }).drainageNetwork).toEqual({ source: 'twin', outfalls: ['SO001'] });
    for (const bad of [{ source: 'sea' }, { source: 'twin', outfalls: [] }, { source: 'twin', inp: 'x' }]) {
      expect(() => parseFloodParams({ drainageNetwork: bad })).toThrow(ScenarioParamsError);
      expect(() => parseFloodParams({ drainageNetwork: bad })).toThrow(/params\.drainageNetwork/);
    }
  });

  // One river outfall's catchment (as test/fixtures/swmm/demo-storm.inp): the whole network of
  // seed 42 (2,002 pipes) took over 5 minutes coupled on this shared machine.
  it('couples a catchment of the demo storm network to a storm and writes what the client colours and marks', async () => {
    const twin = await loadTwin(DEMO_TWIN);
    const layer = JSON.parse(await readFile(path.join(DEMO_TWIN, twin.manifest.files.drainagePipes!), 'utf8')) as { features: Array<{ properties: { id: string; network: string } }> };
    const stormPipeIds = new Set(layer.features.filter((f) => f.properties.network === 'storm').map((f) => f.properties.id));
    expect(stormPipeIds.size).toBeGreaterThan(1000);
    const outDir = await mkdtemp(path.join(tmpdir(), 'citytwin-flood-twin-drainage-'));
    try {
      const params = parseFloodParams({
        rain: { storm: { returnPeriodYears: 100, durationMinutes: 10 } },
        drainageMmPerHour: 0,
        durationSeconds: 1200,
        snapshotEverySeconds: 600,
        maxCells: 12_000,
        drainageNetwork: { source: 'twin', outfalls: ['YSO028'] },
      });
      const outcome = await floodScenario.run(params, { twin, outDir, onProgress: () => undefined, signal: new AbortController().signal });
      expect(outcome.files).toContain('drainage.json');
      const summary = outcome.summary as { drainage: { links: number; nodes: number; overloadedLinks: number; spillingNodes: number; massBalance: { relativeError: number } } };
      expect(summary.drainage.links).toBeGreaterThan(10);
      expect(summary.drainage.links).toBeLessThan(stormPipeIds.size);
      const { pipes } = JSON.parse(await readFile(path.join(outDir, 'drainage.json'), 'utf8')) as { pipes: PipeRun };
      // Every pipe of the run is a pipe of the twin's tiles (same ids), so the style reaches each.
      expect(pipes.links.every((l) => stormPipeIds.has(l.id))).toBe(true);
      const classes = linksByClass(pipes.links);
      expect(classes.low.length + classes.high.length + classes.over.length).toBe(summary.drainage.links);
      expect(classes.over.length).toBe(summary.drainage.overloadedLinks);
      const impacts = JSON.parse(await readFile(path.join(outDir, 'impacts.json'), 'utf8')) as FloodImpacts;
      const drains = impacts.drains ?? [];
      expect(drains.filter((d) => d.kind === 'link')).toHaveLength(Math.min(summary.drainage.overloadedLinks, Math.max(0, 200 - summary.drainage.spillingNodes)));
      // This catchment surcharges (27 of 47 pipes ≥ 1 on 2026-12-07) without reaching its rims
      // (cover ≥ 1.2 m): markers are checked against the run's count, their placing in drainLoad.test.ts.
      const markers = manholeMarkers(drains, pipes.nodes);
      expect(markers).toHaveLength(Math.min(summary.drainage.spillingNodes, 200));
      const { west, east, south, north } = twin.manifest.bounds;
      for (const m of markers) {
        expect(m.lon).toBeGreaterThan(west);
        expect(m.lon).toBeLessThan(east);
        expect(m.lat).toBeGreaterThan(south);
        expect(m.lat).toBeLessThan(north);
        expect(m.peakDepthM).not.toBeNull();
      }
      console.info(`twin storm network coupled: ${summary.drainage.links} pipes (${classes.low.length} < 0.5, ${classes.high.length} < 1, ${classes.over.length} ≥ 1), ${summary.drainage.spillingNodes} spilling manholes`);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 240_000);

  it("refuses an outfall that is not one of the twin's, naming it", async () => {
    const twin = await loadTwin(DEMO_TWIN);
    const outDir = await mkdtemp(path.join(tmpdir(), 'citytwin-flood-twin-drainage-'));
    try {
      const params = parseFloodParams({ durationSeconds: 600, snapshotEverySeconds: 600, maxCells: 10_000, drainageNetwork: { source: 'twin', outfalls: ['NOPE'] } });
      await expect(floodScenario.run(params, { twin, outDir, onProgress: () => undefined, signal: new AbortController().signal })).rejects.toThrow(TwinDrainageError);
      await expect(floodScenario.run(params, { twin, outDir, onProgress: () => undefined, signal: new AbortController().signal })).rejects.toThrow(/outfall "NOPE"/);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
