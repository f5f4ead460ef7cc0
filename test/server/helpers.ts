/**
 * Small helpers for the server tests: a WebSocket client that records live messages and waits for
 * one matching a predicate, a polling wait, and payload builders.
 */
import WebSocket from 'ws';
import type { LiveMessage } from '../../domain/live';
import { LIVE_WS_PATH } from '../../domain/live';
import type { TelemetryValues, TerminalReportedStatus } from '../../domain/terminals';

export class LiveClient {
  readonly messages: LiveMessage[] = [];
  private waiters: Array<{ match: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as LiveMessage;
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  static async connect(httpUrl: string): Promise<LiveClient> {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws') + LIVE_WS_PATH);
    const client = new LiveClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** The first message (already received or still to come) that matches. */
  next<T extends LiveMessage>(match: (m: LiveMessage) => m is T, timeoutMs?: number): Promise<T>;
  next(match: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  next(match: (m: LiveMessage) => boolean, timeoutMs = 5000): Promise<LiveMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching live message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function telemetryJson(values: TelemetryValues, ts = Date.now()): string {
  return JSON.stringify({ v: 1, ts, values });
}

export function statusJson(status: TerminalReportedStatus, code?: string, ts = Date.now()): string {
  return JSON.stringify(code === undefined ? { v: 1, ts, status } : { v: 1, ts, status, code });
}

/** What a browser knows after folding the snapshot and deltas it received: statuses and open alarms. */
export interface FoldedLive {
  poles: Map<string, string>;
  terminals: Map<string, string>;
  alarms: Set<string>;
  /** Server events by topic, in arrival order. */
  events: Array<{ topic: string; data: unknown }>;
}

export function foldLive(messages: readonly LiveMessage[]): FoldedLive {
  const view: FoldedLive = { poles: new Map(), terminals: new Map(), alarms: new Set(), events: [] };
  for (const m of messages) {
    if (m.type === 'snapshot') {
      view.poles = new Map(m.poles);
      view.terminals = new Map(m.terminals);
      view.alarms = new Set(m.alarms.map((a) => a.id));
    } else if (m.type === 'delta') {
      for (const [id, status] of m.poles) view.poles.set(id, status);
      for (const t of m.terminals) view.terminals.set(t.id, t.status);
      for (const a of m.alarmsRaised) view.alarms.add(a.id);
      for (const id of m.alarmsCleared) view.alarms.delete(id);
    } else {
      view.events.push({ topic: m.topic, data: m.data });
    }
  }
  return view;
}
