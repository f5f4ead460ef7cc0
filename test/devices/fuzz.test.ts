/**
 * Fuzzing the ingest over a real MQTT connection: thousands of random and malformed payloads on
 * random topics. The server must never crash, must count every message that reaches the ingest
 * exactly once (accepted, or refused with a reason), and must keep serving afterwards.
 */
import { connect } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../domain/payloads';
import { TERMINAL_TYPES } from '../../domain/terminals';
import { TOPIC_KINDS, TOPIC_PREFIX, terminalTopic } from '../../domain/topics';
import { VIDEO_EVENT_CATEGORIES } from '../../domain/videoEvents';
import { PacketSizeGuard } from '../../server/devices/broker/PacketSizeGuard';
import { REJECT_REASONS } from '../../server/devices/ingest/rejectReason';
import { startServer, type RunningServer } from '../../server/index';
import { mulberry32 } from '../../kernel/random';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { waitFor } from '../server/helpers';

const MESSAGES = 4000;

let twin: TinyTwin;
let server: RunningServer;
let fuzzer: MqttClient;

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 3 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, logger: false });
  // The service account may publish anywhere, so malformed topics reach the ingest.
  fuzzer = await mqtt.connectAsync(server.mqttUrl, { clientId: 'fuzzer', ...server.app.broker.serviceCredential, reconnectPeriod: 0 }, false);
});

afterAll(async () => {
  await fuzzer?.endAsync(true);
  await server?.close();
  await twin?.cleanup();
});

const random = mulberry32(20261122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (n: number) => Math.floor(random() * n);

function randomValue(depth = 0): unknown {
  switch (int(depth > 3 ? 7 : 9)) {
    case 0: return random() * 10 ** int(20) * (random() < 0.5 ? -1 : 1);
    case 1: return random() < 0.5;
    case 2: return null;
    case 3: return 'x'.repeat(int(300));
    case 4: return pick([NaN, Infinity, -0, 1e308, 5e-324, 2 ** 53 + 1]);
    case 5: return pick(['', '\u0000', '💡', '"', '\\', '</script>']);
    case 6: return int(100);
    case 7: return Array.from({ length: int(5) }, () => randomValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['v', 'ts', 'values', 'status', 'event', 'category', 'on', 'depthCm', '__proto__', 'constructor', 'x']), randomValue(depth + 1)]));
  }
}

/** A payload that is plausible, then damaged one way or another. */
function mutated(): unknown {
  const base: Record<string, unknown> = pick([
    { v: 1, ts: Date.now(), values: { on: true, powerW: 120 } },
    { v: 1, ts: Date.now(), status: pick(['online', 'fault', 'offline']), code: 'X' },
    { v: 1, ts: Date.now(), event: 'video-ai', eventId: 'VA-1', category: pick(VIDEO_EVENT_CATEGORIES), confidence: 0.9 },
    { v: 1, ts: Date.now(), event: pick(['cover-opened', 'cover-tilted', 'lamp-fault', 'lamp-restored']), tiltDeg: 12, code: 'POWER_LOSS' },
    { v: 1, ts: Date.now(), values: { depthCm: 3, pm25: 40, tiltDeg: 2, vehiclesPerMin: 20 } },
  ]);
  const keys = Object.keys(base);
  for (let n = int(3); n > 0; n--) {
    if (random() < 0.5) base[pick(keys)] = randomValue();
    else base[pick(['extra', 'v', 'ts', 'values', 'event'])] = randomValue();
  }
  return base;
}

function payload(): Buffer {
  switch (int(8)) {
    case 0: return Buffer.from(Array.from({ length: int(200) }, () => int(256)));
    case 1: return Buffer.from(JSON.stringify(mutated()).slice(0, int(60)));
    case 2: return Buffer.alloc(MAX_PAYLOAD_BYTES + 1 + int(20_000), 0x20);
    case 3: return Buffer.from('['.repeat(1000 + int(1000)) + ']'.repeat(int(2000)));
    case 4: return Buffer.from(JSON.stringify(randomValue()) ?? 'undefined');
    case 5: return Buffer.alloc(0);
    default: return Buffer.from(JSON.stringify(mutated()));
  }
}

/** Topics under the prefix (some outside the scheme), without MQTT wildcards, which a broker refuses outright. */
function topic(): string {
  const id = pick([
    ...twin.terminals.map((t) => t.id),
    'P99999-lamp',
    'bad$id',
    '',
    'x'.repeat(80),
    '路灯-1',
    `P00001-${pick(TERMINAL_TYPES)}`,
  ]);
  const kind = pick([...TOPIC_KINDS, ...TOPIC_KINDS, 'commands', 'TELEMETRY', '']);
  return pick([`${TOPIC_PREFIX}/${id}/${kind}`, `${TOPIC_PREFIX}/${id}/${kind}/extra`, `${TOPIC_PREFIX}/${id}`, `citytwin/v2/terminals/${id}/${kind}`]);
}

/** Whether the ingest's subscriptions (`…/+/telemetry|status|events`) deliver the topic. */
function reachesIngest(t: string): boolean {
  const levels = t.split('/');
  return levels.length === 5 && `${levels.slice(0, 3).join('/')}` === TOPIC_PREFIX && (TOPIC_KINDS as readonly string[]).includes(levels[4]!);
}

