/**
 * The live WebSocket (domain/live.ts): a snapshot on connect, then one delta per
 * `deltaIntervalMs` when something changed. One batch is taken from `app.live` per interval and
 * sent to every browser, each with its own `seq` (StreamHub.ts keeps the browsers). Server events
 * (`app.stream.publish`) go to this instance's browsers and, in a cluster, to the others'.
 */
import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { LIVE_WS_PATH, SERVER_EVENT_TOPICS, type ServerEventTopic } from '../../../domain/live';
import { Errors } from '../../errors';
import { StreamHub, type EventAudience, type StreamViewer } from './StreamHub';

export { admits, type EventAudience, type StreamViewer } from './StreamHub';

export interface StreamPluginOptions {
  /** Batching interval for deltas; default 250 ms. */
  deltaIntervalMs?: number;
  /** Bytes a browser may have waiting before it is dropped; default 8 MiB (several snapshots). */
  maxBufferedBytes?: number;
  /** Ping interval; a browser that has not answered the previous ping is ended. Default 30 s. */
  heartbeatMs?: number;
}

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
    const deltaIntervalMs = opts.deltaIntervalMs ?? 250;
    const maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    const heartbeatMs = opts.heartbeatMs ?? 30_000;
    for (const [name, value] of Object.entries({ deltaIntervalMs, maxBufferedBytes, heartbeatMs })) {
      if (!(Number.isFinite(value) && value > 0)) throw new Errors.BadOption(`stream: ${name} must be a positive number`);
    }
    const live = app.live;
    const hub = new StreamHub({ maxBufferedBytes, snapshot: () => live.snapshot(), log: app.log });

    // Browsers send only their login token; a small limit keeps a misbehaving one from costing memory.
    await app.register(websocket, { options: { maxPayload: 4096 } });
    app.get(LIVE_WS_PATH, { websocket: true }, (socket, request) => hub.attach(socket, request.log));

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
