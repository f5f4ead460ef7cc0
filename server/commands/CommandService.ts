/**
 * Sends commands to terminals and follows each to its result (docs/commands.md). Runs without
 * Fastify; the commands plugin (plugin.ts) wires it to the app.
 *
 *   issue ─ store the records (the audit trail, durable before anything is sent)
 *         ─ publish on …/{id}/commands, QoS 1 ─────────────────────────────▶ device
 *   ack   ◀─ …/{id}/acks: ok → acked, error → failed ◀─────────────────────── device
 *   state ◀─ the live state (this is one of its change sinks): the effect seen → succeeded
 *   timer ─ no ack in `ackTimeoutMs`: published again (same id), `retries` times, then timed-out;
 *           acked but no effect in `effectTimeoutMs`: failed ("effect not seen")
 *
 * The issuing instance owns a command until it is final: only it publishes (so a device gets it
 * once), and it hears every ack (each instance subscribes to all acks, not a shared share: acks
 * are one per command, and the one that owns it acts) and the state of every terminal (merged
 * from the other instances). Status changes go to the database in batches every `flushMs` and
 * to the sinks (the live stream fans out to every instance's browsers), so any instance shows
 * the result.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Alarm } from '../../domain/live';
import {
  checkCommand,
  expectedEffect,
  FINAL_COMMAND_STATUSES,
  parseAck,
  showsEffect,
  type AckPayload,
  type Command,
  type CommandIssuer,
  type CommandMessage,
  type CommandRecord,
  type CommandStatus,
} from '../../domain/commands';
import { PAYLOAD_VERSION } from '../../domain/payloads';
import type { TelemetryValues, TerminalType } from '../../domain/terminals';
import { ACK_SUBSCRIPTION, commandTopic, parseAckTopic } from '../../domain/topics';
import type { ChangeSink } from '../devices/state/ChangeSink';
import type { TerminalState } from '../devices/state/types';
import { Errors } from '../errors';
import type { CommandListQuery, CommandStorage } from '../storage/commandStorage';
import type { CommandSink } from './CommandSink';
import { RateLimiter, type RateLimit } from './RateLimiter';

export const DEFAULT_ACK_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;
/** Most orphaned commands one look settles (the oldest wait for the next look). */
const ORPHAN_SCAN_LIMIT = 50_000;

export interface CommandServiceOptions {
  url: string;
  username?: string;
  password?: string;
  instanceId: string;
  terminalType(terminalId: string): TerminalType | undefined;
  /** A terminal's latest readings and when they arrived (server ms). */
  stateOf(terminalId: string): { values: TelemetryValues; receivedAt: number } | undefined;
  storage: CommandStorage;
  /** No ack in this long: publish again; default 10 s. */
  ackTimeoutMs?: number;
  /** Publishes after the first before a command times out; default 2. */
  retries?: number;
  /** Acked but the state shows no effect after this long: failed; default 30 s. */
  effectTimeoutMs?: number;
  /** Requests per user (a group command is one); default 30 a minute. */
  perUser?: RateLimit;
  /** Commands per terminal; default 12 a minute. */
  perDevice?: RateLimit;
  /** Status changes are stored and announced in batches this often; default 100 ms. */
  flushMs?: number;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

interface Pending {
  record: CommandRecord;
  effect: TelemetryValues | undefined;
  /** Server ms of the latest publish: readings received after it count as the effect. */
  publishedAt: number;
  effectSeen: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class CommandService implements ChangeSink {
  private client: MqttClient | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly pendingByTerminal = new Map<string, Set<string>>();
  private readonly dirty = new Map<string, CommandRecord>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly sinks: CommandSink[] = [];
  private readonly users: RateLimiter;
  private readonly devices: RateLimiter;
  private readonly ackTimeoutMs: number;
  private readonly retries: number;
  private readonly effectTimeoutMs: number;
  private readonly flushMs: number;
  private closed = false;
  /** Acks that named no command this instance owns, or were malformed. */
  ignoredAcks = 0;

  constructor(private readonly opts: CommandServiceOptions) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.retries = opts.retries ?? DEFAULT_RETRIES;
    this.effectTimeoutMs = opts.effectTimeoutMs ?? 30_000;
    this.flushMs = opts.flushMs ?? 100;
    this.users = new RateLimiter(opts.perUser ?? { max: 30, windowMs: 60_000 });
    this.devices = new RateLimiter(opts.perDevice ?? { max: 12, windowMs: 60_000 });
  }

  addSink(sink: CommandSink): void {
    this.sinks.push(sink);
  }

