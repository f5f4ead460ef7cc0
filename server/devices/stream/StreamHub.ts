/**
 * The browsers on the live WebSocket (domain/live.ts) and what they are sent: a snapshot on
 * connect, then deltas and server events, each with the browser's own `seq`. A browser that
 * cannot keep up (more than `maxBufferedBytes` waiting in its socket) is dropped: it reconnects
 * and starts again from a fresh snapshot, which costs less than the server buffering without
 * limit. Dead connections are found by ping/pong (`heartbeat`) and ended.
 *
 * Cost per browser stays small so hundreds of viewers (an operation centre and its walls) do not
 * slow the API: the snapshot is serialised once and shared by every socket that connects before
 * the next delta batch (they all need the same state), and each address may hold at most
 * `maxSocketsPerAddress` sockets, so one client cannot open thousands.
 *
 * It needs no Fastify: the stream plugin (plugin.ts) hands it each socket and drives its timers.
 */
import type { WebSocket } from 'ws';
import type { ServerEventTopic, SnapshotMessage } from '../../../domain/live';
import type { SnapshotBody } from '../state/types';
import type { DeltaBatch } from './DeltaQueue';

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

/** Who is behind a socket, once it sent a valid token. */
export interface StreamViewer {
  userId: string;
  role: string;
  departmentId?: string;
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

export interface StreamHubOptions {
  /** Bytes a browser may have waiting before it is dropped. */
  maxBufferedBytes: number;
  /** What a browser gets first. */
  snapshot(): SnapshotBody;
  /** Sockets one client address may hold at once. */
  maxSocketsPerAddress: number;
  log: { warn(obj: object, msg: string): void };
}

interface SocketLog {
  debug(obj: object, msg: string): void;
}

export class StreamHub {
  private readonly connections = new Map<WebSocket, Connection>();
  private droppedCount = 0;
  private authenticate: ((token: string) => Promise<StreamViewer | null>) | undefined;
  /** Open sockets per client address. */
  private readonly perAddress = new Map<string, number>();
  /** The snapshot message as sent, shared until the next delta batch. */
  private snapshotCache: Buffer | undefined;

  constructor(private readonly opts: StreamHubOptions) {}

  /** Whether `address` may open another socket (checked before the upgrade). */
  admitsAddress(address: string): boolean {
    return (this.perAddress.get(address) ?? 0) < this.opts.maxSocketsPerAddress;
  }

  /** Browsers connected now. */
  browsers(): number {
    return this.connections.size;
  }

  /** Browsers dropped for being too slow, since start. */
  dropped(): number {
    return this.droppedCount;
  }

  /** How a browser's `{"type":"auth","token":…}` message becomes a viewer. */
  setAuthenticator(authenticate: (token: string) => Promise<StreamViewer | null>): void {
    this.authenticate = authenticate;
  }

  /** Takes a newly opened socket: sends it the snapshot and follows its messages until it closes. */
  attach(socket: WebSocket, log: SocketLog, address: string): void {
    const conn: Connection = { seq: 1, alive: true, viewer: null };
    this.connections.set(socket, conn);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    // `{"type":"auth","token":"…"}` (again after a new login; null token logs out). The token
    // travels in a message, not the URL, so it never lands in access logs.
    let authSeq = 0;
    let recheck: NodeJS.Timeout | undefined;
    const signIn = (token: string | null): void => {
      // Only the latest message's answer counts: an older, slower lookup must not win.
      const seq = ++authSeq;
      clearTimeout(recheck);
      const authenticate = this.authenticate;
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
      this.connections.delete(socket);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    socket.on('error', (err) => log.debug({ err: err.message }, 'live socket error'));
    socket.on('pong', () => {
      conn.alive = true;
    });
    // A Buffer goes out as a text frame only with `binary: false`; the browser parses it as JSON.
    socket.send(this.snapshotMessage(), { binary: false });
  }

  private snapshotMessage(): Buffer {
    if (!this.snapshotCache) {
      const snapshot: SnapshotMessage = { type: 'snapshot', seq: 1, serverTime: Date.now(), ...this.opts.snapshot() };
      this.snapshotCache = Buffer.from(JSON.stringify(snapshot));
    }
    return this.snapshotCache;
  }

  /** Sends one delta batch to every browser. */
  sendDelta(batch: DeltaBatch): void {
    // Browsers that connect from now on need the state with this batch applied.
    this.snapshotCache = undefined;
    if (this.connections.size === 0) return;
    // Serialise the shared part once; each browser only gets its own `seq` spliced in front.
    this.sendToAll('delta', JSON.stringify(batch).slice(1));
  }

  /** Sends a server event to every browser `audience` admits. */
  deliver(topic: ServerEventTopic, data: unknown, audience?: EventAudience): void {
    if (this.connections.size === 0) return;
    this.sendToAll('event', JSON.stringify({ topic, data }).slice(1), audience);
  }

  /** Ends the browsers that did not answer the previous ping, and pings the others. */
  heartbeat(): void {
    for (const [socket, conn] of this.connections) {
      if (!conn.alive) {
        socket.terminate();
        this.connections.delete(socket);
        continue;
      }
      conn.alive = false;
      socket.ping();
    }
  }

  /** Sends `{"type":…,"seq":n,"serverTime":…,<shared>` to every (admitted) browser, dropping slow ones. */
  private sendToAll(type: 'delta' | 'event', shared: string, audience?: EventAudience): void {
    const serverTime = Date.now();
    for (const [socket, conn] of this.connections) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!admits(audience, conn.viewer)) continue;
      if (socket.bufferedAmount > this.opts.maxBufferedBytes) {
        this.droppedCount += 1;
        this.opts.log.warn({ bufferedBytes: socket.bufferedAmount }, 'dropping a live browser that cannot keep up');
        socket.terminate();
        this.connections.delete(socket);
        continue;
      }
      conn.seq += 1;
      socket.send(`{"type":"${type}","seq":${conn.seq},"serverTime":${serverTime},${shared}`);
    }
  }
}
