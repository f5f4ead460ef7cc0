/**
 * The ingest client (the ingest plugin, plugin.ts, runs it for the app): an ordinary MQTT client
 * subscribed to every terminal's telemetry, status and events, which validates each message and
 * applies it to the live state, or refuses it with a counted reason. Nothing a device sends can
 * throw out of the message handler: every path ends in apply or refuse.
 *
 * With `shared` (a cluster) it keeps an MQTT 5 session named after the instance that outlives a
 * crash by `sessionExpiryS`, and a clean `close()` ends that session. A message is acknowledged
 * to the broker only after it was applied, so one in flight when an instance dies is delivered
 * again, not lost.
 */
import type { FastifyBaseLogger } from 'fastify';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { DEFAULT_MAX_CLOCK_SKEW_MS, futureTimestampError, validatePayload } from '../../../domain/payloads';
import { SHARED_INGEST_SUBSCRIPTIONS } from '../../../domain/clusterTopics';
import type { TerminalType } from '../../../domain/terminals';
import { INGEST_SUBSCRIPTIONS, parseTerminalTopic } from '../../../domain/topics';
import { fnv1aBytes } from '../../../kernel/hash';
import { Errors } from '../../errors';
import type { LiveState } from '../state/LiveState';
import { LogLimiter } from './LogLimiter';
import type { RejectReason } from './rejectReason';

/** How long the broker keeps a crashed instance's session and queue; default 10 minutes. */
export const DEFAULT_SESSION_EXPIRY_S = 600;

type IngestLog = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

export interface DeviceIngestOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  /** The service account on the embedded broker, or MQTT_USERNAME/MQTT_PASSWORD on an external one. */
  username?: string;
  password?: string;
  /** Refused-message warnings allowed per 10 s before the rest are only counted. */
  maxWarningsPer10s?: number;
  /** Messages stamped further ahead of the server clock are refused (`future-timestamp`); default 300 s. */
  maxClockSkewMs?: number;
  /** Share the device topics with the other instances; the value names this instance's session. */
  shared?: { instanceId: string; sessionExpiryS?: number };
  /** The twin's terminals by id. */
  terminalById: ReadonlyMap<string, { id: string; type: TerminalType }>;
  /** Where accepted messages go and refused ones are counted. */
  live: Pick<LiveState, 'apply' | 'reject'>;
  log: IngestLog;
}

/**
 * `mqtt.connectAsync` without retries, with our `handleMessage` in place before the first packet
 * (a persistent session's backlog arrives right after CONNACK).
 */
function connectWith(handleMessage: MqttClient['handleMessage'], url: string, options: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, options);
    client.handleMessage = handleMessage;
    const settle = (err?: Error): void => {
      client.off('connect', onConnect);
      client.off('error', settle);
      client.off('close', onClose);
      if (!err) return resolve(client);
      client.end(true);
      reject(err);
    };
    const onConnect = (): void => settle();
    const onClose = (): void => settle(new Error("couldn't connect to the broker"));
    client.on('connect', onConnect);
    client.on('error', settle);
    client.on('close', onClose);
  });
}

/** Identifies a message by its bytes (which carry the device's timestamp): a resend has the same key. */
function messageKey(payload: Buffer): string {
  return `${payload.length.toString(36)}.${fnv1aBytes(payload).toString(36)}`;
}

/** How much of a refused payload goes into the log line. */
const LOGGED_PAYLOAD_BYTES = 200;

export class DeviceIngest {
  readonly url: string;
  private client: MqttClient | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly limiter: LogLimiter;
  private readonly subscriptions: string[];

  constructor(private readonly opts: DeviceIngestOptions) {
    this.url = opts.url;
    this.limiter = new LogLimiter(opts.maxWarningsPer10s ?? 20, 10_000);
    this.subscriptions = opts.shared ? SHARED_INGEST_SUBSCRIPTIONS : INGEST_SUBSCRIPTIONS;
  }

  connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Validates one device message and applies it, or refuses it with a counted reason. */
  onMessage(topic: string, payload: Buffer): void {
    const { live, terminalById, log } = this.opts;
    const receivedAt = Date.now();
    try {
      const parsed = parseTerminalTopic(topic);
      if (!parsed) return this.refuse('bad-topic', topic, 'topic is not citytwin/v1/terminals/{terminalId}/{telemetry|status|events}', payload);
      const terminal = terminalById.get(parsed.terminalId);
      if (!terminal) return this.refuse('unknown-terminal', topic, `terminal "${parsed.terminalId}" is not in this twin`, payload);
      const result = validatePayload(parsed.kind, terminal.type, payload);
      if (!result.ok) return this.refuse(result.reason, topic, result.error, payload);
      const ahead = futureTimestampError(result.payload.ts, receivedAt, this.opts.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS);
      if (ahead) return this.refuse('future-timestamp', topic, ahead, payload);
      live.apply(terminal.id, parsed.kind, result.payload, receivedAt, messageKey(payload));
    } catch (err) {
      // A bug of ours, not the device's; still, one message must not take the server down.
      live.reject('invalid');
      if (this.limiter.allow(Date.now())) log.error({ err, topic }, 'ingest failed on a message');
    }
  }

  private refuse(reason: RejectReason, topic: string, message: string, payload: Buffer): void {
    const { live, log } = this.opts;
    live.reject(reason);
    const now = Date.now();
    if (this.limiter.allow(now, (n) => log.warn(`${n} more refused messages were not logged in the last 10 s`))) {
      const sample = payload.subarray(0, LOGGED_PAYLOAD_BYTES).toString('utf8');
      log.warn({ topic, reason, payload: sample }, `refused device message: ${message}`);
    }
  }

  // mqtt.js sends the PUBACK of a QoS 1 message only after this calls back: after it was applied.
  private readonly handleMessage = (packet: IPublishPacket, done: (err?: Error) => void): void => {
    this.onMessage(packet.topic, typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
    done();
  };

  /** Connects (no retries the first time: a wrong URL fails start-up) and subscribes. */
  async connect(): Promise<void> {
    const { opts, subscriptions } = this;
    const { shared, log } = opts;
    let connected: MqttClient;
    try {
      connected = await connectWith(this.handleMessage, opts.url, {
        clientId: shared ? `citytwin-ingest-${shared.instanceId}` : `citytwin-ingest-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`,
        clean: !shared,
        ...(shared ? { protocolVersion: 5 as const, properties: { sessionExpiryInterval: shared.sessionExpiryS ?? DEFAULT_SESSION_EXPIRY_S } } : {}),
        username: opts.username,
        password: opts.password,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
      });
    } catch (err) {
      throw new Errors.Mqtt(`ingest cannot connect to the MQTT broker at ${opts.url}: ${(err as Error).message}`);
    }
    this.client = connected;
    // While closing, acks still in flight may hit a socket the broker has shut (EPIPE): not news.
    connected.on('error', (err) => {
      if (this.closing) log.debug({ err: err.message }, 'MQTT client error while closing');
      else log.warn({ err: err.message }, 'MQTT client error');
    });
    connected.on('offline', () => {
      if (!this.closing) log.warn({ url: opts.url }, 'lost the MQTT broker, reconnecting');
    });
    connected.on('reconnect', () => log.debug({ url: opts.url }, 'reconnecting to the MQTT broker'));
    if (shared) {
      // mqtt.js resubscribes only when the broker says the session is gone, but Mosquitto 2.0
      // restores a persisted session after a restart without its shared subscriptions: ask
      // again on every reconnection (`resubscribe` gets past mqtt.js's "already subscribed").
      connected.on('connect', () => {
        const again = { ...Object.fromEntries(subscriptions.map((filter) => [filter, { qos: 1 as const }])), resubscribe: true };
        connected.subscribe(again as unknown as Record<string, { qos: 1 }>, (err) => {
          if (err && !this.closing) log.warn({ err: err.message }, 'could not subscribe again after reconnecting');
        });
      });
    }
    // A resumed session already holds the subscriptions (and its backlog is flowing); asking
    // again is harmless and covers a session the broker lost.
    await connected.subscribeAsync(subscriptions, { qos: 1 });
    log.info({ url: opts.url, topics: subscriptions }, 'ingest subscribed');
  }

  /**
   * Disconnects; when shared, leaving for good drops the session so the broker stops setting
   * messages aside for it. Once: later calls wait for the same disconnection.
   */
  close(): Promise<void> {
    this.closed ??= this.disconnect();
    return this.closed;
  }

  private async disconnect(): Promise<void> {
    this.closing = true;
    const client = this.client;
    if (!client) return;
    await (this.opts.shared ? client.endAsync(false, { properties: { sessionExpiryInterval: 0 } }) : client.endAsync());
  }
}
