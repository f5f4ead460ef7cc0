/**
 * Signal timing plans on the real embedded broker: a real MQTT client plays a junction's signal
 * controller — it receives the `timing-plan` command with its id, acks it and reports the plan
 * it now runs, and the record goes sent → acked → succeeded; a green wave's plans go to a
 * corridor's controllers as one group; plans that break the rules are 400s naming the field;
 * forbidden roles change nothing. Also: commands a stopped instance left in flight are settled
 * as timed-out when the server starts again.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMessage, CommandRecord } from '../../domain/commands';
import { planReadings, type TimingPlan } from '../../domain/signalPlans';
import { ackTopic, commandTopic, terminalTopic } from '../../domain/topics';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { telemetryJson, waitFor } from '../server/helpers';

let h: CaseApp;
const devices: MqttClient[] = [];

beforeAll(async () => {
  h = await startCaseApp({ commands: { ackTimeoutMs: 300, retries: 1, flushMs: 20 } });
});

afterAll(async () => {
  await Promise.all(devices.map((d) => d.endAsync(true).catch(() => undefined)));
  await h?.close();
});

/** A controller that obeys: acks each plan, then reports it (as a GB/T 20999 controller's status would). */
async function controller(id: string): Promise<{ received: CommandMessage[] }> {
  const client = await mqtt.connectAsync(h.app.broker.url, { clientId: `${id}:test`, reconnectPeriod: 0, ...h.app.broker.credentials.device(id) }, false);
  devices.push(client);
  const received: CommandMessage[] = [];
  client.on('message', (topic, payload) => {
    if (topic !== commandTopic(id)) return;
    const cmd = JSON.parse(payload.toString()) as CommandMessage & TimingPlan;
    received.push(cmd);
    client.publish(ackTopic(id), JSON.stringify({ v: 1, id: cmd.id, ts: Date.now(), result: 'ok' }), { qos: 1 }, () => {
      client.publish(terminalTopic(id, 'telemetry'), telemetryJson(planReadings(cmd)), { qos: 1 });
    });
  });
  await client.subscribeAsync(commandTopic(id), { qos: 1 });
  return { received };
}

async function settled(token: string, id: string): Promise<CommandRecord> {
  return waitFor(async () => {
    const r = (await h.call(token, { method: 'GET', url: `/api/commands/${id}` })).body as CommandRecord;
    return ['succeeded', 'failed', 'timed-out'].includes(r.status) ? r : undefined;
  }, 5000, `command ${id} to settle`);
}

const PLAN = { cycleS: 100, splitsS: [52, 38], offsetS: 17, lostTimeS: 10 };

