/**
 * How the instances of one deployment hear of each other: an MQTT client on the deployment's
 * broker (domain/clusterTopics.ts). It keeps the member list (retained presence, emptied by each
 * instance's last will, so a killed instance leaves the list as soon as the broker notices), and
 * carries two kinds of message between instances: live state batches and server events.
 *
 * Payloads are JSON, split by the sender into messages of at most `maxMessageBytes` (brokers cap
 * message size; Mosquitto's ACL file here allows 64 KiB). Everything is QoS 1; the session is
 * clean, because after a reconnect an instance announces itself again and the others answer
 * with their whole state (see `onJoin`), which covers whatever it missed.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { clusterTopic, CLUSTER_PREFIX, parseClusterTopic } from '../../domain/clusterTopics';
import { ownerOf } from './rendezvous';

export interface ClusterBusOptions {
  url: string;
  username?: string;
  password?: string;
  instanceId: string;
  /** Largest message sent; default 48 KiB. */
  maxMessageBytes?: number;
  /**
   * How often an instance repeats its presence; one not heard for three of these is dropped from
   * the members (a retained presence can outlive its instance when the broker restarted while it
   * died, and no last will is sent then). Default 10 s.
   */
  heartbeatMs?: number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** What an instance announces about itself. */
export interface MemberInfo {
  instanceId: string;
  /** Changes on every (re)connection: a new epoch means "send me your state". */
  epoch: number;
}

type Handler<T> = (origin: string, payload: T) => void;

export class ClusterBus {
  readonly instanceId: string;
  private readonly client: MqttClient;
  private readonly epochs = new Map<string, number>();
  /** When each other member was last heard from (presence or any message). */
  private readonly lastHeard = new Map<string, number>();
  private epoch = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;
  private sortedMembers: string[];
  private readonly liveHandlers: Array<Handler<unknown>> = [];
  private readonly eventHandlers: Array<Handler<unknown>> = [];
  private readonly joinHandlers: Array<(instanceId: string) => void> = [];
  private readonly leaveHandlers: Array<(instanceId: string) => void> = [];
  private readonly maxMessageBytes: number;
  private closing = false;
  private started = false;
  private ownPresenceCleared: (() => void) | undefined;
  private awaitingState = new Set<string>();
  private resolveSync!: () => void;
  private readonly syncDone = new Promise<void>((resolve) => (this.resolveSync = resolve));

  private constructor(client: MqttClient, private readonly opts: ClusterBusOptions) {
    this.client = client;
    this.instanceId = opts.instanceId;
    this.sortedMembers = [opts.instanceId];
    this.maxMessageBytes = opts.maxMessageBytes ?? 48 * 1024;
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
  }

