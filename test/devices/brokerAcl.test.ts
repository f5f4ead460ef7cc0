/**
 * Device authentication and ACLs on the embedded broker, over real MQTT connections: who may log
 * in, what each may publish and subscribe to, the last will, retained status, and video-AI events
 * arriving as alarms for the case workflow.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PREFIX, clusterTopic } from '../../domain/clusterTopics';
import { VIDEO_AI_USERNAME } from '../../domain/devices';
import type { Alarm } from '../../domain/live';
import { commandTopic, terminalTopic } from '../../domain/topics';
import { offlineWill } from '../../server/devices/simulator/DeviceConnections';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { statusJson, telemetryJson, waitFor } from '../server/helpers';

let twin: TinyTwin;
let server: RunningServer;
const clients: MqttClient[] = [];
const raised: Alarm[] = [];

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 3 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, deviceSecret: 'acl-test-secret-0123456789' });
  server.app.live.subscribeAlarms((a) => raised.push(a));
});

afterAll(async () => {
  // Forced: a client the broker dropped still holds its refused message, which no PUBACK will settle.
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await server?.close();
  await twin?.cleanup();
});

async function connect(options: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(server.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...options }, false);
  clients.push(client);
  return client;
}

const asDevice = (id: string, extra: IClientOptions = {}) => connect({ clientId: `${id}:test`, ...server.app.broker.credentials.device(id), ...extra });

describe('logins', () => {
  it('refuse anonymous clients', async () => {
    await expect(connect({ clientId: 'anon' })).rejects.toThrow(/Not authorized/i);
  });

  it('refuse a wrong password and a password for another device', async () => {
    await expect(connect({ clientId: 'w1', username: 'P00001-lamp', password: 'guess' })).rejects.toThrow(/Bad username or password/i);
    const other = server.app.broker.credentials.device('P00002-lamp').password;
    await expect(connect({ clientId: 'w2', username: 'P00001-lamp', password: other })).rejects.toThrow(/Bad username or password/i);
    expect(server.app.broker.refusals().logins).toBeGreaterThanOrEqual(3);
  });

  it('accept a device with its own credential', async () => {
    const lamp = await asDevice('P00001-lamp');
    expect(lamp.connected).toBe(true);
  });

  it("refuse a device taking over another device's client id, and let the device itself reconnect", async () => {
    const victim = await connect({ clientId: 'P00003-lamp', ...server.app.broker.credentials.device('P00003-lamp') });
    await expect(connect({ clientId: 'P00003-lamp', ...server.app.broker.credentials.device('P00002-lamp') })).rejects.toThrow(/Not authorized/i);
    expect(victim.connected).toBe(true);
    // The same device may replace its own connection (a reconnect after a half-open socket).
    const again = await connect({ clientId: 'P00003-lamp', ...server.app.broker.credentials.device('P00003-lamp') });
    expect(again.connected).toBe(true);
  });
});

describe('publish and subscribe rules', () => {
  it('drop a device that publishes under another id; nothing of it reaches the live state', async () => {
    const before = server.app.live.counters().messagesAccepted;
    const refusedBefore = server.app.broker.refusals().publishes;
    const intruder = await asDevice('P00002-cover-sensor');
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish(terminalTopic('P00002-water-level', 'telemetry'), telemetryJson({ depthCm: 80 }), { qos: 1 });
    await closed;
    expect(server.app.broker.refusals().publishes).toBe(refusedBefore + 1);
    // A message published right after by an honest device is accepted: by then the forged one would have been too.
    const honest = await asDevice('P00002-water-level');
    await honest.publishAsync(terminalTopic('P00002-water-level', 'telemetry'), telemetryJson({ depthCm: 3 }), { qos: 1 });
    await waitFor(() => server.app.live.counters().messagesAccepted === before + 1, 5000, 'the honest reading');
    expect(server.app.live.terminal('P00002-water-level')?.values).toEqual({ depthCm: 3 });
    expect(server.app.live.alarmsOfTerminal('P00002-water-level')).toEqual([]);
  });

  it('let a device subscribe to its own command topic and nothing else', async () => {
    const lamp = await asDevice('P00003-lamp');
    const filters = [commandTopic('P00003-lamp'), commandTopic('P00001-lamp'), 'citytwin/v1/terminals/+/telemetry', '#'];
    // mqtt.js rejects a SUBACK with any failure; the packet still says what was granted.
    const err = (await lamp.subscribeAsync(filters, { qos: 1 }).catch((e: unknown) => e)) as { packet?: { granted?: number[] } };
    expect(err.packet?.granted).toEqual([1, 0x80, 0x80, 0x80]);
    // The refusal is per filter: the device stays connected.
    expect(lamp.connected).toBe(true);
  });

  it('keep devices and the video-AI system off the topics the server instances talk on', async () => {
    // Cluster events carry cases (names, phone numbers) between instances: no device may read or forge them.
    const lamp = await asDevice('P00002-lamp');
    const filters = [clusterTopic('events', 'i1'), `${CLUSTER_PREFIX}/#`, '$share/citytwin-ingest/citytwin/v1/terminals/+/telemetry'];
    const err = (await lamp.subscribeAsync(filters, { qos: 1 }).catch((e: unknown) => e)) as { packet?: { granted?: number[] } };
    expect(err.packet?.granted).toEqual([0x80, 0x80, 0x80]);
    const videoAi = await connect({ clientId: 'video-ai-2', ...server.app.broker.credentials.account(VIDEO_AI_USERNAME) });
    const refused = (await videoAi.subscribeAsync('#', { qos: 1 }).catch((e: unknown) => e)) as { packet?: { granted?: number[] } };
    expect(refused.packet?.granted).toEqual([0x80]);

    const refusedBefore = server.app.broker.refusals().publishes;
    const closed = new Promise<void>((resolve) => lamp.once('close', () => resolve()));
    const forged = { topic: 'case', data: { case: { id: 'C-forged' } } };
    lamp.publish(clusterTopic('events', 'i1'), JSON.stringify(forged), { qos: 1 });
    await closed;
    expect(server.app.broker.refusals().publishes).toBe(refusedBefore + 1);
  });

  it('let the video-AI system report on cameras, raising a video-ai alarm with its category', async () => {
    const videoAi = await connect({ clientId: 'video-ai', ...server.app.broker.credentials.account(VIDEO_AI_USERNAME) });
    const detection = { v: 1, ts: Date.now(), event: 'video-ai', eventId: 'VA-77', category: 'street-vending', confidence: 0.93 };
    await videoAi.publishAsync(terminalTopic('P00001-camera', 'events'), JSON.stringify(detection), { qos: 1 });
    const alarm = await waitFor(() => raised.find((a) => a.kind === 'video-ai'), 5000, 'the video-ai alarm');
    expect(alarm).toMatchObject({
      id: 'P00001-camera:video-ai:street-vending',
      category: 'street-vending',
      eventCode: '0501',
      terminalId: 'P00001-camera',
      poleId: 'P00001',
      lon: twin.poles[0]!.lon,
      lat: twin.poles[0]!.lat,
    });
    // Not on a lamp: the video system has no business there.
    const closed = new Promise<void>((resolve) => videoAi.once('close', () => resolve()));
    videoAi.publish(terminalTopic('P00001-lamp', 'events'), JSON.stringify({ v: 1, ts: Date.now(), event: 'lamp-fault', code: 'POWER_LOSS' }), { qos: 1 });
    await closed;
    expect(server.app.live.terminalStatus('P00001-lamp')).not.toBe('fault');
  });
});

describe('last will and retained status', () => {
  it('mark a device offline as soon as its connection drops, long before the watchdog', async () => {
    const id = 'P00003-environment';
    const device = await asDevice(id, { will: offlineWill(id), keepalive: 60 });
    await device.publishAsync(terminalTopic(id, 'status'), statusJson('online'), { qos: 1, retain: true });
    await waitFor(() => server.app.live.terminalStatus(id) === 'normal', 5000, 'online');
    const lostAt = Date.now();
    // A power cut: the socket goes without an MQTT DISCONNECT.
    device.stream.destroy();
    await waitFor(() => server.app.live.terminalStatus(id) === 'offline', 5000, 'the will');
    // The watchdog would take 3 × 30 s for an environment monitor.
    expect(Date.now() - lostAt).toBeLessThan(5000);
    expect(raised.some((a) => a.id === `${id}:device-offline`)).toBe(true);
  });

  it('deliver the retained status to a subscriber that comes later', async () => {
    const id = 'P00002-traffic-camera';
    const device = await asDevice(id);
    await device.publishAsync(terminalTopic(id, 'status'), statusJson('fault', 'VIDEO_LOSS'), { qos: 1, retain: true });
    await device.endAsync();
    const observer = await connect({ clientId: 'late-observer', ...server.app.broker.serviceCredential });
    const got = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      observer.on('message', (_topic, payload, packet) => resolve({ payload: String(payload), retain: packet.retain })),
    );
    await observer.subscribeAsync(terminalTopic(id, 'status'), { qos: 1 });
    const message = await got;
    expect(message.retain).toBe(true);
    expect(JSON.parse(message.payload)).toMatchObject({ status: 'fault', code: 'VIDEO_LOSS' });
  });
});
