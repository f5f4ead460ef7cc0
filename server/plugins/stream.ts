/**
 * The live WebSocket (domain/live.ts): a snapshot on connect, then one delta per
 * `deltaIntervalMs` when something changed. One batch is taken from `app.live` per interval and
 * sent to every browser, each with its own `seq`.
 *
 * A browser that cannot keep up (more than `maxBufferedBytes` waiting in its socket) is dropped:
 * it reconnects and starts again from a fresh snapshot, which costs less than the server
 * buffering without limit. Dead connections are found by ping/pong and ended.
 */
import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { LIVE_WS_PATH, type ServerEventTopic, type SnapshotMessage } from '../../domain/live';
import { Errors } from '../errors';

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
  publish(topic: ServerEventTopic, data: unknown, audience?: (viewer: StreamViewer | null) => boolean): void;
  /** How a browser's `{"type":"auth","token":…}` message becomes a viewer (set by the auth plugin). */
  setAuthenticator(authenticate: (token: string) => Promise<StreamViewer | null>): void;
}

/** Who is behind a socket, once it sent a valid token. */
export interface StreamViewer {
  userId: string;
  role: string;
  departmentId?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    stream: LiveStream;
  }
}

interface Connection {
  seq: number;
  alive: boolean;
  viewer: StreamViewer | null;
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
    const connections = new Map<WebSocket, Connection>();
    let dropped = 0;

    let authenticate: ((token: string) => Promise<StreamViewer | null>) | undefined;

    // Browsers send only their login token; a small limit keeps a misbehaving one from costing memory.
    await app.register(websocket, { options: { maxPayload: 4096 } });

    app.get(LIVE_WS_PATH, { websocket: true }, (socket, request) => {
      const conn: Connection = { seq: 1, alive: true, viewer: null };
      connections.set(socket, conn);
      // `{"type":"auth","token":"…"}` (again after a new login; null token logs out). The token
      // travels in a message, not the URL, so it never lands in access logs.
      socket.on('message', (raw) => {
        let message: { type?: unknown; token?: unknown };
        try {
          message = JSON.parse(String(raw)) as typeof message;
        } catch {
          return;
        }
        if (message?.type !== 'auth') return;
        if (typeof message.token !== 'string' || !authenticate) {
          conn.viewer = null;
          return;
        }
        authenticate(message.token).then(
          (viewer) => {
            conn.viewer = viewer;
          },
          () => {
            conn.viewer = null;
          },
        );
      });
      socket.on('close', () => connections.delete(socket));
      socket.on('error', (err) => request.log.debug({ err: err.message }, 'live socket error'));
      socket.on('pong', () => {
        conn.alive = true;
      });
      const snapshot: SnapshotMessage = { type: 'snapshot', seq: conn.seq, serverTime: Date.now(), ...live.snapshot() };
      socket.send(JSON.stringify(snapshot));
    });

    /** Sends `{"type":…,"seq":n,"serverTime":…,<shared>` to every (admitted) browser, dropping slow ones. */
    const sendToAll = (type: 'delta' | 'event', shared: string, audience?: (viewer: StreamViewer | null) => boolean): void => {
      const serverTime = Date.now();
      for (const [socket, conn] of connections) {
        if (socket.readyState !== socket.OPEN) continue;
        if (audience && !audience(conn.viewer)) continue;
        if (socket.bufferedAmount > maxBufferedBytes) {
          dropped += 1;
          app.log.warn({ bufferedBytes: socket.bufferedAmount }, 'dropping a live browser that cannot keep up');
          socket.terminate();
          connections.delete(socket);
          continue;
        }
        conn.seq += 1;
        socket.send(`{"type":"${type}","seq":${conn.seq},"serverTime":${serverTime},${shared}`);
      }
    };

    const flush = (): void => {
      const batch = live.takeDelta();
      if (!batch || connections.size === 0) return;
      // Serialise the shared part once; each browser only gets its own `seq` spliced in front.
      sendToAll('delta', JSON.stringify(batch).slice(1));
    };

    const publish: LiveStream['publish'] = (topic, data, audience) => {
      if (connections.size === 0) return;
      sendToAll('event', JSON.stringify({ topic, data }).slice(1), audience);
    };

    const heartbeat = (): void => {
      for (const [socket, conn] of connections) {
        if (!conn.alive) {
          socket.terminate();
          connections.delete(socket);
          continue;
        }
        conn.alive = false;
        socket.ping();
      }
    };

    const deltaTimer = setInterval(flush, deltaIntervalMs);
    const heartbeatTimer = setInterval(heartbeat, heartbeatMs);
    deltaTimer.unref();
    heartbeatTimer.unref();

    app.decorate<LiveStream>('stream', {
      browsers: () => connections.size,
      dropped: () => dropped,
      publish,
      setAuthenticator: (fn) => {
        authenticate = fn;
      },
    });
    app.addHook('onClose', async () => {
      clearInterval(deltaTimer);
      clearInterval(heartbeatTimer);
    });
  },
  { name: 'citytwin-stream', fastify: '5.x', dependencies: ['citytwin-live'] },
);
