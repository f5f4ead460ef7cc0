/**
 * The live stream (/ws/live): a WebSocket that reconnects with backoff and checks `seq`, so a
 * missed message leads to a fresh snapshot instead of silently drifting state.
 */
import { LIVE_WS_PATH, type LiveMessage } from '../../../../domain/live';
import { currentSession, onSessionChange } from '../../shared/session';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface LiveSocketHandlers {
  onMessage(message: LiveMessage, receivedAt: number): void;
  onState(state: ConnectionState): void;
}

const MAX_BACKOFF_MS = 10_000;

export class LiveSocket {
  private socket: WebSocket | undefined;
  private lastSeq = -1;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly handlers: LiveSocketHandlers) {}

  open(): void {
    this.closed = false;
    // Case events reach only logged-in users who may see them: tell the server who is watching.
    this.stopSessionWatch ??= onSessionChange(() => this.sendAuth());
    this.connect();
  }

  private stopSessionWatch: (() => void) | undefined;

  private sendAuth(): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type: 'auth', token: currentSession()?.token ?? null }));
  }

  close(): void {
    this.closed = true;
    this.stopSessionWatch?.();
    this.stopSessionWatch = undefined;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  private connect(): void {
    this.handlers.onState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const url = new URL(LIVE_WS_PATH, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    this.lastSeq = -1;
    socket.onmessage = (event) => {
      const receivedAt = Date.now();
      let message: LiveMessage;
      try {
        message = JSON.parse(event.data as string) as LiveMessage;
      } catch {
        return; // The server only sends JSON; anything else is a proxy's noise.
      }
      if (message.type === 'snapshot') {
        this.attempts = 0;
        this.handlers.onState('live');
      } else if (message.seq !== this.lastSeq + 1) {
        // A gap means a lost delta: start over from a snapshot.
        socket.close();
        return;
      }
      this.lastSeq = message.seq;
      this.handlers.onMessage(message, receivedAt);
    };
    socket.onopen = () => this.sendAuth();
    socket.onclose = () => {
      if (this.socket !== socket || this.closed) return;
      this.scheduleReconnect();
    };
    socket.onerror = () => socket.close();
  }

  private scheduleReconnect(): void {
    this.attempts++;
    this.handlers.onState('reconnecting');
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.attempts - 1, 5));
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
