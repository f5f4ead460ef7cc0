/**
 * Readings stamped far in the future are refused: a year-2099 timestamp used to be accepted and
 * then pin the terminal's `ts`, so every real reading after it looked older. More than the
 * configured skew (default 5 min) ahead of the server clock is refused as `future-timestamp`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CLOCK_SKEW_MS, futureTimestampError } from '../../domain/payloads';
import { terminalTopic } from '../../domain/topics';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { waitFor } from '../server/helpers';

describe('futureTimestampError', () => {
  it('accepts up to the skew and names how far ahead a later stamp is', () => {
    const now = 1_800_000_000_000;
    expect(DEFAULT_MAX_CLOCK_SKEW_MS).toBe(300_000);
    expect(futureTimestampError(now + 300_000, now)).toBeUndefined();
    expect(futureTimestampError(now - 86_400_000, now)).toBeUndefined();
    expect(futureTimestampError(now + 300_001, now)).toMatch(/^\/ts is 300 s ahead/);
    expect(futureTimestampError(now + 10_000, now, 5_000)).toMatch(/at most 5 s/);
  });
});

describe('the ingest', () => {
  let twin: TinyTwin;
  let server: RunningServer;
  let device: MqttClient;

  beforeAll(async () => {
    twin = await writeTinyTwin({ poles: 2 });
    server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false });
    device = await mqtt.connectAsync(server.mqttUrl, { clientId: 'skew-test', ...server.app.broker.serviceCredential, reconnectPeriod: 0 });
  });

  afterAll(async () => {
    await device?.endAsync();
    await server?.close();
    await twin?.cleanup();
  });

  it('refuses a year-2099 reading, counts it by reason, and keeps the terminal on real time', async () => {
    const topic = terminalTopic('P00001-lamp', 'telemetry');
    const y2099 = Date.UTC(2099, 0, 1);
    await device.publishAsync(topic, JSON.stringify({ v: 1, ts: y2099, values: { on: true, powerW: 999 } }), { qos: 1 });
    await device.publishAsync(topic, JSON.stringify({ v: 1, ts: Date.now() + 10 * 60_000, values: { on: true, powerW: 998 } }), { qos: 1 });
    const real = Date.now();
    await device.publishAsync(topic, JSON.stringify({ v: 1, ts: real, values: { on: true, powerW: 120 } }), { qos: 1 });
    await waitFor(() => server.app.live.counters().messagesAccepted === 1, 5000, 'the real reading');
    const health = (await (await fetch(`${server.httpUrl}/api/health`)).json()) as { mqtt: { rejectReasons: Record<string, number> } };
    expect(health.mqtt.rejectReasons['future-timestamp']).toBe(2);
    const state = server.app.live.terminal('P00001-lamp')!;
    expect(state.ts).toBe(real);
    expect(state.values.powerW).toBe(120);
  });
});