  async connect(): Promise<void> {
    const { opts } = this;
    const client = await mqtt.connectAsync(opts.url, {
      clientId: `citytwin-commands-${opts.instanceId}-${randomUUID().slice(0, 8)}`,
      clean: true,
      username: opts.username,
      password: opts.password,
      reconnectPeriod: 1000,
      // As the simulator's devices: a start-up that connects thousands of them at once is slow to answer.
      connectTimeout: 30_000,
    });
    client.on('message', (topic, payload) => this.onAck(topic, payload));
    client.on('error', (err) => {
      if (!this.closed) opts.log.warn({ err: err.message }, 'command client error');
    });
    await client.subscribeAsync(ACK_SUBSCRIPTION, { qos: 1 });
    this.client = client;
  }

  /**
   * Checks and sends one command to each terminal: every terminal must take it (a 400 naming
   * the first that does not), the user and each device must be within their rate limits (429
   * naming the limit). Resolves once the records are stored and published; nothing is stored or
   * sent when any check fails.
   */
  issue(issuer: CommandIssuer, terminalIds: readonly string[], command: Command, groupId?: string): Promise<CommandRecord[]> {
    return this.issueEach(issuer, terminalIds.map((terminalId) => ({ terminalId, command })), groupId);
  }

  /**
   * As `issue`, with a command of its own for each terminal (a green wave's timing plans: one
   * offset per junction) — one request for the user's rate limit, all or nothing.
   */
  async issueEach(issuer: CommandIssuer, items: ReadonlyArray<{ terminalId: string; command: Command }>, groupId?: string): Promise<CommandRecord[]> {
    const now = Date.now();
    const checked = items.map(({ terminalId, command }) => {
      const type = this.opts.terminalType(terminalId);
      if (!type) throw new Errors.NotFound('terminal', terminalId);
      return { terminalId, type, command: checkCommand(type, command, `terminal (${terminalId})`) };
    });
    if (issuer.role !== 'scheduler') {
      if (this.users.left(issuer.userId, now) < 1) {
        throw new Errors.RateLimited(`command rate limit: at most ${this.users.limit.max} command requests per user per ${this.users.limit.windowMs / 1000} s; try again later`);
      }
      const busy = checked.find((c) => this.devices.left(c.terminalId, now) < 1);
      if (busy) {
        throw new Errors.RateLimited(`command rate limit: terminal ${busy.terminalId} has had ${this.devices.limit.max} commands in the last ${this.devices.limit.windowMs / 1000} s, the most one device takes; try again later`);
      }
      this.users.take(issuer.userId, now);
    }
    for (const c of checked) this.devices.take(c.terminalId, now);
    const records: CommandRecord[] = checked.map((c) => ({
      id: randomUUID(),
      terminalId: c.terminalId,
      terminalType: c.type,
      command: c.command,
      status: 'sent',
      issuedBy: issuer,
      ...(groupId ? { groupId } : {}),
      instanceId: this.opts.instanceId,
      createdAt: now,
      updatedAt: now,
      attempts: 1,
      history: [{ status: 'sent', at: now }],
    }));
    // The audit trail first: a command that was sent is always on record.
    await this.opts.storage.saveCommands(records);
    for (const record of records) {
      const entry: Pending = { record, effect: expectedEffect(record.command), publishedAt: 0, effectSeen: false, timer: undefined };
      this.pending.set(record.id, entry);
      let ids = this.pendingByTerminal.get(record.terminalId);
      if (!ids) this.pendingByTerminal.set(record.terminalId, (ids = new Set()));
      ids.add(record.id);
      this.publish(entry);
      for (const sink of this.sinks) sink.commandCreated(record);
    }
    return records.map((r) => structuredClone(r));
  }

  /** A command by id: the live record while this instance follows it, else the stored one. */
  async get(id: string): Promise<CommandRecord | undefined> {
    const live = this.pending.get(id)?.record ?? this.dirty.get(id);
    return live ? structuredClone(live) : this.opts.storage.getCommand(id);
  }

  async list(query: CommandListQuery): Promise<CommandRecord[]> {
    await this.flushNow();
    return this.opts.storage.listCommands(query);
  }

  /**
   * Settles as timed-out the stored commands still in flight (sent or acked) that no live instance
   * follows: those of an instance that stopped or died before their answer came (this one's
   * previous run included, at start-up). `isOrphan` says whose they are. Returns how many.
   */
  async resolveOrphans(isOrphan: (record: CommandRecord) => boolean, why: string): Promise<number> {
    await this.flushNow();
    const stale: CommandRecord[] = [];
    for (const status of ['sent', 'acked'] as const) {
      for (const r of await this.opts.storage.listCommands({ status, limit: ORPHAN_SCAN_LIMIT })) if (!this.pending.has(r.id) && isOrphan(r)) stale.push(r);
    }
    const now = Date.now();
    for (const record of stale) {
      record.status = 'timed-out';
      record.message = why;
      record.updatedAt = now;
      record.history.push({ status: 'timed-out', at: now });
      this.changed(record);
    }
    await this.flushNow();
    return stale.length;
  }

