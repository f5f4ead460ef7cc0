/**
 * The live path end to end, all real parts: an MQTT client (mqtt.js, and Debian's mosquitto_pub
 * when installed) publishes to the embedded broker, the ingest applies it, and a WebSocket client
 * receives the snapshot and the deltas.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeltaMessage, LiveMessage, SnapshotMessage } from '../../domain/live';
import { TERMINAL_TYPES } from '../../domain/terminals';
import { terminalTopic } from '../../domain/topics';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { onPath, serviceAvailable } from '../support/services';
import { LiveClient, statusJson, telemetryJson, waitFor } from './helpers';

const run = promisify(execFile);

const hasMosquittoPub = serviceAvailable('mosquitto_pub', onPath('mosquitto_pub') !== undefined, 'apt-get install mosquitto-clients');

const isDelta = (m: LiveMessage): m is DeltaMessage => m.type === 'delta';
const isSnapshot = (m: LiveMessage): m is SnapshotMessage => m.type === 'snapshot';

let twin: TinyTwin;
let server: RunningServer;
let device: MqttClient;
let browser: LiveClient;

beforeAll(async () => {
  twin = await writeTinyTwin();
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, deltaIntervalMs: 50 });
  device = await mqtt.connectAsync(server.mqttUrl, { clientId: 'test-device', ...server.app.broker.serviceCredential, reconnectPeriod: 0 });
  browser = await LiveClient.connect(server.httpUrl);
});

afterAll(async () => {
  await browser?.close();
  await device?.endAsync();
  await server?.close();
  await twin?.cleanup();
});

async function health() {
  const res = await fetch(`${server.httpUrl}/api/health`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    browsers: number;
    mqtt: { clientsConnected: number; messagesAccepted: number };
    devices: { connected: number; offline: number; fault: number; openAlarms: number };
  };
}

describe('MQTT → live state → WebSocket', () => {
  it('sends a snapshot of every pole and terminal on connect', async () => {
    const snapshot = await browser.next(isSnapshot);
    expect(snapshot.seq).toBe(1);
    expect(snapshot.poles).toHaveLength(6);
    expect(snapshot.terminals).toHaveLength(6 * TERMINAL_TYPES.length);
    expect(snapshot.poles.every(([, s]) => s === 'unknown')).toBe(true);
    expect(snapshot.alarms).toEqual([]);
    const h = await health();
    expect(h.browsers).toBe(1);
    // The ingest, the command service, the emergency service and this test's device.
    expect(h.mqtt.clientsConnected).toBe(4);
  });

  it('streams a lamp fault and over-limit water as pole status and raised alarms', async () => {
    const before = Date.now();
    await device.publishAsync(terminalTopic('P00001-lamp', 'status'), statusJson('fault', 'LAMP_OPEN_CIRCUIT'), { qos: 1, retain: true });
    await device.publishAsync(terminalTopic('P00001-water-level', 'telemetry'), telemetryJson({ depthCm: 25.5, batteryPct: 80 }), { qos: 1 });

    const faultDelta = await browser.next((m) => isDelta(m) && m.alarmsRaised.some((a) => a.id === 'P00001-lamp:lamp-fault'));
    const waterDelta = await browser.next((m) => isDelta(m) && m.alarmsRaised.some((a) => a.id === 'P00001-water-level:water-level'));
    const lampAlarm = (faultDelta as DeltaMessage).alarmsRaised.find((a) => a.kind === 'lamp-fault');
    expect(lampAlarm).toMatchObject({ terminalId: 'P00001-lamp', poleId: 'P00001', code: 'LAMP_OPEN_CIRCUIT', severity: 'warning' });
    const waterAlarm = (waterDelta as DeltaMessage).alarmsRaised.find((a) => a.kind === 'water-level');
    expect(waterAlarm).toMatchObject({ severity: 'critical', field: 'depthCm', value: 25.5, limit: 15 });

    const poleFault = (await browser.next((m) => isDelta(m) && m.poles.some(([id, s]) => id === 'P00001' && s === 'fault'))) as DeltaMessage;
    expect(poleFault.oldestIngestTime).toBeGreaterThanOrEqual(before);
    expect(poleFault.oldestIngestTime).toBeLessThanOrEqual(poleFault.serverTime);
    const water = (waterDelta as DeltaMessage).terminals.find((t) => t.id === 'P00001-water-level');
    expect(water).toMatchObject({ status: 'warning', values: { depthCm: 25.5, batteryPct: 80 } });
    expect(poleFault.counters).toMatchObject({ terminalsFault: 1 });
  });

  it('streams the cleared alarms and the pole back to normal on recovery', async () => {
    await device.publishAsync(terminalTopic('P00001-lamp', 'status'), statusJson('online'), { qos: 1, retain: true });
    await device.publishAsync(terminalTopic('P00001-water-level', 'telemetry'), telemetryJson({ depthCm: 2 }), { qos: 1 });
    await browser.next((m) => isDelta(m) && m.alarmsCleared.includes('P00001-lamp:lamp-fault'));
    await browser.next((m) => isDelta(m) && m.alarmsCleared.includes('P00001-water-level:water-level'));
    await browser.next((m) => isDelta(m) && m.poles.some(([id, s]) => id === 'P00001' && s === 'normal'));
    const h = await health();
    expect(h.devices).toMatchObject({ connected: 2, fault: 0, openAlarms: 0 });
    expect(h.mqtt.messagesAccepted).toBe(4);
  });

  it('numbers messages 1, 2, 3 … per connection, and a late browser gets the current state', async () => {
    const seqs = browser.messages.map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const late = await LiveClient.connect(server.httpUrl);
    try {
      const snapshot = await late.next(isSnapshot);
      expect(snapshot.seq).toBe(1);
      expect(snapshot.poles).toContainEqual(['P00001', 'normal']);
      expect(snapshot.terminals).toContainEqual(['P00001-lamp', 'normal']);
      expect(snapshot.counters.messagesAccepted).toBe(4);
    } finally {
      await late.close();
    }
  });

  it('the offline watchdog marks silent terminals offline and streams it', async () => {
    await device.publishAsync(terminalTopic('P00002-lamp', 'telemetry'), telemetryJson({ on: true, powerW: 140 }), { qos: 1 });
    await waitFor(() => server.app.live.terminalStatus('P00002-lamp') === 'normal', 5000, 'the lamp report');
    // The sweep runs every second on the real clock; here it is asked about ten minutes from now,
    // when 3 × 30 s of silence has long passed for every terminal heard so far.
    const marked = server.app.live.sweep(Date.now() + 10 * 60_000);
    expect(marked).toEqual(expect.arrayContaining(['P00001-lamp', 'P00001-water-level', 'P00002-lamp']));
    const delta = await browser.next((m) => isDelta(m) && m.poles.some(([id, s]) => id === 'P00002' && s === 'offline'));
    expect((delta as DeltaMessage).alarmsRaised).toContainEqual(expect.objectContaining({ id: 'P00002-lamp:device-offline' }));
    expect((await health()).devices).toMatchObject({ connected: 0, offline: 3 });

    // Speaking again brings it back.
    await device.publishAsync(terminalTopic('P00002-lamp', 'telemetry'), telemetryJson({ on: true }), { qos: 1 });
    await browser.next((m) => isDelta(m) && m.alarmsCleared.includes('P00002-lamp:device-offline'));
  });

  it.skipIf(!hasMosquittoPub)(
    `accepts a standard external client (mosquitto_pub)${hasMosquittoPub ? '' : ' — SKIPPED: mosquitto_pub not on PATH'}`,
    async () => {
      const port = new URL(server.mqttUrl).port;
      // Each device logs in as itself, with the password derived for it.
      const login = (id: string) => ['-i', id, '-u', id, '-P', server.app.broker.credentials.device(id).password];
      await run('mosquitto_pub', [
        '-h', '127.0.0.1', '-p', port, '-q', '1', ...login('P00003-lamp'),
        '-t', terminalTopic('P00003-lamp', 'status'),
        '-m', statusJson('fault', 'DRIVER_FAULT'),
      ]);
      await run('mosquitto_pub', [
        '-h', '127.0.0.1', '-p', port, ...login('P00003-environment'),
        '-t', terminalTopic('P00003-environment', 'telemetry'),
        '-m', telemetryJson({ pm25: 88, temperatureC: 27.5 }),
      ]);
      const delta = await browser.next((m) => isDelta(m) && m.poles.some(([id, s]) => id === 'P00003' && s === 'fault'));
      expect(delta.type).toBe('delta');
      await browser.next((m) => isDelta(m) && m.alarmsRaised.some((a) => a.id === 'P00003-environment:air-quality'));
    },
  );
});
