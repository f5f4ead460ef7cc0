/**
 * The device fleet of the live benchmark, run as a child process (see protocol.ts): one mqtt.js
 * connection per device, each logged in with its own credential, publishing QoS 1 telemetry on
 * its own topic; beside them a browser (WebSocket on /ws/live) and a bare subscriber on the same
 * broker, whose latencies are read from the payload's publish time.
 */
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { LIVE_WS_PATH, type LiveMessage } from '../../domain/live';
import { INGEST_SUBSCRIPTIONS, terminalTopic } from '../../domain/topics';
import { createRng, readTs, telemetryPayload } from '../ingest/telemetry';
import { distribution, sleep } from '../support/stats';
import type { FleetDevice, FromFleet, InitMessage, PhaseMessage, ToFleet } from './protocol';

const CONNECT_CONCURRENCY = 200;

function send(message: FromFleet): void {
  if (!process.send) throw new Error('fleet.ts must be started with child_process.fork');
  process.send(message);
}

interface Device extends FleetDevice {
  topic: string;
  client?: MqttClient;
}

let init: InitMessage;
let devices: Device[] = [];
let rng: () => number;
let browser: WebSocket;
let bare: MqttClient | undefined;
let snapshotTerminals = -1;
/** Samples since the current phase started; `phaseStart` filters out older readings. */
let phaseStart = Infinity;
let wsLatencies: number[] = [];
let bareLatencies: number[] = [];
let bareReceived = 0;
let acked = 0;

async function start(message: InitMessage): Promise<void> {
  init = message;
  rng = createRng(message.seed);
  devices = message.devices.map((d) => ({ ...d, topic: terminalTopic(d.id, 'telemetry') }));
  await moveBare(message.mqttUrl);

  browser = new WebSocket(message.httpUrl.replace(/^http/, 'ws') + LIVE_WS_PATH);
  browser.on('message', (data) => {
    const now = Date.now();
    const live = JSON.parse(String(data)) as LiveMessage;
    if (live.type === 'snapshot') snapshotTerminals = live.terminals.length;
    if (live.type !== 'delta') return;
    for (const t of live.terminals) if (t.values && t.ts >= phaseStart) wsLatencies.push(now - t.ts);
  });
  await new Promise<void>((resolve, reject) => {
    browser.once('open', () => resolve());
    browser.once('error', reject);
  });
  while (snapshotTerminals < 0) await sleep(10);
  send({ type: 'ready', snapshotTerminals });
}

/** The bare subscriber on `mqttUrl` (none with null): the raw broker pass-through. */
async function moveBare(mqttUrl: string | null): Promise<void> {
  await bare?.endAsync(true);
  bare = undefined;
  if (mqttUrl === null) return;
  const client = await mqtt.connectAsync(mqttUrl, { clientId: `bench-live-bare-${process.pid}`, ...init.service, reconnectPeriod: 0 }, false);
  client.on('message', (_topic, payload) => {
    const ts = readTs(payload);
    if (!(ts >= phaseStart)) return;
    bareReceived += 1;
    bareLatencies.push(Date.now() - ts);
  });
  await client.subscribeAsync(INGEST_SUBSCRIPTIONS[0]!, { qos: 1 });
  bare = client;
}

async function disconnect(): Promise<void> {
  await Promise.all(devices.map((d) => d.client?.endAsync(true)));
  for (const d of devices) d.client = undefined;
}

async function connect(count: number, mqttUrl: string): Promise<void> {
  const started = performance.now();
  let next = devices.findIndex((d) => !d.client);
  if (next < 0) next = devices.length;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const device = devices[next++]!;
      device.client = await mqtt.connectAsync(
        mqttUrl,
        { clientId: device.id, username: device.id, password: device.password, keepalive: 120, reconnectPeriod: 0, connectTimeout: 60_000 },
        false,
      );
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  send({ type: 'connected', count, seconds: (performance.now() - started) / 1000, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
}

function publish(device: Device, ts: number, onAck: () => void): void {
  device.client!.publish(device.topic, telemetryPayload(device.type, ts, rng), { qos: 1 }, (err) => {
    if (!err) acked += 1;
    onAck();
  });
}

async function phase(p: PhaseMessage): Promise<void> {
  const fleet = devices.slice(0, p.count);
  wsLatencies = [];
  bareLatencies = [];
  bareReceived = 0;
  acked = 0;
  const t0 = Date.now();
  phaseStart = t0;
  send({ type: 'started', id: p.id });
  const end = t0 + p.durationS * 1000;
  let sent = 0;
  if (p.mode === 'steady') {
    // Device i publishes at t0 + (i / n + k) · interval: the fleet's reports evenly spread.
    const n = fleet.length;
    while (Date.now() < end) {
      const due = Math.min(Math.floor(((Date.now() - t0) * n) / p.intervalMs) + 1, Math.floor(((end - t0) * n) / p.intervalMs));
      while (sent < due) publish(fleet[sent++ % n]!, Date.now(), () => undefined);
      await sleep(5);
    }
  } else {
    let inFlight = 0;
    let scheduled = false;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        scheduled = false;
        while (inFlight < p.window && Date.now() < end) {
          inFlight += 1;
          publish(fleet[sent++ % fleet.length]!, Date.now(), () => {
            inFlight -= 1;
            // Refill once per turn, so the acknowledgements of one socket read share one pump.
            if (!scheduled) {
              scheduled = true;
              setImmediate(pump);
            }
          });
        }
        if (Date.now() >= end) resolve();
      };
      pump();
      // Also end on time when acknowledgements stop coming.
      setTimeout(resolve, end - Date.now() + 10);
    });
  }
  send({ type: 'published', id: p.id, sent, seconds: (Date.now() - t0) / 1000, bareInWindow: bareReceived });
}

process.on('message', (raw) => {
  const message = raw as ToFleet;
  const run = async (): Promise<void> => {
    switch (message.type) {
      case 'init':
        return start(message);
      case 'connect':
        return connect(message.count, message.mqttUrl);
      case 'disconnect':
        await disconnect();
        send({ type: 'disconnected' });
        return;
      case 'bare':
        await moveBare(message.mqttUrl);
        send({ type: 'bare-ready' });
        return;
      case 'phase':
        return phase(message);
      case 'collect':
        await sleep(message.waitMs);
        send({
          type: 'collected',
          id: message.id,
          acked,
          wsLatencyMs: distribution(wsLatencies),
          bareLatencyMs: distribution(bareLatencies),
          bareReceived,
        });
        return;
      case 'stop':
        browser?.close();
        await Promise.all([bare?.endAsync(true), ...devices.map((d) => d.client?.endAsync(true))]);
        process.exit(0);
    }
  };
  run().catch((err: Error) => send({ type: 'failed', error: err.stack ?? err.message }));
});
