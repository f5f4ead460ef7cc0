/**
 * The flood scenario with the twin's storm network coupled: files, summary, hit list; the network
 * restricted to the catchments of chosen outfalls, through the real API (outfalls listed, unknown
 * ones refused with a 400 naming the field) and in a run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../server/index';
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

describe("the twin's network restricted to chosen outfalls", () => {
  it('lists the outfalls with their catchments, refuses unknown or repeated ones naming the field, and runs only the catchment', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'citytwin-drainage-api-'));
    const server = await startServer({ twinDir: DEMO_TWIN, host: '127.0.0.1', port: 0, mqttPort: 0, dataDir, instanceId: 'drain-1', simulator: false, auth: { passwordCostLog2: 10 }, scenarios: { kinds: [floodScenario] } });
    let outfalls: Array<{ id: string; tidal: boolean; lon: number; lat: number; junctions: number; pipes: number }>;
    try {
      const url = server.httpUrl;
      const listed = await fetch(`${url}/api/pipes/outfalls`);
      expect(listed.status).toBe(200);
      outfalls = ((await listed.json()) as { outfalls: typeof outfalls }).outfalls;
      // Seed 42's storm network: 47 outfalls sharing its 2,002 pipes, largest catchment first.
      expect(outfalls.length).toBeGreaterThan(10);
      expect(outfalls.reduce((n, o) => n + o.pipes, 0)).toBe(2002);
      expect(outfalls.map((o) => o.pipes)).toEqual([...outfalls.map((o) => o.pipes)].sort((a, b) => b - a));
      expect(outfalls.some((o) => o.tidal)).toBe(true);
      for (const o of outfalls) {
        expect(o.lon).toBeGreaterThan(113);
        expect(o.lat).toBeGreaterThan(22);
      }
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'planner', password: 'planner-demo' }) });
      const { token } = (await login.json()) as { token: string };
      const post = async (drainageNetwork: unknown): Promise<{ status: number; message: string }> => {
        const res = await fetch(`${url}/api/scenarios`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'flood', name: 'catchment', params: { drainageMmPerHour: 0, drainageNetwork } }),
        });
        return { status: res.status, message: ((await res.json()) as { message: string }).message };
      };
      const unknown = await post({ twin: { outfalls: [outfalls[0]!.id, 'YSO999'] } });
      expect(unknown.status).toBe(400);
      expect(unknown.message).toContain('body/params/drainageNetwork/twin/outfalls[1]');
      expect(unknown.message).toContain('"YSO999" is not an outfall');
      const twice = await post({ twin: { outfalls: [outfalls[0]!.id, outfalls[0]!.id] } });
      expect(twice.status).toBe(400);
      expect(twice.message).toContain('body/params/drainageNetwork/twin/outfalls[1]');
      expect((await post({ twin: { outfalls: [] } })).status).toBe(400);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }

    // A small catchment runs alone: its pipes, and no other.
    const small = outfalls.filter((o) => o.pipes >= 10).at(-1)!;
    const twin = await loadTwin(DEMO_TWIN);
    const outDir = await mkdtemp(path.join(tmpdir(), 'citytwin-drainage-catchment-'));
    try {
      const params = parseFloodParams({ rain: { mmPerHour: 150 }, drainageMmPerHour: 0, drainageNetwork: { twin: { outfalls: [small.id] } }, durationSeconds: 120, snapshotEverySeconds: 120, maxCells: 12_000 });
      await floodScenario.checkAgainstTwin!(params, twin);
      const outcome = await floodScenario.run(params, { twin, outDir, onProgress: () => undefined, signal: new AbortController().signal });
      const summary = outcome.summary as { drainage: { links: number; nodes: number; massBalance: { relativeError: number } } };
      expect(summary.drainage.links).toBe(small.pipes);
      expect(summary.drainage.nodes).toBe(small.junctions + 1);
      expect(Math.abs(summary.drainage.massBalance.relativeError)).toBeLessThan(1e-9);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
