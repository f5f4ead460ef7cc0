/**
 * The scale benchmark's simulated devices, run as a child process (see scaleLoad.ts): a few
 * MQTT connections, not one per device, since the benchmark measures the server side. Device i
 * publishes QoS 1 telemetry on its own topic over connection i mod n, once per report interval,
 * the fleet's reports spread evenly over the interval. The payload's `ts` is the publish time
 * (Date.now(), the clock the parent's browsers read), so receipt − ts is the end-to-end latency.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { terminalTopic } from '../domain/topics';
import { createRng, telemetryPayload } from './ingest/telemetry';
import { sleep } from './support/stats';
import type { FromGenerator, InitCommand, LoadCommand, SimulatedDevice, ToGenerator } from './scaleLoad';

/** Longest pause between publishing rounds: at 10,000 msg/s a round is then about 20 messages. */
const TICK_MS = 2;

interface Device extends SimulatedDevice {
  topic: string;
  client: MqttClient;
}

function send(message: FromGenerator): void {
  if (!process.send) throw new Error('scaleGenerator.ts must be started with child_process.fork');
  process.send(message);
}

let clients: MqttClient[] = [];
let devices: Device[] = [];
let rng: () => number = Math.random;
let acked = 0;
let failed = 0;
let sent = 0;
const onAck = (err?: Error): void => {
  if (err) failed += 1;
  else acked += 1;
};

async function init(message: InitCommand): Promise<void> {
  if (!Number.isInteger(message.connections) || message.connections < 1) throw new RangeError(`connections must be a positive integer, got ${message.connections}`);
  rng = createRng(message.seed);
  clients = await Promise.all(
    Array.from({ length: message.connections }, (_, k) =>
      mqtt.connectAsync(message.mqttUrl, { clientId: `bench-scale-${process.pid}-${k}`, clean: true, reconnectPeriod: 0, keepalive: 120 }, false),
    ),
  );
  devices = message.devices.map((d, i) => ({ ...d, topic: terminalTopic(d.id, 'telemetry'), client: clients[i % clients.length]! }));
  send({ type: 'ready' });
}

async function load(command: LoadCommand): Promise<void> {
  const n = command.devices;
  if (!(n >= 1 && n <= devices.length)) throw new RangeError(`load of ${n} devices, but ${devices.length} were given at init`);
  acked = 0;
  failed = 0;
  sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  send({ type: 'started', id: command.id, at: t0 });
  const total = Math.floor((command.durationS * 1000 * n) / command.intervalMs);
  let last = t0;
  // Report k of device i is due at t0 + (i / n + k) · interval.
  while (sent < total) {
    const due = Math.min(Math.floor(((Date.now() - t0) * n) / command.intervalMs) + 1, total);
    while (sent < due) {
      const device = devices[sent % n]!;
      const ts = Date.now();
      device.client.publish(device.topic, telemetryPayload(device.type, ts, rng), { qos: 1 }, onAck);
      sent += 1;
      last = ts;
    }
    await sleep(TICK_MS);
  }
  const seconds = Math.max((last - t0) / 1000, 1e-3);
  const cpu = process.cpuUsage(cpu0);
  send({ type: 'published', id: command.id, sent, seconds, cpuShare: (cpu.user + cpu.system) / 1e6 / seconds });
}

async function acks(id: number, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (acked + failed < sent && Date.now() < deadline) await sleep(20);
  send({ type: 'acks', id, acked, failed });
}

async function stop(): Promise<void> {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  process.exit(0);
}

process.on('message', (raw) => {
  const message = raw as ToGenerator;
  const run = async (): Promise<void> => {
    switch (message.type) {
      case 'init':
        return init(message);
      case 'load':
        return load(message);
      case 'acks':
        return acks(message.id, message.waitMs);
      case 'stop':
        return stop();
    }
  };
  run().catch((err: Error) => send({ type: 'failed', error: err.stack ?? err.message }));
});
// The parent going away ends the benchmark: do not linger with open connections.
process.on('disconnect', () => void stop());
