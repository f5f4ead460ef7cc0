/**
 * The live WebSocket (domain/live.ts): a snapshot on connect, then one delta per
 * `deltaIntervalMs` when something changed. One batch is taken from `app.live` per interval and
 * sent to every browser, each with its own `seq`.
 *
 * A browser that cannot keep up (more than `maxBufferedBytes` waiting in its socket) is dropped:
 * it reconnects and starts again from a fresh snapshot, which costs less than the server
 * buffering without limit. Dead connections are found by ping/pong and ended.
 *
 * Cost per browser stays small so hundreds of viewers (an operation centre and its walls) do not
 * slow the API: the snapshot is serialised once per delta interval and shared by every socket that
 * connects within it (a snapshot taken after a delta batch was taken and before the next is the
 * same for all of them), and each address may hold at most `maxSocketsPerAddress` sockets (more
 * get 429 before the upgrade), so one client cannot open thousands.
 */
import websocket from '@fastify/websocket';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { LIVE_WS_PATH, SERVER_EVENT_TOPICS, type ServerEventTopic, type SnapshotMessage } from '../../domain/live';
import { Errors } from '../errors';

export interface StreamPluginOptions {
  /** Batching interval for deltas; default 250 ms. */
  deltaIntervalMs?: number;
  /** Bytes a browser may have waiting before it is dropped; default 8 MiB (several snapshots). */
  maxBufferedBytes?: number;
  /** Ping interval; a browser that has not answered the previous ping is ended. Default 30 s. */
  heartbeatMs?: number;
  /** Live sockets one address may hold at once; default env CITYTWIN_WS_MAX_PER_ADDRESS or 64. */
  maxSocketsPerAddress?: number;
}

export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 64;

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

/**
 * Who may receive a server event. Plain data, not a function, so an event raised on one
 * instance of a cluster is filtered by the same rule on every other instance's browsers.
 */
export interface EventAudience {
  /** Only logged-in viewers. */
  loggedIn?: boolean;
  /** Only these roles (implies logged in). */
  roles?: readonly string[];
  /** When present, handlers see the event only if it concerns their department (null: none). */
  handlerDepartment?: string | null;
}

/** Whether `viewer` (null: not logged in) is in `audience` (absent: everyone). */
export function admits(audience: EventAudience | undefined, viewer: StreamViewer | null): boolean {
  if (!audience) return true;
  const restricted = audience.loggedIn === true || audience.roles !== undefined || audience.handlerDepartment !== undefined;
  if (!restricted) return true;
  if (!viewer) return false;
  if (audience.roles && !audience.roles.includes(viewer.role)) return false;
  if (audience.handlerDepartment !== undefined && viewer.role === 'handler') {
    return audience.handlerDepartment !== null && viewer.departmentId === audience.handlerDepartment;
  }
  return true;
}

/** A server event as it travels between the instances of a cluster. */
interface RelayedEvent {
  topic: ServerEventTopic;
  data: unknown;
  audience?: EventAudience;
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

/** Messages a browser may send per minute before it is disconnected. */
const MAX_MESSAGES_PER_MINUTE = 20;
/** How often a signed-in socket's token and user are checked again. */
const VIEWER_RECHECK_MS = 60_000;

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
    const perAddressEnv = process.env.CITYTWIN_WS_MAX_PER_ADDRESS;
    const maxSocketsPerAddress = opts.maxSocketsPerAddress ?? (perAddressEnv ? Number(perAddressEnv) : DEFAULT_MAX_SOCKETS_PER_ADDRESS);
    for (const [name, value] of Object.entries({ deltaIntervalMs, maxBufferedBytes, heartbeatMs })) {
      if (!(Number.isFinite(value) && value > 0)) throw new Errors.BadOption(`stream: ${name} must be a positive number`);
    }
    if (!(Number.isInteger(maxSocketsPerAddress) && maxSocketsPerAddress > 0)) {
      throw new Errors.BadOption(`stream: maxSocketsPerAddress (or env CITYTWIN_WS_MAX_PER_ADDRESS) must be a positive integer, got ${opts.maxSocketsPerAddress ?? perAddressEnv}`);
    }
    /** Open sockets per client address (the proxy-resolved `request.ip`). */
    const socketsPerAddress = new Map<string, number>();
    /** The snapshot message as sent, shared until the next delta batch is taken. */
    let snapshotCache: Buffer | undefined;
    const snapshotMessage = (): Buffer => {
      if (!snapshotCache) {
        const snapshot: SnapshotMessage = { type: 'snapshot', seq: 1, serverTime: Date.now(), ...live.snapshot() };
        snapshotCache = Buffer.from(JSON.stringify(snapshot));
      }
      return snapshotCache;
    };
    const live = app.live;
    const connections = new Map<WebSocket, Connection>();
    let dropped = 0;

    let authenticate: ((token: string) => Promise<StreamViewer | null>) | undefined;