  /** Commands this instance still follows. */
  inFlight(): number {
    return this.pending.size;
  }

  private publish(entry: Pending): void {
    const { record } = entry;
    const message: CommandMessage = { v: PAYLOAD_VERSION, id: record.id, ts: Date.now(), ...record.command };
    entry.publishedAt = Date.now();
    this.client?.publish(commandTopic(record.terminalId), JSON.stringify(message), { qos: 1, retain: false }, (err) => {
      if (err && !this.closed) this.opts.log.warn({ err: err.message, commandId: record.id }, 'could not publish a command');
    });
    entry.timer = setTimeout(() => this.onAckTimeout(entry), this.ackTimeoutMs);
    entry.timer.unref();
  }

  private onAckTimeout(entry: Pending): void {
    const { record } = entry;
    if (record.status !== 'sent') return;
    if (record.attempts <= this.retries) {
      record.attempts += 1;
      record.updatedAt = Date.now();
      this.changed(record);
      this.publish(entry);
      return;
    }
    record.message = `no ack from the device after ${record.attempts} attempts ${this.ackTimeoutMs / 1000} s apart`;
    this.settle(entry, 'timed-out');
  }

  private onAck(topic: string, payload: Buffer): void {
    const terminalId = parseAckTopic(topic);
    const ack: AckPayload | undefined = terminalId ? parseAck(payload) : undefined;
    const entry = ack ? this.pending.get(ack.id) : undefined;
    // The broker lets a device ack only on its own topic; the id must also be a command sent to it.
    if (!ack || !entry || entry.record.terminalId !== terminalId || entry.record.status !== 'sent') {
      this.ignoredAcks += 1;
      return;
    }
    clearTimeout(entry.timer);
    if (ack.result === 'error') {
      entry.record.message = ack.message ?? 'the device reported an error';
      this.settle(entry, 'failed');
      return;
    }
    this.advance(entry, 'acked');
    const state = this.opts.stateOf(entry.record.terminalId);
    const seen = entry.effectSeen || (entry.effect !== undefined && state !== undefined && state.receivedAt >= entry.publishedAt && showsEffect(state.values, entry.effect));
    if (entry.effect === undefined || seen) {
      this.settle(entry, 'succeeded');
      return;
    }
    entry.timer = setTimeout(() => {
      entry.record.message = `the device acked but its state did not show the effect within ${this.effectTimeoutMs / 1000} s`;
      this.settle(entry, 'failed');
    }, this.effectTimeoutMs);
    entry.timer.unref();
  }

  // --- ChangeSink: the live state tells us what terminals report ---------------------------------

  terminalChanged(t: Readonly<TerminalState>): void {
    const ids = this.pendingByTerminal.get(t.id);
    if (!ids) return;
    for (const id of ids) {
      const entry = this.pending.get(id);
      if (!entry?.effect || t.receivedAt < entry.publishedAt || !showsEffect(t.values, entry.effect)) continue;
      if (entry.record.status === 'acked') {
        clearTimeout(entry.timer);
        this.settle(entry, 'succeeded');
      } else {
        // Seen before the ack arrived (acks and readings travel on different connections).
        entry.effectSeen = true;
      }
    }
  }

  poleChanged(): void {}
  alarmRaised(_alarm: Alarm): void {}
  alarmRenewed(_alarm: Alarm): void {}
  alarmCleared(): void {}

  // --- status changes ---------------------------------------------------------------------------

  private advance(entry: Pending, status: CommandStatus): void {
    const now = Date.now();
    entry.record.status = status;
    entry.record.updatedAt = now;
    entry.record.history.push({ status, at: now });
    this.changed(entry.record);
  }

  private settle(entry: Pending, status: CommandStatus): void {
    if (!FINAL_COMMAND_STATUSES.includes(status)) throw new RangeError(`${status} is not final`);
    this.advance(entry, status);
    const { record } = entry;
    this.pending.delete(record.id);
    const ids = this.pendingByTerminal.get(record.terminalId);
    ids?.delete(record.id);
    if (ids?.size === 0) this.pendingByTerminal.delete(record.terminalId);
  }

  private changed(record: CommandRecord): void {
    this.dirty.set(record.id, record);
    for (const sink of this.sinks) sink.commandUpdated(record);
    if (!this.flushTimer && !this.closed) {
      this.flushTimer = setTimeout(() => void this.flushNow(), this.flushMs);
      this.flushTimer.unref();
    }
  }

  /** Stores the changed records now (one transaction). */
  flushNow(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(async () => {
      if (this.dirty.size === 0) return;
      const batch = [...this.dirty.values()].map((r) => structuredClone(r));
      this.dirty.clear();
      try {
        await this.opts.storage.saveCommands(batch);
      } catch (err) {
        this.opts.log.error({ err, count: batch.length }, 'could not store command status changes');
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    await this.flushNow();
    await this.client?.endAsync();
  }
}