describe('one controller', () => {
  it('receives the plan with its id, acks, reports it: sent → acked → succeeded, and the state shows the plan', async () => {
    const token = await h.login('dispatcher');
    const ctl = await controller('P00001-signal-controller');
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-signal-controller/commands', payload: { command: 'timing-plan', ...PLAN } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ terminalType: 'signal-controller', status: 'sent', command: { command: 'timing-plan', ...PLAN } });
    const done = await settled(token, res.body.id);
    expect(done.history.map((s) => s.status)).toEqual(['sent', 'acked', 'succeeded']);
    expect(ctl.received).toEqual([expect.objectContaining({ v: 1, id: res.body.id, command: 'timing-plan', ...PLAN })]);
    expect(h.app.live.terminal('P00001-signal-controller')?.values).toMatchObject({ cycleS: 100, offsetS: 17, phases: 2, split1S: 52, split2S: 38 });
  });

  it('refuses plans that break the rules with a 400 naming the field, and sends nothing', async () => {
    const token = await h.login('dispatcher');
    const ctl = await controller('P00002-signal-controller');
    const send = (plan: object) => h.call(token, { method: 'POST', url: '/api/terminals/P00002-signal-controller/commands', payload: { command: 'timing-plan', ...PLAN, ...plan } });
    const cases: Array<[object, RegExp]> = [
      [{ cycleS: 20 }, /body\/cycleS/],
      [{ cycleS: 250 }, /body\/cycleS/],
      [{ splitsS: [50, 30] }, /body\/splitsS sum to 80 s; .* must sum to .* = 90 s/],
      [{ offsetS: 100 }, /body\/offsetS 100 s must be less than cycleS 100 s/],
      [{ splitsS: [90] }, /body\/splitsS/],
    ];
    for (const [plan, message] of cases) {
      const res = await send(plan);
      expect(res.status, JSON.stringify(plan)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    // A lamp does not take a plan; a controller does not take a dim.
    const lamp = await h.call(token, { method: 'POST', url: '/api/terminals/P00002-lamp/commands', payload: { command: 'timing-plan', ...PLAN } });
    expect(lamp.body.message).toMatch(/command "timing-plan" does not apply to a lamp/);
    await new Promise((r) => setTimeout(r, 100));
    expect(ctl.received).toEqual([]);
  });
});

describe('a green wave applied: POST /api/commands/signal-plans', () => {
  it("sends each junction's plan to its controller as one group; every controller confirms", async () => {
    const token = await h.login('admin');
    const ctls = await Promise.all([3, 4, 5].map((i) => controller(`P0000${i}-signal-controller`)));
    const plans = [3, 4, 5].map((i, k) => ({ signalId: `S00${i}`, cycleS: 90, splitsS: [48, 38], offsetS: 12 * k, lostTimeS: 4 }));
    const res = await h.call(token, { method: 'POST', url: '/api/commands/signal-plans', payload: { plans } });
    expect(res.status).toBe(202);
    expect(res.body.count).toBe(3);
    const records = res.body.commands as CommandRecord[];
    expect(new Set(records.map((r) => r.groupId))).toEqual(new Set([res.body.groupId]));
    for (const [k, r] of records.entries()) {
      expect(r.terminalId).toBe(`P0000${k + 3}-signal-controller`);
      expect((await settled(token, r.id)).status).toBe('succeeded');
      expect(ctls[k]!.received.map((m) => (m as CommandMessage & TimingPlan).offsetS)).toEqual([12 * k]);
      expect(h.app.live.terminal(r.terminalId)?.values.offsetS).toBe(12 * k);
    }
  });

  it('names the plan at fault: an unknown junction (404), a bad split (400), the same junction twice (400)', async () => {
    const token = await h.login('admin');
    const ok = { signalId: 'S006', cycleS: 90, splitsS: [48, 38], offsetS: 0, lostTimeS: 4 };
    const post = (plans: object[]) => h.call(token, { method: 'POST', url: '/api/commands/signal-plans', payload: { plans } });
    const unknown = await post([ok, { ...ok, signalId: 'S999' }]);
    expect(unknown).toMatchObject({ status: 404, body: { message: expect.stringMatching(/^body\/plans\/1\/signalId: junction "S999" has no signal controller/) } });
    const split = await post([{ ...ok, splitsS: [48, 40] }]);
    expect(split).toMatchObject({ status: 400, body: { message: expect.stringMatching(/body\/plans\/0\/splitsS sum to 88 s/) } });
    const twice = await post([ok, ok]);
    expect(twice).toMatchObject({ status: 400, body: { message: expect.stringMatching(/body\/plans\/1\/signalId: junction "S006" is given twice/) } });
  });

  it('refuses roles that may not retime signals (403): nothing is stored or sent', async () => {
    const ctl = await controller('P00006-signal-controller');
    const before = (await h.app.storage.listCommands({ terminalId: 'P00006-signal-controller', limit: 100 })).length;
    for (const username of ['inspector', 'leader', 'planner', 'handler-d-light']) {
      const token = await h.login(username);
      const res = await h.call(token, { method: 'POST', url: '/api/commands/signal-plans', payload: { plans: [{ signalId: 'S006', ...PLAN }] } });
      expect(res.status, username).toBe(403);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(ctl.received).toEqual([]);
    expect(await h.app.storage.listCommands({ terminalId: 'P00006-signal-controller', limit: 100 })).toHaveLength(before);
  });
});

describe('commands a stopped instance left in flight', () => {
  it('are settled as timed-out when the server starts again on the same database', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'citytwin-orphans-'));
    // Long ack timeout: the command is still `sent` when this instance stops.
    const first = await startCaseApp({ dataDir, commands: { ackTimeoutMs: 60_000, flushMs: 20 } });
    let id = '';
    try {
      const token = await first.login('dispatcher');
      const res = await first.call(token, { method: 'POST', url: '/api/terminals/P00001-lamp/commands', payload: { command: 'switch', on: false } });
      id = res.body.id as string;
      expect(await first.app.commandOrphans).toBe(0);
    } finally {
      await first.close();
    }
    const second = await startCaseApp({ dataDir, commands: { flushMs: 20 } });
    try {
      expect(await second.app.commandOrphans).toBe(1);
      const token = await second.login('dispatcher');
      const r = (await second.call(token, { method: 'GET', url: `/api/commands/${id}` })).body as CommandRecord;
      expect(r.status).toBe('timed-out');
      expect(r.history.map((s) => s.status)).toEqual(['sent', 'timed-out']);
      expect(r.message).toMatch(/the instance that sent it stopped before the device answered/);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