describe('fuzzed device messages', () => {
  it(`${MESSAGES} random messages: no crash, each counted once, by a known reason`, async () => {
    let expected = 0;
    for (let sent = 0; sent < MESSAGES; sent += 200) {
      const batch = Array.from({ length: 200 }, () => [topic(), payload()] as const);
      for (const [t] of batch) if (reachesIngest(t)) expected += 1;
      await Promise.all(batch.map(([t, p]) => fuzzer.publishAsync(t, p, { qos: 1 })));
    }
    const counted = () => {
      const c = server.app.live.counters();
      return c.messagesAccepted + c.messagesRejected;
    };
    await waitFor(() => counted() === expected, 20_000, `${expected} messages counted`);
    // A good message afterwards is counted too: nothing is stuck or double-counted.
    await fuzzer.publishAsync(terminalTopic('P00001-lamp', 'telemetry'), JSON.stringify({ v: 1, ts: Date.now(), values: { on: true } }), { qos: 1 });
    await waitFor(() => counted() === expected + 1, 5000, 'the last good message');

    const reasons = server.app.live.rejectReasons();
    const total = Object.values(reasons).reduce((a, b) => a + b, 0);
    expect(total).toBe(server.app.live.counters().messagesRejected);
    for (const reason of Object.keys(reasons)) expect(REJECT_REASONS).toContain(reason);
    for (const reason of ['not-json', 'oversize', 'bad-topic', 'unknown-terminal', 'bad-event', 'invalid']) {
      expect(reasons[reason], reason).toBeGreaterThan(0);
    }
    expect(server.app.live.counters().messagesRejected).toBeGreaterThan(expected / 2);

    // Still serving, and the broker still takes connections.
    const health = (await (await fetch(`${server.httpUrl}/api/health`)).json()) as { status: string; mqtt: { ingestConnected: boolean } };
    expect(health).toMatchObject({ status: 'ok', mqtt: { ingestConnected: true } });
    expect(fuzzer.connected).toBe(true);
  });

  it('garbage bytes on raw TCP connections to the broker are dropped, and devices still log in', async () => {
    const { port } = new URL(server.mqttUrl);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new Promise<void>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1');
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          socket.on('connect', () => {
            // Half start like a CONNECT packet with an absurd remaining length, half are pure noise.
            const noise = Buffer.from(Array.from({ length: 64 + int(512) }, () => int(256)));
            socket.end(i % 2 === 0 ? Buffer.concat([Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]), noise]) : noise);
          });
        }),
      ),
    );
    const lamp = await mqtt.connectAsync(server.mqttUrl, { clientId: 'P00002-lamp', ...server.app.broker.credentials.device('P00002-lamp'), reconnectPeriod: 0 }, false);
    const before = server.app.live.counters().messagesAccepted;
    await lamp.publishAsync(terminalTopic('P00002-lamp', 'telemetry'), JSON.stringify({ v: 1, ts: Date.now(), values: { on: false } }), { qos: 1 });
    await waitFor(() => server.app.live.counters().messagesAccepted === before + 1, 5000, 'a reading after the garbage');
    await lamp.endAsync();
  });

  it('a packet announcing more than 64 KiB closes the connection before the broker buffers it', async () => {
    // The garbage of the previous case counted some already.
    const before = server.app.broker.refusals().oversizePackets;
    const lamp = await mqtt.connectAsync(server.mqttUrl, { clientId: 'P00003-lamp', ...server.app.broker.credentials.device('P00003-lamp'), reconnectPeriod: 0 }, false);
    const closed = new Promise<void>((resolve) => lamp.once('close', () => resolve()));
    lamp.publish(terminalTopic('P00003-lamp', 'telemetry'), Buffer.alloc(8 * 1024 * 1024, 0x20), { qos: 0 });
    await closed;
    expect(server.app.broker.refusals().oversizePackets).toBe(before + 1);
    lamp.end(true);
  });
});

describe('PacketSizeGuard', () => {
  it('follows fixed headers across chunk boundaries and stops at the first oversized packet', () => {
    const guard = new PacketSizeGuard(1000);
    // PINGREQ (no body), then a PUBLISH of 300 bytes whose length varint (0xac 0x02) is split.
    expect(guard.feed(Uint8Array.from([0xc0, 0x00, 0x30, 0xac]))).toBe(true);
    expect(guard.feed(Uint8Array.from([0x02, ...new Array<number>(300).fill(7)]))).toBe(true);
    // A body byte that looks like a header is skipped as body: 0x30 0xff 0xff 0x7f inside it.
    expect(guard.feed(Uint8Array.from([0x30, 0x04, 0x30, 0xff, 0xff, 0x7f]))).toBe(true);
    // Then 2,000 bytes announced: refused.
    expect(guard.feed(Uint8Array.from([0x30, 0xd0, 0x0f]))).toBe(false);
  });

  it('refuses a length of five varint bytes', () => {
    expect(new PacketSizeGuard(2 ** 30).feed(Uint8Array.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toBe(false);
  });
});
