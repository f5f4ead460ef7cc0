/**
 * The device side of the ingest benchmark, run as a child process (forked by publisherProcess.ts)
 * so that publishing costs none of the server's CPU: one mqtt.js client publishing telemetry for
 * the twin's real terminals at a paced rate, and one `ws` client on /ws/live, like a browser,
 * that matches each delta entry to a published message by terminal id + device `ts`.
 *
 * The device `ts` is the publish time (Date.now(), the same clock the parent reads), so
 * `received − ts` is the device-to-browser latency.
 */
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { LIVE_WS_PATH, type LiveMessage } from '../../domain/live';
import { TOPIC_PREFIX, terminalTopic } from '../../domain/topics';
import { distribution } from '../support/stats';
import {
  BASELINE_PREFIX,
  type FromPublisher,
  type InitMessage,
  type PhaseMessage,
  type TerminalRef,
  type ToPublisher,
} from './protocol';
import { createRng, telemetryPayload } from './telemetry';

/** Most messages published in one timer tick: 20 ms worth, so acks and deltas are read between bursts. */
const BURST_S = 0.02;

function send(message: FromPublisher): void {
  if (!process.send) throw new Error('publisher.ts must be started with child_process.fork');
  process.send(message);
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

class Publisher {
  private cursor = 0;
  private acked = 0;
  /** Per terminal, device `ts` of this phase's messages not yet seen in a delta, oldest first. */
  private readonly pending = new Map<string, number[]>();
  private latencies: number[] = [];
  private coalesced = 0;
  private wsDeltas = 0;
  private wsBytes = 0;
  private readonly onAck = (err?: Error): void => {
    if (!err) this.acked += 1;
  };

  private constructor(
    private readonly client: MqttClient,
    private readonly socket: WebSocket,
    private readonly terminals: readonly TerminalRef[],
    private readonly topics: Record<PhaseMessage['mode'], string[]>,
    private readonly rng: () => number,
  ) {
    socket.on('message', (data) => this.onLive(rawText(data)));
  }

  static async start(init: InitMessage): Promise<{ publisher: Publisher; snapshotTerminals: number }> {
    const client = await mqtt.connectAsync(init.mqttUrl, { clientId: `bench-publisher-${process.pid}`, reconnectPeriod: 0, clean: true, ...init.mqttCredential });
    const socket = new WebSocket(init.httpUrl.replace(/^http/, 'ws') + LIVE_WS_PATH);
    const snapshotTerminals = await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('message', (data) => {
        const first = JSON.parse(rawText(data)) as LiveMessage;
        if (first.type === 'snapshot') resolve(first.terminals.length);
        else reject(new Error(`expected a snapshot first, got ${first.type}`));
      });
    });
    const pipeline = init.terminals.map((t) => terminalTopic(t.id, 'telemetry'));
    const topics = { pipeline, baseline: pipeline.map((topic) => BASELINE_PREFIX + topic.slice(TOPIC_PREFIX.length)) };
    return { publisher: new Publisher(client, socket, init.terminals, topics, createRng(init.seed)), snapshotTerminals };
  }

  /** Publishes `rate × durationS` messages, paced against the clock, round-robin over the terminals. */
  async run(phase: PhaseMessage): Promise<void> {
    const { mode, qos, rate } = phase;
    const pipeline = mode === 'pipeline';
    const topics = this.topics[mode];
    const total = Math.round(rate * phase.durationS);
    const burst = Math.max(1, Math.ceil(rate * BURST_S));
    this.pending.clear();
    this.latencies = [];
    this.coalesced = 0;
    this.acked = 0;
    this.wsDeltas = 0;
    this.wsBytes = 0;

    send({ type: 'started', id: phase.id });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let last = t0;
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1, sent + burst);
        while (sent < due) {
          const i = this.cursor;
          this.cursor = (i + 1) % this.terminals.length;
          const terminal = this.terminals[i]!;
          const ts = Date.now();
          if (pipeline) {
            const waiting = this.pending.get(terminal.id);
            if (waiting) waiting.push(ts);
            else this.pending.set(terminal.id, [ts]);
          }
          const payload = telemetryPayload(terminal.type, ts, this.rng);
          if (qos === 1) this.client.publish(topics[i]!, payload, { qos: 1 }, this.onAck);
          else this.client.publish(topics[i]!, payload, { qos: 0 });
          sent += 1;
        }
        last = performance.now();
        if (sent >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const seconds = (last - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    send({
      type: 'published',
      id: phase.id,
      sent,
      seconds,
      cpuShare: (cpu.user + cpu.system) / 1e6 / Math.max(seconds, 1e-3),
      wsBytesPerS: this.wsBytes / Math.max(seconds, 1e-3),
    });
  }

  async collect(id: number, waitMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    send({
      type: 'collected',
      id,
      acked: this.acked,
      wsMatched: this.latencies.length,
      wsCoalesced: this.coalesced,
      latencyMs: distribution(this.latencies),
      wsDeltas: this.wsDeltas,
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
    if (this.socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        this.socket.once('close', () => resolve());
        this.socket.close();
      });
    }
  }

  private onLive(text: string): void {
    const receivedAt = Date.now();
    this.wsBytes += text.length;
    const message = JSON.parse(text) as LiveMessage;
    if (message.type !== 'delta') return;
    this.wsDeltas += 1;
    for (const t of message.terminals) {
      const waiting = this.pending.get(t.id);
      const at = waiting ? waiting.indexOf(t.ts) : -1;
      if (at < 0) continue;
      // Readings of this terminal older than the one delivered were merged into it within one batch.
      this.coalesced += at;
      this.latencies.push(receivedAt - t.ts);
      waiting!.splice(0, at + 1);
    }
  }
}

let publisher: Publisher | undefined;

async function handle(message: ToPublisher): Promise<void> {
  switch (message.type) {
    case 'init': {
      const started = await Publisher.start(message);
      publisher = started.publisher;
      send({ type: 'ready', snapshotTerminals: started.snapshotTerminals });
      return;
    }
    case 'phase':
      return requirePublisher().run(message);
    case 'collect':
      return requirePublisher().collect(message.id, message.waitMs);
    case 'stop': {
      const closing = publisher;
      publisher = undefined;
      await closing?.close();
      process.disconnect();
      return;
    }
  }
}

function requirePublisher(): Publisher {
  if (!publisher) throw new Error('publisher: "init" must come first');
  return publisher;
}

process.on('message', (message) => {
  handle(message as ToPublisher).catch((err: Error) => {
    send({ type: 'failed', error: err.stack ?? err.message });
  });
});
// The parent going away ends the benchmark: do not linger with open sockets.
process.on('disconnect', () => {
  const closing = publisher;
  publisher = undefined;
  if (closing) void closing.close().finally(() => process.exit(0));
});
