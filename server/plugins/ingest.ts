/**
 * The ingest: an ordinary MQTT client subscribed to every terminal's telemetry, status and events, which
 * validates each message and applies it to `app.live`, or refuses it with a counted reason.
 *
 * It knows the broker only by URL, so pointing it at an external broker is a matter of options.
 * Nothing a device sends can throw out of the message handler: every path ends in apply or refuse.
 */
import fp from 'fastify-plugin';
import mqtt, { type MqttClient } from 'mqtt';
import { validatePayload } from '../../domain/payloads';
import { INGEST_SUBSCRIPTIONS, parseTerminalTopic } from '../../domain/topics';
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
}

export interface Ingest {
  readonly url: string;
  connected(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
  }
}

/** How much of a refused payload goes into the log line. */
const LOGGED_PAYLOAD_BYTES = 200;

export default fp<IngestPluginOptions>(
  async (app, opts) => {
    if (typeof opts.url !== 'string' || !/^(mqtts?|wss?|tcp):\/\//.test(opts.url)) {
      throw new Errors.BadOption(`ingest: "url" must be an mqtt:// (or mqtts, ws, wss, tcp) URL, got ${String(opts.url)}`);
    }
    const { twin, live } = app;
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
        live.apply(terminal.id, parsed.kind, result.payload, receivedAt);
      } catch (err) {
        // A bug of ours, not the device's; still, one message must not take the server down.
        live.reject('invalid');
        if (limiter.allow(Date.now())) log.error({ err, topic }, 'ingest failed on a message');
      }
    };

    let client: MqttClient;
    try {
      // No retries for the first connection: a wrong URL should fail start-up with a clear message.
      client = await mqtt.connectAsync(
        opts.url,
        {
          clientId: `citytwin-ingest-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`,
          clean: true,
          username: opts.username,
          password: opts.password,
          reconnectPeriod: 1000,
          connectTimeout: 10_000,
        },
        false,
      );
    } catch (err) {
      throw new Errors.Mqtt(`ingest cannot connect to the MQTT broker at ${opts.url}: ${(err as Error).message}`);
    }
    let closing = false;
    client.on('message', onMessage);
    // While closing, acks still in flight may hit a socket the broker has shut (EPIPE): not news.
    client.on('error', (err) => {
      if (closing) log.debug({ err: err.message }, 'MQTT client error while closing');
      else log.warn({ err: err.message }, 'MQTT client error');
    });
    client.on('offline', () => {
      if (!closing) log.warn({ url: opts.url }, 'lost the MQTT broker, reconnecting');
    });
    client.on('reconnect', () => log.debug({ url: opts.url }, 'reconnecting to the MQTT broker'));
    // Subscribed before the plugin resolves, so nothing published after start-up is missed.
    await client.subscribeAsync(INGEST_SUBSCRIPTIONS, { qos: 1 });
    log.info({ url: opts.url, topics: INGEST_SUBSCRIPTIONS }, 'ingest subscribed');

    app.decorate<Ingest>('ingest', { url: opts.url, connected: () => client.connected });
    app.addHook('onClose', async () => {
      closing = true;
      client.off('message', onMessage);
      await client.endAsync();
    });
  },
  { name: 'citytwin-ingest', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-live'] },
);
