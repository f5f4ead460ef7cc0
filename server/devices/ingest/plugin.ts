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
import { Errors } from '../../errors';
import { DeviceIngest, type DeviceIngestOptions } from './DeviceIngest';

export { DEFAULT_SESSION_EXPIRY_S } from './DeviceIngest';

/** The ingest client's options; the app supplies the twin, the live state and the log. */
export type IngestPluginOptions = Omit<DeviceIngestOptions, 'terminalById' | 'live' | 'log'>;

export interface Ingest {
  readonly url: string;
  connected(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
  }
}

export default fp<IngestPluginOptions>(
  async (app, opts) => {
    if (typeof opts.url !== 'string' || !/^(mqtts?|wss?|tcp):\/\//.test(opts.url)) {
      throw new Errors.BadOption(`ingest: "url" must be an mqtt:// (or mqtts, ws, wss, tcp) URL, got ${String(opts.url)}`);
    }
    const { shared } = opts;
    const skewEnv = process.env.CITYTWIN_MAX_CLOCK_SKEW_S;
    const maxClockSkewMs = opts.maxClockSkewMs ?? (skewEnv ? Number(skewEnv) * 1000 : undefined);
    if (maxClockSkewMs !== undefined && !(Number.isFinite(maxClockSkewMs) && maxClockSkewMs >= 0)) {
      throw new Errors.BadOption(`ingest: the clock skew limit (maxClockSkewMs or env CITYTWIN_MAX_CLOCK_SKEW_S) must be a number ≥ 0, got ${opts.maxClockSkewMs ?? skewEnv}`);
    }
    const ingest = new DeviceIngest({ ...opts, maxClockSkewMs, terminalById: app.twin.terminalById, live: app.live, log: app.log.child({ component: 'ingest' }) });
    const bus = shared ? app.cluster.bus : undefined;
    if (bus) {
      // In a cluster the ingest starts only once the other instances sent their state (the cluster
      // plugin's onReady announced us first), so a restarted instance recognises the resends in
      // the backlog the broker kept for it.
      app.addHook('onReady', async () => {
        await bus.synced();
        await ingest.connect();
      });
    } else {
      // Subscribed before the plugin resolves, so nothing published after start-up is missed.
      await ingest.connect();
    }

    app.decorate<Ingest>('ingest', { url: opts.url, connected: () => ingest.connected() });
    // Leave the broker before anything else closes: an instance closing under a backlog would
    // otherwise go on taking device messages while its other parts shut down, miss its
    // supervisor's deadline (10 s in the tests, 90 s under systemd) and be killed, and a killed
    // instance's session keeps its share of the devices queued for nobody for `sessionExpiryS`.
    app.addHook('preClose', () => ingest.close());
    // Fastify runs preClose only for an app that finished booting; a failed start still closes it here.
    app.addHook('onClose', () => ingest.close());
  },
  { name: 'citytwin-ingest', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-live'] },
);
