/**
 * Device commands end to end on the real embedded broker: a real MQTT client plays the lamp
 * (subscribes to its command topic, acks, reports its new state), the API issues commands, and
 * the record goes sent → acked → succeeded; an unanswered command is retried and times out; a
 * device cannot ack for another; forbidden roles change nothing; groups need confirm; limits.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMessage, CommandRecord } from '../../domain/commands';
import { ackTopic, commandTopic, terminalTopic } from '../../domain/topics';
import { sunTimes } from '../../server/commands/schedule/sunTimes';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { telemetryJson, waitFor } from '../server/helpers';

let h: CaseApp;
const devices: MqttClient[] = [];
const ACK_TIMEOUT_MS = 300;
/** The schedule clock: 18:00 China time on the summer solstice, before the tiny twin's sunset. */
let clock = Date.parse('2026-06-21T18:00:00+08:00');

beforeAll(async () => {
  h = await startCaseApp({ commands: { ackTimeoutMs: ACK_TIMEOUT_MS, retries: 2, flushMs: 20, perDevice: { max: 8, windowMs: 60_000 }, perUser: { max: 40, windowMs: 60_000 }, now: () => clock } }, { poles: 60 });
});

afterAll(async () => {
  await Promise.all(devices.map((d) => d.endAsync(true).catch(() => undefined)));
  await h?.close();
});

/** A device as the field would have it: its own login, subscribed to its own commands. */
async function device(id: string): Promise<{ client: MqttClient; received: CommandMessage[] }> {
  const client = await mqtt.connectAsync(h.app.broker.url, { clientId: `${id}:test`, reconnectPeriod: 0, ...h.app.broker.credentials.device(id) }, false);
  devices.push(client);
  const received: CommandMessage[] = [];
  client.on('message', (topic, payload) => {
    if (topic === commandTopic(id)) received.push(JSON.parse(payload.toString()) as CommandMessage);
  });
  await client.subscribeAsync(commandTopic(id), { qos: 1 });
  return { client, received };
}

const ack = (id: string, result: 'ok' | 'error', message?: string) => JSON.stringify({ v: 1, id, ts: Date.now(), result, ...(message ? { message } : {}) });

async function record(token: string, id: string): Promise<CommandRecord> {
  const res = await h.call(token, { method: 'GET', url: `/api/commands/${id}` });
  expect(res.status).toBe(200);
  return res.body as CommandRecord;
}

