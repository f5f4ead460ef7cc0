/**
 * A demo that lives for days, at a small scale: a 12-pole demo-marked twin with the device
 * simulator in its staffed world and the simulated staff on (by default: the twin says it is the
 * demo), run at 4,000× for about 1.7 simulated days. After the first simulated day the open
 * alarms, open cases, the live snapshot and the heap must be flat — the same judgement as
 * `npm run bench -- soak` (server/staffSim/steadyState.ts) — while the staff took every step of
 * the loop. A twin without the marker gets no staff.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/index';
import { sampleSoak, type SoakSample } from '../../server/staffSim/soakProbe';
import { growth } from '../../server/staffSim/steadyState';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';

const SPEEDUP = 4000;
const RUN_MS = 36_000;
const DAY_MS = 86_400_000;

describe('simulated staff keep a small demo district steady', () => {
  const twins: TinyTwin[] = [];
  afterAll(async () => {
    for (const t of twins) await t.cleanup();
  });

  it('a twin that is not the demo city gets no simulated staff, even with the simulator', async () => {
    const twin = await writeTinyTwin({ poles: 2 });
    twins.push(twin);
    const app = await buildApp({ twinDir: twin.dir, port: 0, mqttPort: 0, simulator: { speedup: 1 }, auth: { passwordCostLog2: 10 } });
    try {
      expect(app.staffSim.enabled).toBe(false);
      expect(app.simulator.staffed).toBe(false);
      const res = await app.inject({ method: 'GET', url: '/api/staff-sim' });
      expect(res.json()).toMatchObject({ enabled: false, actors: [] });
    } finally {
      await app.close();
    }
  });

  it('open alarms, open cases, the snapshot and the heap stay flat after the first simulated day', { timeout: 90_000 }, async () => {
    const twin = await writeTinyTwin({ poles: 12, demo: true });
    twins.push(twin);
    const app = await buildApp({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      // Reports 30× faster than in the field; the simulated clock 4,000×: days pass, the message rate stays small.
      simulator: { speedup: SPEEDUP, reportSpeedup: 30, seed: 7 },
      auth: { passwordCostLog2: 10 },
      cases: { supervisionIntervalMs: 250, kpiIntervalMs: 1000 },
    });
    const samples: SoakSample[] = [];
    try {
      expect(app.staffSim.enabled).toBe(true);
      expect(app.simulator.staffed).toBe(true);
      const status = (await app.inject({ method: 'GET', url: '/api/staff-sim' })).json() as { actors: Array<{ displayName: string }> };
      expect(status.actors.length).toBe(2 + twin.departments.length);
      const start = Date.now();
      while (Date.now() - start < RUN_MS) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        samples.push(await sampleSoak(app, ((Date.now() - start) * SPEEDUP) / DAY_MS));
      }
      const stats = app.staffSim.stats()!;
      // Every step of the loop was taken by the simulated staff, and their crews fixed things.
      for (const action of ['register', 'dispatch', 'accept', 'feedback', 'close', 'evaluate']) expect(stats.actions[action] ?? 0).toBeGreaterThan(0);
      expect(stats.repairs).toBeGreaterThan(0);
      const last = samples[samples.length - 1]!;
      expect(last.simDay).toBeGreaterThan(1.3);
      expect(last.cases).toBeGreaterThan(5);

      const judged = {
        openAlarms: growth(samples.map((s) => ({ simDay: s.simDay, value: s.openAlarms })), { floor: 8 }),
        openCases: growth(samples.map((s) => ({ simDay: s.simDay, value: s.openCases })), { floor: 8 }),
        snapshotBytes: growth(samples.map((s) => ({ simDay: s.simDay, value: s.snapshotBytes })), { floor: 4096 }),
        heapBytes: growth(samples.map((s) => ({ simDay: s.simDay, value: s.heapBytes })), { tolerance: 0.5, floor: 64 * 2 ** 20 }),
      };
      for (const [name, g] of Object.entries(judged)) expect({ name, ...g }).toMatchObject({ name, bounded: true });
      // Most of what was opened is finished: the staff keep up rather than fall behind.
      expect(last.openCases).toBeLessThan(Math.max(10, last.cases / 2));
    } finally {
      await app.close();
    }
  });
});
