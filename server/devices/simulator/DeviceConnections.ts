/**
 * One MQTT connection per simulated terminal, as field devices have: each logs in with its own
 * credential (username = terminal id), leaves a retained `offline` status as its last will, and
 * publishes at QoS 1. Connections open a batch at a time so a fleet of thousands does not hit the
 * broker with thousands of simultaneous handshakes.
 *
 * `drop` ends a device's connection the way a power cut or a lost radio link does (the socket
 * closes without an MQTT DISCONNECT), so the broker publishes its will; `restore` reconnects it.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { PAYLOAD_VERSION, type StatusPayload } from '../../../domain/payloads';
import { commandTopic, terminalTopic } from '../../../domain/topics';
import type { Credential } from '../broker/credentials';

/** How long a closing device waits for its last acknowledgements before it hangs up anyway. */
const CLOSE_WAIT_MS = 1000;

export interface DeviceConnectionsOptions {
  url: string;
  terminalIds: readonly string[];
  credentialFor: (terminalId: string) => Credential;
  /** Connections opened at once during start; default 100. */
  concurrency?: number;
  /** MQTT keep-alive in seconds; the broker sends the will after 1.5× this of silence. Default 30. */
  keepaliveS?: number;
  onError?: (err: Error) => void;
  /** Devices that subscribe to their command topic once connected, and where their commands go. */
  commands?: { listens(terminalId: string): boolean; onCommand(terminalId: string, payload: Buffer): void };
}

/** The will a device leaves: its status topic, retained, says `offline`. */
export function offlineWill(terminalId: string): { topic: string; payload: Buffer; qos: 1; retain: true } {
  const payload: StatusPayload = { v: PAYLOAD_VERSION, ts: Date.now(), status: 'offline', message: 'connection lost (last will)' };
  return { topic: terminalTopic(terminalId, 'status'), payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain: true };
}

export class DeviceConnections {
  private readonly clients = new Map<string, MqttClient>();
  /** Devices whose first connection failed, or whose client was given up: `restore` connects them anew. */
  private readonly failed = new Set<string>();
  /** Devices being connected anew by `restore`. */
  private readonly reopening = new Set<string>();
  /** Devices whose connection has been started, in `terminalIds` order. */
  private opened = 0;
  private closed = false;

  constructor(private readonly options: DeviceConnectionsOptions) {}

  get size(): number {
    return this.clients.size;
  }

  /**
   * Opens the connections of the first `count` devices not yet opened (all by default). By default
   * rejects with the first failure (a wrong URL, a refused login); with `keepGoing` a device that
   * fails (a handshake timed out on a loaded machine) is reported to `onError` and left to
   * `restore`, and the others still open — one slow handshake must not cost the fleet.
   */
  async open(count = Infinity, opts: { keepGoing?: boolean } = {}): Promise<void> {
    const ids = this.options.terminalIds;
    const until = Math.min(ids.length, this.opened + count);
    const concurrency = Math.max(1, this.options.concurrency ?? 100);
    const worker = async (): Promise<void> => {
      while (this.opened < until && !this.closed) {
        const id = ids[this.opened++]!;
        try {
          this.adopt(id, await this.connect(id));
        } catch (err) {
          if (!opts.keepGoing) throw err;
          this.failed.add(id);
          this.options.onError?.(err as Error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, until - this.opened) }, worker));
  }

  private adopt(id: string, client: MqttClient): void {
    // Closed while this one was connecting: it is not ours to keep.
    if (this.closed) client.end(true);
    else this.clients.set(id, client);
  }

  private async connect(terminalId: string): Promise<MqttClient> {
    const { username, password } = this.options.credentialFor(terminalId);
    const client = await mqtt.connectAsync(
      this.options.url,
      {
        clientId: terminalId,
        username,
        password,
        clean: true,
        keepalive: this.options.keepaliveS ?? 30,
        // The simulator decides when a device comes back (see restore), as a real outage would.
        reconnectPeriod: 0,
        connectTimeout: 30_000,
        will: offlineWill(terminalId),
      },
      false,
    );
    client.on('error', (err) => this.options.onError?.(err));
    const commands = this.options.commands;
    if (commands?.listens(terminalId)) {
      client.on('message', (_topic, payload) => commands.onCommand(terminalId, payload));
      // A clean session forgets it on every reconnect: subscribe on each connection.
      const subscribe = (): void => void client.subscribe(commandTopic(terminalId), { qos: 1 }, (err) => err && !this.closed && this.options.onError?.(err));
      subscribe();
      client.on('connect', subscribe);
    }
    return client;
  }

  /** Whether the device can publish now. */
  connected(terminalId: string): boolean {
    return this.clients.get(terminalId)?.connected ?? false;
  }

  publish(terminalId: string, topic: string, body: string, retain: boolean): boolean {
    const client = this.clients.get(terminalId);
    if (!client?.connected) return false;
    client.publish(topic, body, { qos: 1, retain }, (err) => {
      if (err && !this.closed) this.options.onError?.(err);
    });
    return true;
  }

  /** Cuts the device off without a DISCONNECT, so the broker publishes its last will. */
  drop(terminalId: string): void {
    this.clients.get(terminalId)?.stream?.destroy();
  }

  /**
   * Reconnects a dropped device on a new connection (its will armed again). One handshake at a
   * time per device: mqtt.js's own `reconnect()` starts a new socket even while a handshake is
   * under way, and on a loaded machine, where a handshake outlasts the next report, a device that
   * retried on every report kept taking over its own half-open sessions and never came back.
   * A device whose first connection failed comes back the same way.
   */
  restore(terminalId: string): void {
    if (this.closed || this.reopening.has(terminalId)) return;
    const client = this.clients.get(terminalId);
    if (client?.connected) return;
    if (!client && !this.failed.has(terminalId)) return; // Not opened yet: the opening gets to it.
    if (client) {
      client.end(true);
      this.clients.delete(terminalId);
    }
    this.reopening.add(terminalId);
    this.connect(terminalId)
      .then(
        (fresh) => {
          this.failed.delete(terminalId);
          this.adopt(terminalId, fresh);
        },
        (err: Error) => {
          this.failed.add(terminalId);
          if (!this.closed) this.options.onError?.(err);
        },
      )
      .finally(() => this.reopening.delete(terminalId));
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.clients.values()];
    this.clients.clear();
    // A clean DISCONNECT: the broker discards the wills, as it should for a planned shutdown. A
    // message the link lost during a simulated outage may never be acknowledged; do not wait for it.
    await Promise.all(
      clients.map(async (c) => {
        let timer: NodeJS.Timeout | undefined;
        const hangUp = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            c.stream?.destroy();
            resolve();
          }, CLOSE_WAIT_MS);
        });
        await Promise.race([c.endAsync().catch(() => undefined), hangUp]);
        clearTimeout(timer);
      }),
    );
  }
}
