/** The flood scenario with the twin's storm network coupled: files, summary, hit list. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { floodScenario } from '../../../server/scenarios/flood';
import { loadTwin } from '../../../server/twin/loadTwin';
import { parseFloodParams } from '../../../simulations/flood/scenarioParams';
import type { CoupledDrainageResult } from '../../../simulations/flood/runFlood';
import type { FloodImpacts } from '../../../simulations/flood/twin/floodImpacts';

// Built by the global setup (test/globalSetup.ts) before any test runs.
const DEMO_TWIN = fileURLToPath(new URL('../../../data/demo/twin/', import.meta.url));

describe('flood scenario with the drainage network', () => {
  it("couples the demo twin's storm network, stores drainage.json and lists overloaded drains", async () => {
    const twin = await loadTwin(DEMO_TWIN);
    const outDir = await mkdtemp(path.join(tmpdir(), 'citytwin-drainage-scenario-'));
    try {
      const params = parseFloodParams({ rain: { mmPerHour: 150 }, drainageMmPerHour: 0, drainageNetwork: 'twin', durationSeconds: 300, snapshotEverySeconds: 300, maxCells: 12_000 });
      const outcome = await floodScenario.run(params, { twin, outDir, onProgress: () => undefined, signal: new AbortController().signal });
      expect(outcome.files).toContain('drainage.json');
      const summary = outcome.summary as { drainage: { massBalance: { relativeError: number; outfalls: number }; nodes: number; uncoupledNodes: number }; volumeInM3: { toDrains: number } };
      expect(summary.drainage.nodes).toBeGreaterThan(50);
      expect(summary.drainage.uncoupledNodes).toBeLessThan(summary.drainage.nodes);
      expect(Math.abs(summary.drainage.massBalance.relativeError)).toBeLessThan(1e-9);
      expect(summary.volumeInM3.toDrains).toBeGreaterThan(0);
      const saved = JSON.parse(await readFile(path.join(outDir, 'drainage.json'), 'utf8')) as CoupledDrainageResult;
      expect(saved.pipes.links.length).toBeGreaterThan(50);
      const impacts = JSON.parse(await readFile(path.join(outDir, 'impacts.json'), 'utf8')) as FloodImpacts;
      expect(impacts.counts.drains).toBe(impacts.drains!.length);
      for (const d of impacts.drains!) {
        expect(d.lon).toBeGreaterThan(113);
        expect(d.lat).toBeGreaterThan(22);
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
    // Two thousand pipes step at ~1 µs a link on an idle core; on the shared CI machine, more.
  }, 240_000);
});