describe('one lamp', () => {
  it('receives the command with its id, acks, reports off: sent → acked → succeeded', async () => {
    const token = await h.login('dispatcher');
    const lamp = await device('P00001-lamp');
    // The lamp obeys: ack, then its state shows the effect.
    lamp.client.on('message', (_t, payload) => {
      const cmd = JSON.parse(payload.toString()) as CommandMessage;
      lamp.client.publish(ackTopic('P00001-lamp'), ack(cmd.id, 'ok'), { qos: 1 }, () => {
        lamp.client.publish(terminalTopic('P00001-lamp', 'telemetry'), telemetryJson({ on: false, dimmingPct: 0, powerW: 0 }), { qos: 1 });
      });
    });
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-lamp/commands', payload: { command: 'switch', on: false } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ terminalId: 'P00001-lamp', status: 'sent', command: { command: 'switch', on: false }, issuedBy: { username: 'dispatcher' } });
    const id = res.body.id as string;
    await waitFor(() => lamp.received.some((m) => m.id === id), 5000, 'the command at the device');
    expect(lamp.received.find((m) => m.id === id)).toMatchObject({ v: 1, id, command: 'switch', on: false });
    const done = await waitFor(async () => ((await record(token, id)).status === 'succeeded' ? record(token, id) : undefined), 5000, 'succeeded');
    expect(done.history.map((s) => s.status)).toEqual(['sent', 'acked', 'succeeded']);
    expect(h.app.live.terminal('P00001-lamp')?.values.on).toBe(false);
    // In the audit trail (the database), with who, what, when and the result.
    const listed = await h.call(token, { method: 'GET', url: '/api/commands?terminalId=P00001-lamp' });
    expect(listed.status).toBe(200);
    expect(listed.body.find((r: CommandRecord) => r.id === id)).toMatchObject({ status: 'succeeded', issuedBy: { username: 'dispatcher', role: 'dispatcher' } });
    expect(await h.app.storage.getCommand(id)).toMatchObject({ status: 'succeeded', terminalId: 'P00001-lamp' });
  });

  it('marks a command failed when the device answers error, with its message', async () => {
    const token = await h.login('dispatcher');
    const lamp = await device('P00002-lamp');
    lamp.client.on('message', (_t, payload) => {
      const cmd = JSON.parse(payload.toString()) as CommandMessage;
      lamp.client.publish(ackTopic('P00002-lamp'), ack(cmd.id, 'error', 'driver fault'), { qos: 1 });
    });
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00002-lamp/commands', payload: { command: 'dim', percent: 40 } });
    expect(res.status).toBe(202);
    const failed = await waitFor(async () => {
      const r = await record(token, res.body.id);
      return r.status === 'failed' ? r : undefined;
    }, 5000, 'failed');
    expect(failed.message).toBe('driver fault');
  });

  it('publishes an unanswered command again twice, then times it out', async () => {
    const token = await h.login('dispatcher');
    const lamp = await device('P00003-lamp');
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00003-lamp/commands', payload: { command: 'switch', on: true } });
    const id = res.body.id as string;
    const timedOut = await waitFor(async () => {
      const r = await record(token, id);
      return r.status === 'timed-out' ? r : undefined;
    }, 5000, 'timed-out');
    expect(timedOut.attempts).toBe(3);
    expect(lamp.received.filter((m) => m.id === id)).toHaveLength(3);
  });

  it("ignores an ack for another device's command: the broker refuses it and the record stays sent", async () => {
    const token = await h.login('dispatcher');
    await device('P00004-lamp');
    const res = await h.call(token, { method: 'POST', url: '/api/terminals/P00004-lamp/commands', payload: { command: 'switch', on: true } });
    const id = res.body.id as string;
    const refusedBefore = h.app.broker.refusals().publishes;
    // P00005's lamp acks on P00004's topic: not its own, so the broker drops it.
    const intruder = await mqtt.connectAsync(h.app.broker.url, { clientId: 'P00005-lamp:intruder', reconnectPeriod: 0, ...h.app.broker.credentials.device('P00005-lamp') }, false);
    devices.push(intruder);
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish(ackTopic('P00004-lamp'), ack(id, 'ok'), { qos: 1 });
    await closed;
    expect(h.app.broker.refusals().publishes).toBe(refusedBefore + 1);
    // On its own acks topic the id is not a command sent to it: ignored.
    const second = await mqtt.connectAsync(h.app.broker.url, { clientId: 'P00005-lamp:own', reconnectPeriod: 0, ...h.app.broker.credentials.device('P00005-lamp') }, false);
    devices.push(second);
    const ignored = h.app.commands.ignoredAcks;
    await second.publishAsync(ackTopic('P00005-lamp'), ack(id, 'ok'), { qos: 1 });
    await waitFor(() => h.app.commands.ignoredAcks > ignored, 5000, 'the own-topic ack to be ignored');
    expect((await record(token, id)).history.map((s) => s.status)).not.toContain('acked');
  });

  it('refuses a command the terminal type does not take, naming the field (400)', async () => {
    const token = await h.login('dispatcher');
    const wrongKind = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-water-level/commands', payload: { command: 'switch', on: true } });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.message).toMatch(/switch.*water-level/);
    const missing = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-lamp/commands', payload: { command: 'dim' } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/percent is required/);
    const range = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-lamp/commands', payload: { command: 'dim', percent: 140 } });
    expect(range.status).toBe(400);
    expect(range.body.message).toMatch(/percent/);
    const stray = await h.call(token, { method: 'POST', url: '/api/terminals/P00001-camera/commands', payload: { command: 'preset', pan: 10, tilt: 0, zoom: 2, on: true } });
    expect(stray.status).toBe(400);
    expect(stray.body.message).toMatch(/on is not a parameter/);
  });
});

