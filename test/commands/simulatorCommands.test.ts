/**
 * The demo's devices obey commands (server/devices/simulator/CommandResponder.ts): a dimmed lamp
 * draws power in proportion, a switched-off one none and reports on:false, and the record reaches
 * succeeded through the real broker, ingest and live state. With every command set to fail, the
 * device answers error and the record is failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../domain/commands';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { waitFor } from '../server/helpers';

async function settled(h: CaseApp, token: string, id: string): Promise<CommandRecord> {
  return waitFor(async () => {
    const r = (await h.call(token, { method: 'GET', url: `/api/commands/${id}` })).body as CommandRecord;
    return ['succeeded', 'failed', 'timed-out'].includes(r.status) ? r : undefined;
  }, 10_000, `command ${id} to settle`);
}

describe('simulated devices that obey', () => {
  let h: CaseApp;
  beforeAll(async () => {
    h = await startCaseApp({ simulator: { speedup: 1, faultRate: 0, videoEventsPerCameraHour: 0, commandFailRate: 0, commandSilentRate: 0 }, commands: { flushMs: 20 } });
    await waitFor(() => h.app.simulator.devicesConnected() === h.twin.terminals.length, 15_000, 'the fleet to connect');
  });
  afterAll(async () => h?.close());

  it('dims a lamp: powerW follows the percent; switches it off: on false and no power', async () => {
    const token = await h.login('admin');
    // Full power first, to compare against.
    const full = await h.call(token, { method: 'POST', url: '/api/terminals/P00002-lamp/commands', payload: { command: 'dim', percent: 100 } });
    expect((await settled(h, token, full.body.id)).status).toBe('succeeded');
    const fullW = h.app.live.terminal('P00002-lamp')!.values.powerW as number;
    expect(fullW).toBeGreaterThanOrEqual(100);

    const dim = await h.call(token, { method: 'POST', url: '/api/terminals/P00002-lamp/commands', payload: { command: 'dim', percent: 30 } });
    const dimmed = await settled(h, token, dim.body.id);
    expect(dimmed.history.map((s) => s.status)).toEqual(['sent', 'acked', 'succeeded']);
    const values = h.app.live.terminal('P00002-lamp')!.values;
    expect(values.dimmingPct).toBe(30);
    expect(values.powerW as number).toBeCloseTo(fullW * 0.3, 0);

    const off = await h.call(token, { method: 'POST', url: '/api/terminals/P00002-lamp/commands', payload: { command: 'switch', on: false } });
    expect((await settled(h, token, off.body.id)).status).toBe('succeeded');
    expect(h.app.live.terminal('P00002-lamp')!.values).toMatchObject({ on: false, powerW: 0 });
  });

  it('moves a camera to a preset: acked is the last word, so it succeeds on the ack', async () => {
    const token = await h.login('admin');
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00003-camera/commands', payload: { command: 'preset', pan: 45, tilt: -10, zoom: 4 } });
    expect((await settled(h, token, res.body.id)).status).toBe('succeeded');
  });

  it("retimes a junction's controller: it runs and reports the new plan, so the record succeeds on the state", async () => {
    const token = await h.login('admin');
    const res = await h.call(token, { method: 'POST', url: '/api/commands/signal-plans', payload: { plans: [{ signalId: 'S004', cycleS: 110, splitsS: [60, 30, 10], offsetS: 25, lostTimeS: 10 }] } });
    expect(res.status).toBe(202);
    const r = await settled(h, token, res.body.commands[0].id);
    expect(r.history.map((s) => s.status)).toEqual(['sent', 'acked', 'succeeded']);
    const values = h.app.live.terminal('P00004-signal-controller')!.values;
    expect(values).toMatchObject({ cycleS: 110, offsetS: 25, phases: 3, split1S: 60, split2S: 30, split3S: 10 });
  });
});

describe('simulated devices that fail', () => {
  let h: CaseApp;
  beforeAll(async () => {
    h = await startCaseApp({ simulator: { speedup: 1, faultRate: 0, videoEventsPerCameraHour: 0, commandFailRate: 1, commandSilentRate: 0 }, commands: { flushMs: 20 } });
    await waitFor(() => h.app.simulator.devicesConnected() === h.twin.terminals.length, 15_000, 'the fleet to connect');
  });
  afterAll(async () => h?.close());

  it('answers error, and the record is failed with the device message; the lamp is unchanged', async () => {
    const token = await h.login('admin');
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-lamp/commands', payload: { command: 'switch', on: false } });
    const r = await settled(h, token, res.body.id);
    expect(r.status).toBe('failed');
    expect(r.message).toBe('driver did not respond');
  });
});
