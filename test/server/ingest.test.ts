/**
 * Bad device messages, published over real MQTT: each is refused and counted by reason in
 * /api/health, logged at warn (rate-limited), and the server keeps serving.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../domain/payloads';
import { TOPIC_PREFIX, terminalTopic } from '../../domain/topics';
import { LogLimiter } from '../../server/devices/ingest/LogLimiter';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { telemetryJson, waitFor } from './helpers';

interface LogLine {
  level: number;
  msg: string;
  topic?: string;
  reason?: string;
}

let twin: TinyTwin;
let server: RunningServer;
let device: MqttClient;
const logLines: LogLine[] = [];

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 2 });
  server = await startServer({
    twinDir: twin.dir,
    port: 0,
    mqttPort: 0,
    host: '127.0.0.1',
    simulator: false,
    // Capture the server's log (pino writes one JSON line per entry) to check the warnings.
    logger: { level: 'warn', stream: { write: (line: string) => logLines.push(JSON.parse(line) as LogLine) } },
  });
  // The service account may publish under any terminal id, which a test of bad topics needs.
  device = await mqtt.connectAsync(server.mqttUrl, { clientId: 'test-bad-device', ...server.app.broker.serviceCredential, reconnectPeriod: 0 });
});

afterAll(async () => {
  await device?.endAsync();
  await server?.close();
  await twin?.cleanup();
});

async function getHealth() {
  const res = await fetch(`${server.httpUrl}/api/health`);
  return (await res.json()) as { status: string; mqtt: { messagesAccepted: number; messagesRejected: number; rejectReasons: Record<string, number> } };
}

describe('refused device messages', () => {
  it('are counted by reason, logged, and do not stop the server', async () => {
    const lamp = terminalTopic('P00001-lamp', 'telemetry');
    const water = terminalTopic('P00001-water-level', 'telemetry');
    const bad: Array<[string, string | Buffer]> = [
      [lamp, 'this is not json'],
      [lamp, Buffer.from([0xff, 0xfe, 0x7b, 0x7d])],
      [lamp, JSON.stringify({ v: 2, ts: Date.now(), values: { on: true } })],
      [lamp, JSON.stringify({ v: 1, ts: Date.now(), values: { on: true, colour: 'red' } })],
      [water, JSON.stringify({ v: 1, ts: Date.now(), values: { depthCm: 5000 } })],
      [water, JSON.stringify({ v: 1, ts: 12345, values: { depthCm: 5 } })],
      [terminalTopic('P99999-lamp', 'telemetry'), telemetryJson({ on: true })],
      [lamp, JSON.stringify({ v: 1, ts: Date.now(), values: { on: true }, pad: 'x'.repeat(MAX_PAYLOAD_BYTES) })],
      [`${TOPIC_PREFIX}/bad$id/telemetry`, telemetryJson({ on: true })],
      [terminalTopic('P00001-lamp', 'status'), JSON.stringify({ v: 1, ts: Date.now(), status: 'exploded' })],
      [lamp, JSON.stringify([1, 2, 3])],
    ];
    for (const [topic, payload] of bad) await device.publishAsync(topic, payload, { qos: 1 });
    // A good message after the bad ones: once it is in, every bad one before it has been handled.
    await device.publishAsync(lamp, telemetryJson({ on: true, powerW: 130 }), { qos: 1 });
    await waitFor(() => server.app.live.counters().messagesAccepted === 1, 5000, 'the good message');

    const health = await getHealth();
    expect(health.status).toBe('ok');
    expect(health.mqtt.messagesAccepted).toBe(1);
    expect(health.mqtt.messagesRejected).toBe(bad.length);
    expect(health.mqtt.rejectReasons).toEqual({
      'not-json': 2,
      'bad-version': 1,
      'unknown-field': 1,
      'out-of-range': 1,
      'bad-timestamp': 1,
      'unknown-terminal': 1,
      oversize: 1,
      'bad-topic': 1,
      invalid: 2,
    });
    expect(server.app.live.terminal('P00001-lamp')?.values).toEqual({ on: true, powerW: 130 });

    const warnings = logLines.filter((l) => l.msg.startsWith('refused device message'));
    expect(warnings).toHaveLength(bad.length);
    expect(warnings[0]).toMatchObject({ level: 40, topic: lamp, reason: 'not-json' });
    expect(warnings.find((w) => w.reason === 'out-of-range')?.msg).toContain('/values/depthCm must be <= 1000');

    // Still serving HTTP and MQTT.
    expect((await fetch(`${server.httpUrl}/api/poles/P00001`)).status).toBe(200);
  });

  it('rate-limits the warnings of a flood while still counting every message', async () => {
    const before = server.app.live.counters().messagesRejected;
    const warnedBefore = logLines.filter((l) => l.msg.startsWith('refused device message')).length;
    const topic = terminalTopic('P00002-lamp', 'telemetry');
    await Promise.all(Array.from({ length: 200 }, () => device.publishAsync(topic, 'garbage', { qos: 1 })));
    await waitFor(() => server.app.live.counters().messagesRejected === before + 200, 5000, '200 refusals');
    const warned = logLines.filter((l) => l.msg.startsWith('refused device message')).length - warnedBefore;
    // 20 lines per 10 s window; a burst this short spans at most two windows.
    expect(warned).toBeGreaterThan(0);
    expect(warned).toBeLessThanOrEqual(40);
  });
});

describe('LogLimiter', () => {
  it('allows a window’s quota, then reports how many it dropped when the next window starts', () => {
    const limiter = new LogLimiter(2, 1000);
    const dropped: number[] = [];
    const onDrop = (n: number) => dropped.push(n);
    expect([limiter.allow(0, onDrop), limiter.allow(1, onDrop), limiter.allow(2, onDrop), limiter.allow(3, onDrop)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(limiter.allow(1000, onDrop)).toBe(true);
    expect(dropped).toEqual([2]);
  });
});