describe('OpenAPI', () => {
  it('describes the command routes with their schemas', async () => {
    const doc = (await h.call(undefined, { method: 'GET', url: '/api/openapi.json' })).body;
    for (const path of ['/api/terminals/{id}/commands', '/api/commands/', '/api/commands/{id}', '/api/lamp-schedules/']) expect(doc.paths).toHaveProperty([path]);
    const one = doc.paths['/api/terminals/{id}/commands'].post;
    expect(one.requestBody.content['application/json'].schema.properties.command.enum).toEqual(['switch', 'dim', 'preset', 'timing-plan']);
    expect(Object.keys(one.responses)).toEqual(expect.arrayContaining(['202', '400', '403', '429']));
  });
});

describe('who may', () => {
  it('refuses inspectors, leaders and handlers of other departments (403), and nothing is stored or sent', async () => {
    const lamp = await device('P00006-lamp');
    const before = (await h.app.storage.listCommands({ terminalId: 'P00006-lamp', limit: 100 })).length;
    for (const username of ['inspector', 'leader', 'planner', 'handler-d-water']) {
      const token = await h.login(username);
      const one = await h.call(token, { method: 'POST', url: '/api/terminals/P00006-lamp/commands', payload: { command: 'switch', on: false } });
      expect(one.status, username).toBe(403);
      const group = await h.call(token, { method: 'POST', url: '/api/commands', payload: { target: { roadId: 'R001', type: 'lamp' }, command: { command: 'switch', on: false } } });
      expect(group.status, username).toBe(403);
    }
    expect(await h.call(undefined, { method: 'POST', url: '/api/terminals/P00006-lamp/commands', payload: { command: 'switch', on: false } })).toMatchObject({ status: 401 });
    await new Promise((r) => setTimeout(r, 200));
    expect(lamp.received).toEqual([]);
    expect(await h.app.storage.listCommands({ terminalId: 'P00006-lamp', limit: 100 })).toHaveLength(before);
  });

  it("lets the street-lighting handler command lamps, not the water bureau's sensors", async () => {
    const token = await h.login('handler-d-light');
    const lamp = await h.call(token, { method: 'POST', url: '/api/terminals/P00006-lamp/commands', payload: { command: 'dim', percent: 30 } });
    expect(lamp.status).toBe(202);
    const camera = await h.call(token, { method: 'POST', url: '/api/terminals/P00006-camera/commands', payload: { command: 'preset', pan: 0, tilt: 0, zoom: 1 } });
    expect(camera.status).toBe(403);
  });
});