    // Browsers send only their login token; a small limit keeps a misbehaving one from costing memory.
    await app.register(websocket, { options: { maxPayload: 4096 } });

    const admitAddress = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if ((socketsPerAddress.get(request.ip) ?? 0) < maxSocketsPerAddress) return;
      const err = new Errors.RateLimited(`too many live sockets: one address may hold ${maxSocketsPerAddress} at once; close some first`);
      await reply.code(429).send({ statusCode: 429, code: err.code, error: 'Too Many Requests', message: err.message });
    };

    app.get(LIVE_WS_PATH, { websocket: true, preValidation: admitAddress }, (socket, request) => {
      const conn: Connection = { seq: 1, alive: true, viewer: null };
      connections.set(socket, conn);
      const address = request.ip;
      socketsPerAddress.set(address, (socketsPerAddress.get(address) ?? 0) + 1);
      // `{"type":"auth","token":"…"}` (again after a new login; null token logs out). The token
      // travels in a message, not the URL, so it never lands in access logs.
      let authSeq = 0;
      let recheck: NodeJS.Timeout | undefined;
      const signIn = (token: string | null): void => {
        // Only the latest message's answer counts: an older, slower lookup must not win.
        const seq = ++authSeq;
        clearTimeout(recheck);
        if (token === null || !authenticate) {
          conn.viewer = null;
          return;
        }
        authenticate(token).then(
          (viewer) => {
            if (seq !== authSeq) return;
            conn.viewer = viewer;
            // Checked again while the socket stays open, so an expired token or a disabled user
            // stops receiving cases within VIEWER_RECHECK_MS.
            if (viewer) recheck = setTimeout(() => signIn(token), VIEWER_RECHECK_MS).unref();
          },
          () => {
            if (seq === authSeq) conn.viewer = null;
          },
        );
      };
      let windowStart = Date.now();
      let messagesInWindow = 0;
      socket.on('message', (raw) => {
        const now = Date.now();
        if (now - windowStart >= 60_000) {
          windowStart = now;
          messagesInWindow = 0;
        }
        // A browser sends a token on connect and at each login or logout; more is a script
        // guessing tokens (each a user lookup) or flooding: it is cut off (1008 policy violation).
        if (++messagesInWindow > MAX_MESSAGES_PER_MINUTE) {
          signIn(null);
          socket.close(1008, 'too many messages');
          return;
        }
        let message: { type?: unknown; token?: unknown };
        try {
          message = JSON.parse(String(raw)) as typeof message;
        } catch {
          return;
        }
        if (message?.type !== 'auth') return;
        signIn(typeof message.token === 'string' ? message.token : null);
      });
      socket.on('close', () => {
        signIn(null);
        connections.delete(socket);
        const left = (socketsPerAddress.get(address) ?? 1) - 1;
        if (left > 0) socketsPerAddress.set(address, left);
        else socketsPerAddress.delete(address);
      });
      socket.on('error', (err) => request.log.debug({ err: err.message }, 'live socket error'));
      socket.on('pong', () => {
        conn.alive = true;
      });
      // A Buffer goes out as a text frame only with `binary: false`; the browser parses it as JSON.
      socket.send(snapshotMessage(), { binary: false });
    });

    /** Sends `{"type":…,"seq":n,"serverTime":…,<shared>` to every (admitted) browser, dropping slow ones. */
    const sendToAll = (type: 'delta' | 'event', shared: string, audience?: EventAudience): void => {
      const serverTime = Date.now();
      for (const [socket, conn] of connections) {
        if (socket.readyState !== socket.OPEN) continue;
        if (!admits(audience, conn.viewer)) continue;
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
      if (!batch) return;
      // Browsers that connect from now on need the state with this batch applied.
      snapshotCache = undefined;
      if (connections.size === 0) return;
      // Serialise the shared part once; each browser only gets its own `seq` spliced in front.
      sendToAll('delta', JSON.stringify(batch).slice(1));
    };

    const deliver = (topic: ServerEventTopic, data: unknown, audience?: EventAudience): void => {
      if (connections.size === 0) return;
      sendToAll('event', JSON.stringify({ topic, data }).slice(1), audience);
    };
    const bus = app.cluster.bus;
    const publish: LiveStream['publish'] = (topic, data, audience) => {
      deliver(topic, data, audience);
      // The other instances' browsers get it too, filtered there by the same audience.
      bus?.publishEvent({ topic, data, audience } satisfies RelayedEvent);
    };
    bus?.onEvent((_origin, body) => {
      const event = body as RelayedEvent;
      if (!event || !(SERVER_EVENT_TOPICS as readonly string[]).includes(event.topic)) return;
      deliver(event.topic, event.data, event.audience);
    });

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
  { name: 'citytwin-stream', fastify: '5.x', dependencies: ['citytwin-live', 'citytwin-cluster'] },
);
