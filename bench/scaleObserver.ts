/**
 * A browser on one instance, for the scale benchmark: a WebSocket client on /ws/live that takes
 * the end-to-end latency of every reading a delta carries — receipt time minus the device's
 * publish time (`ts`) — for readings published since the current window opened.
 *
 * With two instances, each browser's deltas hold the readings its own instance ingested and
 * those the other instance ingested and handed over (the cluster fan-out), so its latencies
 * include the cost of the hand-over for about half the readings.
 */
import WebSocket from 'ws';
import { LIVE_WS_PATH, type LiveMessage } from '../domain/live';
import { distribution, type Distribution } from './support/stats';

export interface ObserverWindow {
  /** Readings seen in deltas since the window opened. */
  readings: number;
  latencyMs: Distribution | undefined;
  /**
   * The server's part: delta sent (its `serverTime`) minus publish time. What the latency adds
   * to it is the socket and this process, which on a busy machine waits for a core too.
   */
  serverMs: Distribution | undefined;
  deltas: number;
  bytes: number;
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export class LiveObserver {
  private windowStart = Infinity;
  private latencies: number[] = [];
  private serverLatencies: number[] = [];
  private deltas = 0;
  private bytes = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(rawText(data)));
  }

  /** Connects and waits for the snapshot; resolves with the observer and the snapshot's terminal count. */
  static async connect(httpUrl: string, timeoutMs = 30_000): Promise<{ observer: LiveObserver; terminals: number }> {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws') + LIVE_WS_PATH);
    const terminals = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no live snapshot from ${httpUrl} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('message', (data) => {
        clearTimeout(timer);
        const first = JSON.parse(rawText(data)) as LiveMessage;
        if (first.type === 'snapshot') resolve(first.terminals.length);
        else reject(new Error(`expected a snapshot first from ${httpUrl}, got ${first.type}`));
      });
    });
    return { observer: new LiveObserver(socket), terminals };
  }

  /** Forgets what was measured and counts readings published at or after `since` (ms epoch). */
  open(since: number): void {
    this.windowStart = since;
    this.latencies = [];
    this.serverLatencies = [];
    this.deltas = 0;
    this.bytes = 0;
  }

  /** What was measured since `open`. */
  window(): ObserverWindow {
    return {
      readings: this.latencies.length,
      latencyMs: distribution(this.latencies),
      serverMs: distribution(this.serverLatencies),
      deltas: this.deltas,
      bytes: this.bytes,
    };
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private onMessage(text: string): void {
    const receivedAt = Date.now();
    this.bytes += text.length;
    const message = JSON.parse(text) as LiveMessage;
    if (message.type !== 'delta') return;
    this.deltas += 1;
    for (const t of message.terminals) {
      // Status-only entries (a terminal gone silent) carry no new reading.
      if (!t.values || t.ts < this.windowStart) continue;
      this.latencies.push(receivedAt - t.ts);
      this.serverLatencies.push(message.serverTime - t.ts);
    }
  }
}
