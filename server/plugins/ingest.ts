/**
 * The ingest: an ordinary MQTT client subscribed to every terminal's telemetry, status and events, which
 * validates each message and applies it to `app.live`, or refuses it with a counted reason.
 *
 * It knows the broker only by URL, so pointing it at an external broker is a matter of options.
 * Nothing a device sends can throw out of the message handler: every path ends in apply or refuse.
 *
 * In a cluster (`shared`) the instances split the device messages with a shared subscription,
 * and the ingest keeps an MQTT 5 session named after the instance that outlives a crash by
 * `sessionExpiryS`: the broker queues the instance's share while it is away, and a restart with
 * the same id receives it. A clean shutdown ends the session (expiry 0), so the broker gives its
 * share to the other instances at once instead of queueing it for nobody. A resend of a message
 * already taken (QoS 1 is at-least-once) is recognised by its bytes and counted once; so that a
 * restarted instance can recognise them too, it takes no message before the other instances have
 * sent it their state (`ClusterBus.synced`): it connects only then. A message is acknowledged to
 * the broker only after it was applied, so one in flight when an instance dies is delivered
 * again, not lost.
 */
import fp from 'fastify-plugin';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { DEFAULT_MAX_CLOCK_SKEW_MS, futureTimestampError, validatePayload } from '../../domain/payloads';
import { SHARED_INGEST_SUBSCRIPTIONS } from '../../domain/clusterTopics';
import { INGEST_SUBSCRIPTIONS, parseTerminalTopic } from '../../domain/topics';
import { fnv1a32Bytes } from '../cluster/rendezvous';
import { Errors } from '../errors';
import { LogLimiter } from '../ingest/LogLimiter';
import type { RejectReason } from '../ingest/rejectReason';

export interface IngestPluginOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  /** The service account on the embedded broker, or MQTT_USERNAME/MQTT_PASSWORD on an external one. */
  username?: string;
  password?: string;
  /** Refused-message warnings allowed per 10 s before the rest are only counted. */
  maxWarningsPer10s?: number;
  /** Messages stamped further ahead of the server clock are refused (`future-timestamp`); default env CITYTWIN_MAX_CLOCK_SKEW_S or 300 s. */
  maxClockSkewMs?: number;
  /** Share the device topics with the other instances; the value names this instance's session. */
  shared?: { instanceId: string; sessionExpiryS?: number };
}

/** How long the broker keeps a crashed instance's session and queue; default 10 minutes. */
export const DEFAULT_SESSION_EXPIRY_S = 600;

export interface Ingest {
  readonly url: string;
  connected(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
  }
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
  return `${payload.length.toString(36)}.${fnv1a32Bytes(payload).toString(36)}`;
}

/** How much of a refused payload goes into the log line. */
const LOGGED_PAYLOAD_BYTES = 200;

