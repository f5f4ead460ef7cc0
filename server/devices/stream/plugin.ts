/**
 * The live WebSocket (domain/live.ts): a snapshot on connect, then one delta per
 * `deltaIntervalMs` when something changed. One batch is taken from `app.live` per interval and
 * sent to every browser, each with its own `seq` (StreamHub.ts keeps the browsers). Server events
 * (`app.stream.publish`) go to this instance's browsers and, in a cluster, to the others'.
 */
import websocket from '@fastify/websocket';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LIVE_WS_PATH, SERVER_EVENT_TOPICS, type ServerEventTopic } from '../../../domain/live';
import { errorBody, Errors } from '../../errors';
import { StreamHub, type EventAudience, type StreamViewer } from './StreamHub';

export { admits, type EventAudience, type StreamViewer } from './StreamHub';

export interface StreamPluginOptions {
  /** Batching interval for deltas; default DEFAULT_DELTA_INTERVAL_MS. */
  deltaIntervalMs?: number;
  /** Bytes a browser may have waiting before it is dropped; default 8 MiB (several snapshots). */
  maxBufferedBytes?: number;
  /** Ping interval; a browser that has not answered the previous ping is ended. Default 30 s. */
  heartbeatMs?: number;
  /** Live sockets one address may hold at once; default env CITYTWIN_WS_MAX_PER_ADDRESS or 64. */
  maxSocketsPerAddress?: number;
}

export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 64;
/**
 * How long deltas are batched (`serve --delta-interval-ms`, env CITYTWIN_DELTA_INTERVAL_MS): a
 * reading waits up to this long for its delta, so it is most of the publish → browser latency
 * (p99 ≈ the interval); shorter sends more, smaller messages to every browser. 100 ms leaves
 * the broker and the ingest ~150 ms of the 250 ms publish → browser p99 goal (issue 14): at 250 ms
 * the batching alone used all of it. A delta costs one JSON.stringify shared by every browser.
 */
export const DEFAULT_DELTA_INTERVAL_MS = 100;

export interface LiveStream {
  /** Browsers connected now. */
  browsers(): number;
  /** Browsers dropped for being too slow, since start. */
  dropped(): number;
  /**
   * Sends a server event (case transition, scenario progress, …) now: to every browser, or only
   * to those whose viewer `audience` admits (cases go to logged-in users who may see them).
   */
  publish(topic: ServerEventTopic, data: unknown, audience?: EventAudience): void;
  /** How a browser's `{"type":"auth","token":…}` message becomes a viewer (set by the auth plugin). */
  setAuthenticator(authenticate: (token: string) => Promise<StreamViewer | null>): void;
}

/** A server event as it travels between the instances of a cluster. */
interface RelayedEvent {
  topic: ServerEventTopic;
  data: unknown;
  audience?: EventAudience;
}

declare module 'fastify' {
  interface FastifyInstance {
    stream: LiveStream;
  }
}

export default fp<StreamPluginOptions>(
  async (app, opts) => {
    const deltaIntervalMs = opts.deltaIntervalMs ?? DEFAULT_DELTA_INTERVAL_MS;
    const maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    const heartbeatMs = opts.heartbeatMs ?? 30_000;
    for (const [name, value] of Object.entries({ deltaIntervalMs, maxBufferedBytes, heartbeatMs })) {
      if (!(Number.isFinite(value) && value > 0)) throw new Errors.BadOption(`stream: ${name} must be a positive number`);
    }
    const perAddressEnv = process.env.CITYTWIN_WS_MAX_PER_ADDRESS;
    const maxSocketsPerAddress = opts.maxSocketsPerAddress ?? (perAddressEnv ? Number(perAddressEnv) : DEFAULT_MAX_SOCKETS_PER_ADDRESS);
    if (!(Number.isInteger(maxSocketsPerAddress) && maxSocketsPerAddress > 0)) {
      throw new Errors.BadOption(`stream: maxSocketsPerAddress (or env CITYTWIN_WS_MAX_PER_ADDRESS) must be a positive integer, got ${opts.maxSocketsPerAddress ?? perAddressEnv}`);
    }
    const live = app.live;
    const hub = new StreamHub({ maxBufferedBytes, maxSocketsPerAddress, snapshot: () => live.snapshot(), log: app.log });

    // Browsers send only their login token; a small limit keeps a misbehaving one from costing memory.
    await app.register(websocket, { options: { maxPayload: 4096 } });
    // Counted per client address (proxy-resolved `request.ip`); past the limit a 429 before the upgrade.
    const admitAddress = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (hub.admitsAddress(request.ip)) return;
      const err = new Errors.RateLimited(`too many live sockets: one address may hold ${maxSocketsPerAddress} at once; close some first`);
      await reply.code(429).send(errorBody(429, err.code, err.message));
    };
    app.get(LIVE_WS_PATH, { websocket: true, preValidation: admitAddress }, (socket, request) => hub.attach(socket, request.log, request.ip));

    const flush = (): void => {
      const batch = live.takeDelta();
      if (batch) hub.sendDelta(batch);
    };

    const bus = app.cluster.bus;
    const publish: LiveStream['publish'] = (topic, data, audience) => {
      hub.deliver(topic, data, audience);
      // The other instances' browsers get it too, filtered there by the same audience.
      bus?.publishEvent({ topic, data, audience } satisfies RelayedEvent);
    };
    bus?.onEvent((_origin, body) => {
      const event = body as RelayedEvent;
      if (!event || !(SERVER_EVENT_TOPICS as readonly string[]).includes(event.topic)) return;
      hub.deliver(event.topic, event.data, event.audience);
    });

    const deltaTimer = setInterval(flush, deltaIntervalMs);
    const heartbeatTimer = setInterval(() => hub.heartbeat(), heartbeatMs);
    deltaTimer.unref();
    heartbeatTimer.unref();

    app.decorate<LiveStream>('stream', {
      browsers: () => hub.browsers(),
      dropped: () => hub.dropped(),
      publish,
      setAuthenticator: (fn) => hub.setAuthenticator(fn),
    });
    app.addHook('onClose', async () => {
      clearInterval(deltaTimer);
      clearInterval(heartbeatTimer);
    });
  },
  { name: 'citytwin-stream', fastify: '5.x', dependencies: ['citytwin-live', 'citytwin-cluster'] },
);