  static async connect(opts: ClusterBusOptions): Promise<ClusterBus> {
    const presence = clusterTopic('members', opts.instanceId);
    const client = await mqtt.connectAsync(
      opts.url,
      {
        clientId: `citytwin-cluster-${opts.instanceId}`,
        clean: true,
        username: opts.username,
        password: opts.password,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
        // An empty retained message deletes the retained presence: the member list forgets us.
        will: { topic: presence, payload: Buffer.alloc(0), qos: 1, retain: true },
      },
      false,
    );
    const bus = new ClusterBus(client, opts);
    client.on('message', (topic, payload) => bus.onMessage(topic, payload));
    client.on('error', (err) => {
      if (!bus.closing) opts.log.warn({ err: err.message }, 'cluster bus MQTT error');
    });
    await client.subscribeAsync(`${CLUSTER_PREFIX}/+/+`, { qos: 1 });
    // The broker sends the retained presences right after the subscription is granted. Clearing
    // our own (a stale one from a crash) and waiting for that to come back means every presence
    // before it has arrived too, so `start()` knows the members it must wait for.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      bus.ownPresenceCleared = () => {
        clearTimeout(timer);
        resolve();
      };
      client.publish(presence, Buffer.alloc(0), { qos: 1, retain: true });
    });
    return bus;
  }

  /**
   * Joins the cluster: announces this instance (the others answer with their state) and does so
   * again after every reconnection. Call once the handlers are in place, or answers are missed.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // The members already known answer the announcement with their state; `synced()` waits for it.
    this.awaitingState = new Set(this.epochs.keys());
    this.settleSync();
    this.client.on('connect', () => void this.announce().catch((err: Error) => this.opts.log.warn({ err: err.message }, 'cluster bus could not announce itself')));
    await this.announce();
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Repeats this instance's presence (same epoch: not a new join) and drops members gone quiet. */
  private beat(): void {
    if (this.client.connected) this.publishPresence(this.epoch).catch((err: Error) => this.opts.log.warn({ err: err.message }, 'cluster heartbeat not sent'));
    const quietSince = Date.now() - 3 * this.heartbeatMs;
    for (const [instanceId, heard] of this.lastHeard) {
      if (heard >= quietSince) continue;
      this.opts.log.warn({ instanceId }, 'cluster member silent for three heartbeats, dropped');
      // Its retained presence would make every newcomer count it again.
      if (this.client.connected) this.client.publish(clusterTopic('members', instanceId), Buffer.alloc(0), { qos: 1, retain: true });
      this.memberLeft(instanceId);
    }
  }

  /**
   * Resolves once every instance that was a member at `start()` has sent its state (or left),
   * or after `timeoutMs`: the ingest waits for it, so a restarted instance knows which messages
   * it already took before the broker hands it its backlog.
   */
  synced(timeoutMs = 3000): Promise<void> {
    return Promise.race([this.syncDone, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private settleSync(): void {
    if (this.started && this.awaitingState.size === 0) this.resolveSync();
  }

  /** Every live instance's id, sorted, this one included. */
  members(): readonly string[] {
    return this.sortedMembers;
  }

  /** Whether this instance looks after `key` among the members now. */
  owns(key: string): boolean {
    return ownerOf(key, this.sortedMembers) === this.instanceId;
  }

  connected(): boolean {
    return this.client.connected;
  }

  onLive(handler: Handler<unknown>): void {
    this.liveHandlers.push(handler);
  }

  onEvent(handler: Handler<unknown>): void {
    this.eventHandlers.push(handler);
  }

  /** Told when another instance starts or reconnects (and so needs this one's state). */
  onJoin(handler: (instanceId: string) => void): void {
    this.joinHandlers.push(handler);
  }

  onLeave(handler: (instanceId: string) => void): void {
    this.leaveHandlers.push(handler);
  }

  /** Sends parts (each one JSON message) on this instance's live topic. */
  publishLive(parts: readonly unknown[]): void {
    this.send(clusterTopic('live', this.instanceId), parts);
  }

  publishEvent(event: unknown): void {
    this.send(clusterTopic('events', this.instanceId), [event]);
  }

  get messageBudget(): number {
    return this.maxMessageBytes;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.client.connected) {
      await this.client.publishAsync(clusterTopic('members', this.instanceId), Buffer.alloc(0), { qos: 1, retain: true }).catch(() => undefined);
    }
    await this.client.endAsync();
  }

  private async announce(): Promise<void> {
    // A clean session forgets subscriptions on reconnection; subscribing again is harmless.
    await this.client.subscribeAsync(`${CLUSTER_PREFIX}/+/+`, { qos: 1 });
    this.epoch = Date.now();
    await this.publishPresence(this.epoch);
  }

  private publishPresence(epoch: number): Promise<unknown> {
    const info: MemberInfo = { instanceId: this.instanceId, epoch };
    return this.client.publishAsync(clusterTopic('members', this.instanceId), JSON.stringify(info), { qos: 1, retain: true });
  }

  private send(topic: string, parts: readonly unknown[]): void {
    if (this.closing) return;
    for (const part of parts) {
      const text = JSON.stringify(part);
      if (Buffer.byteLength(text) > this.maxMessageBytes) {
        this.opts.log.warn({ topic, bytes: Buffer.byteLength(text) }, 'cluster message over the size limit, not sent');
        continue;
      }
      // While disconnected mqtt.js queues QoS 1 messages and sends them on reconnection.
      this.client.publish(topic, text, { qos: 1 }, (err) => {
        if (err && !this.closing) this.opts.log.warn({ err: err.message, topic }, 'cluster message not sent');
      });
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseClusterTopic(topic);
    if (!parsed) return;
    const { channel, instanceId } = parsed;
    if (channel === 'members') return this.onPresence(instanceId, payload);
    if (instanceId === this.instanceId) return;
    if (this.lastHeard.has(instanceId)) this.lastHeard.set(instanceId, Date.now());
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.opts.log.warn({ topic }, 'cluster message is not JSON, ignored');
      return;
    }
    const handlers = channel === 'live' ? this.liveHandlers : this.eventHandlers;
    for (const handler of handlers) handler(instanceId, body);
    if (channel === 'live' && this.awaitingState.delete(instanceId)) this.settleSync();
  }

  private onPresence(instanceId: string, payload: Buffer): void {
    if (instanceId === this.instanceId) {
      if (payload.length === 0) this.ownPresenceCleared?.();
      return;
    }
    if (payload.length === 0) return this.memberLeft(instanceId);
    let info: MemberInfo;
    try {
      info = JSON.parse(payload.toString('utf8')) as MemberInfo;
    } catch {
      return;
    }
    if (typeof info.epoch !== 'number') return;
    this.lastHeard.set(instanceId, Date.now());
    if (this.epochs.get(instanceId) === info.epoch) return;
    this.epochs.set(instanceId, info.epoch);
    this.refreshMembers();
    this.opts.log.info({ instanceId }, 'cluster member joined');
    for (const handler of this.joinHandlers) handler(instanceId);
  }

  private memberLeft(instanceId: string): void {
    this.lastHeard.delete(instanceId);
    if (!this.epochs.delete(instanceId)) return;
    this.refreshMembers();
    if (this.awaitingState.delete(instanceId)) this.settleSync();
    this.opts.log.info({ instanceId }, 'cluster member left');
    for (const handler of this.leaveHandlers) handler(instanceId);
  }

  private refreshMembers(): void {
    this.sortedMembers = [this.instanceId, ...this.epochs.keys()].sort();
  }
}