export default fp<IngestPluginOptions>(
  async (app, opts) => {
    if (typeof opts.url !== 'string' || !/^(mqtts?|wss?|tcp):\/\//.test(opts.url)) {
      throw new Errors.BadOption(`ingest: "url" must be an mqtt:// (or mqtts, ws, wss, tcp) URL, got ${String(opts.url)}`);
    }
    const { twin, live } = app;
    const skewEnv = process.env.CITYTWIN_MAX_CLOCK_SKEW_S;
    const maxClockSkewMs = opts.maxClockSkewMs ?? (skewEnv ? Number(skewEnv) * 1000 : DEFAULT_MAX_CLOCK_SKEW_MS);
    if (!(Number.isFinite(maxClockSkewMs) && maxClockSkewMs >= 0)) {
      throw new Errors.BadOption(`ingest: the clock skew limit (maxClockSkewMs or env CITYTWIN_MAX_CLOCK_SKEW_S) must be a number ≥ 0, got ${opts.maxClockSkewMs ?? skewEnv}`);
    }
    const limiter = new LogLimiter(opts.maxWarningsPer10s ?? 20, 10_000);
    const log = app.log.child({ component: 'ingest' });

    const refuse = (reason: RejectReason, topic: string, message: string, payload: Buffer): void => {
      live.reject(reason);
      const now = Date.now();
      if (limiter.allow(now, (n) => log.warn(`${n} more refused messages were not logged in the last 10 s`))) {
        const sample = payload.subarray(0, LOGGED_PAYLOAD_BYTES).toString('utf8');
        log.warn({ topic, reason, payload: sample }, `refused device message: ${message}`);
      }
    };

    const onMessage = (topic: string, payload: Buffer): void => {
      const receivedAt = Date.now();
      try {
        const parsed = parseTerminalTopic(topic);
        if (!parsed) return refuse('bad-topic', topic, 'topic is not citytwin/v1/terminals/{terminalId}/{telemetry|status|events}', payload);
        const terminal = twin.terminalById.get(parsed.terminalId);
        if (!terminal) return refuse('unknown-terminal', topic, `terminal "${parsed.terminalId}" is not in this twin`, payload);
        const result = validatePayload(parsed.kind, terminal.type, payload);
        if (!result.ok) return refuse(result.reason, topic, result.error, payload);
        const ahead = futureTimestampError(result.payload.ts, receivedAt, maxClockSkewMs);
        if (ahead) return refuse('future-timestamp', topic, ahead, payload);
        live.apply(terminal.id, parsed.kind, result.payload, receivedAt, messageKey(payload));
      } catch (err) {
        // A bug of ours, not the device's; still, one message must not take the server down.
        live.reject('invalid');
        if (limiter.allow(Date.now())) log.error({ err, topic }, 'ingest failed on a message');
      }
    };

    const shared = opts.shared;
    const subscriptions = shared ? SHARED_INGEST_SUBSCRIPTIONS : INGEST_SUBSCRIPTIONS;
    // mqtt.js sends the PUBACK of a QoS 1 message only after this calls back: after it was applied.
    const handleMessage = (packet: IPublishPacket, done: (err?: Error) => void): void => {
      onMessage(packet.topic, typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
      done();
    };

    let client: MqttClient | undefined;
    let closing = false;
    const connect = async (): Promise<void> => {
      let connected: MqttClient;
      try {
        // No retries for the first connection: a wrong URL should fail start-up with a clear message.
        connected = await connectWith(handleMessage, opts.url, {
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
      client = connected;
      // While closing, acks still in flight may hit a socket the broker has shut (EPIPE): not news.
      connected.on('error', (err) => {
        if (closing) log.debug({ err: err.message }, 'MQTT client error while closing');
        else log.warn({ err: err.message }, 'MQTT client error');
      });
      connected.on('offline', () => {
        if (!closing) log.warn({ url: opts.url }, 'lost the MQTT broker, reconnecting');
      });
      connected.on('reconnect', () => log.debug({ url: opts.url }, 'reconnecting to the MQTT broker'));
      if (shared) {
        // mqtt.js resubscribes only when the broker says the session is gone, but Mosquitto 2.0
        // restores a persisted session after a restart without its shared subscriptions: ask
        // again on every reconnection (`resubscribe` gets past mqtt.js's "already subscribed").
        connected.on('connect', () => {
          const again = { ...Object.fromEntries(subscriptions.map((filter) => [filter, { qos: 1 as const }])), resubscribe: true };
          connected.subscribe(again as unknown as Record<string, { qos: 1 }>, (err) => {
            if (err && !closing) log.warn({ err: err.message }, 'could not subscribe again after reconnecting');
          });
        });
      }
      // A resumed session already holds the subscriptions (and its backlog is flowing); asking
      // again is harmless and covers a session the broker lost.
      await connected.subscribeAsync(subscriptions, { qos: 1 });
      log.info({ url: opts.url, topics: subscriptions }, 'ingest subscribed');
    };

    const bus = shared ? app.cluster.bus : undefined;
    if (bus) {
      // In a cluster the ingest starts only once the other instances sent their state (the cluster
      // plugin's onReady announced us first), so a restarted instance recognises the resends in
      // the backlog the broker kept for it.
      app.addHook('onReady', async () => {
        await bus.synced();
        await connect();
      });
    } else {
      // Subscribed before the plugin resolves, so nothing published after start-up is missed.
      await connect();
    }

    app.decorate<Ingest>('ingest', { url: opts.url, connected: () => client?.connected ?? false });
    app.addHook('onClose', async () => {
      closing = true;
      if (!client) return;
      // Leaving for good: drop the session so the broker stops setting messages aside for it.
      await (shared ? client.endAsync(false, { properties: { sessionExpiryInterval: 0 } }) : client.endAsync());
    });
  },
  { name: 'citytwin-ingest', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-live'] },
);