describe('group commands', () => {
  it('refuses a road of 60 lamps without confirm, naming confirm, and sends nothing; with confirm each lamp gets one', async () => {
    const token = await h.login('admin');
    const lamp = await device('P00060-lamp');
    const before = (await h.app.storage.listCommands({ limit: 1000 })).length;
    const target = { roadId: 'R001', type: 'lamp' };
    const refused = await h.call(token, { method: 'POST', url: '/api/commands', payload: { target, command: { command: 'dim', percent: 60 } } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^body\/confirm: .*60 terminals, more than 50/);
    expect((await h.app.storage.listCommands({ limit: 1000 })).length).toBe(before);
    expect(lamp.received).toEqual([]);

    const road = await h.call(token, { method: 'POST', url: '/api/commands', payload: { target, command: { command: 'dim', percent: 60 }, confirm: true } });
    expect(road.status).toBe(202);
    expect(road.body.count).toBe(60);
    expect(new Set(road.body.commands.map((c: CommandRecord) => c.terminalId)).size).toBe(60);
    expect(road.body.commands.every((c: CommandRecord) => c.groupId === road.body.groupId && c.terminalType === 'lamp')).toBe(true);
    await waitFor(() => lamp.received.some((m) => m.command === 'dim' && m.percent === 60), 5000, 'the group command at a lamp');
    expect((await h.app.storage.listCommands({ limit: 1000 })).length).toBe(before + 60);
  });

  it('names the terminal a group command does not apply to, and unknown ids', async () => {
    const token = await h.login('admin');
    const mixed = await h.call(token, { method: 'POST', url: '/api/commands', payload: { target: { poleIds: ['P00007'] }, command: { command: 'switch', on: true } } });
    expect(mixed.status).toBe(400);
    expect(mixed.body.message).toMatch(/does not apply to a camera terminal \(P00007-camera\)/);
    const unknown = await h.call(token, { method: 'POST', url: '/api/commands', payload: { target: { terminalIds: ['P00007-lamp', 'NOPE'] }, command: { command: 'switch', on: true } } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/terminalIds\[1\].*NOPE/);
  });
});

describe('rate limits', () => {
  it('refuses commands to one lamp past 8 in the window with a 429 naming the limit', async () => {
    const token = await h.login('dispatcher');
    const statuses: number[] = [];
    let last: { status: number; body: any } | undefined;
    for (let i = 0; i < 9; i++) {
      last = await h.call(token, { method: 'POST', url: '/api/terminals/P00020-lamp/commands', payload: { command: 'dim', percent: 10 + i } });
      statuses.push(last.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(last!.body.message).toMatch(/terminal P00020-lamp has had 8 commands in the last 60 s/);
    // Accepted ones and the group command before them: exactly the limit on record.
    expect(await h.app.storage.listCommands({ terminalId: 'P00020-lamp', limit: 100 })).toHaveLength(8);
  });
});

describe('lamp schedules', () => {
  it('fire at the computed sunset (plus the offset) for the lamps of the road, not before', async () => {
    const token = await h.login('handler-d-light');
    const created = await h.call(token, {
      method: 'POST',
      url: '/api/lamp-schedules',
      payload: { name: 'R001 nights', target: { roadId: 'R001' }, onOffsetMin: 5, offOffsetMin: 0, dimming: [{ at: '23:30', percent: 40 }], enabled: true },
    });
    expect(created.status).toBe(201);
    const { lat, lon } = h.app.twin.manifest.center;
    const onAt = sunTimes(Date.parse('2026-06-21T00:00:00Z'), lat, lon).sunsetMs! + 5 * 60_000;
    expect(created.body.next[0]).toEqual({ at: onAt, label: 'on' });
    expect(created.body.next.map((e: { label: string }) => e.label).slice(0, 3)).toEqual(['on', '23:30', 'off']);

    clock = onAt - 1000;
    expect(await h.app.lampSchedules.tick()).toEqual([]);
    clock = onAt + 1000;
    const fired = await h.app.lampSchedules.tick();
    expect(fired).toHaveLength(60);
    expect(fired.every((r) => r.terminalType === 'lamp' && r.command.command === 'switch' && r.command.on === true && r.issuedBy.role === 'scheduler')).toBe(true);
    // Once only.
    clock = onAt + 60_000;
    expect(await h.app.lampSchedules.tick()).toEqual([]);
  });

  it('refuses schedule changes from roles that may not command lamps', async () => {
    const token = await h.login('handler-d-water');
    const res = await h.call(token, { method: 'POST', url: '/api/lamp-schedules', payload: { name: 'x', target: { roadId: 'R001' }, onOffsetMin: 0, offOffsetMin: 0, dimming: [], enabled: true } });
    expect(res.status).toBe(403);
    expect(h.app.lampSchedules.list().map((s) => s.name)).toEqual(['R001 nights']);
  });
});
