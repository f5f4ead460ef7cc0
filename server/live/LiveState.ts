/**
 * The live state of every terminal and pole, and the alarms they raise. A pure core: no I/O, no
 * timers, no clock — callers pass the time in — so the rules here are unit-tested directly.
 *
 * Status of a terminal (domain/terminals.ts LIVE_STATUSES), first match wins:
 *   unknown  nothing heard since start
 *   offline  it said so, or it has been silent for more than `silenceFactor` nominal intervals
 *   fault    its last status report was `fault`
 *   warning  one of its latest readings is over a READING_LIMITS limit
 *   normal   otherwise
 * A pole shows the worst status of its terminals (`worseStatus`).
 *
 * Alarms follow the conditions: each is open exactly while its condition holds, with a stable id
 * `${terminalId}:${kind}`, so raising and clearing are both derived by one `syncAlarm`.
 *
 * Changes since the last `takeDelta()` are collected so the stream can batch them.
 */
import type { Alarm, AlarmKind, DeltaMessage, LiveCounters, SnapshotMessage, TerminalLive } from '../../domain/live';
import type { StatusPayload, TelemetryPayload } from '../../domain/payloads';
import {
  LIVE_STATUSES,
  NOMINAL_REPORT_INTERVAL_S,
  TERMINAL_TYPES,
  worseStatus,
  type LiveStatus,
  type TelemetryValues,
  type TerminalReportedStatus,
  type TerminalType,
} from '../../domain/terminals';
import type { TopicKind } from '../../domain/topics';
import { ALARM_SEVERITY, LIMIT_RULES, breaches, faultAlarmKind } from './alarmRules';

export interface LiveTopology {
  poles: ReadonlyArray<{ id: string }>;
  terminals: ReadonlyArray<{ id: string; poleId: string; type: TerminalType }>;
}

export interface LiveStateOptions {
  /**
   * How much faster than real time devices report: the simulator's speed-up, 1 for real devices.
   * Silence limits are divided by it.
   */
  speedup?: number;
  /** A terminal silent for more than this many nominal report intervals is offline. Default 3. */
  silenceFactor?: number;
}

export interface TerminalState {
  readonly id: string;
  readonly poleId: string;
  readonly type: TerminalType;
  status: LiveStatus;
  /** Last status the device reported; readings after an `offline` report imply `online`. */
  reported: TerminalReportedStatus | undefined;
  /** Set by a `fault` report, cleared only by an `online` one: going offline does not repair a fault. */
  faulted: boolean;
  /** Marked by the watchdog; cleared by the next message. */
  silent: boolean;
  /** Device timestamp of the latest report (ms), 0 before any. */
  ts: number;
  /** Server time the latest message was received (ms), 0 before any. */
  receivedAt: number;
  /** Latest value of every field reported so far. */
  values: TelemetryValues;
  /** Fault code from the latest `fault` report. */
  faultCode: string | undefined;
}

export interface ApplyResult {
  status: LiveStatus;
  statusChanged: boolean;
  poleStatus: LiveStatus;
  poleChanged: boolean;
  raised: Alarm[];
  cleared: string[];
}

/** The delta message without its per-connection envelope (`type`, `seq`, `serverTime`). */
export type DeltaBatch = Omit<DeltaMessage, 'type' | 'seq' | 'serverTime'>;
/** The snapshot message without its per-connection envelope. */
export type SnapshotBody = Omit<SnapshotMessage, 'type' | 'seq' | 'serverTime'>;

export class LiveState {
  readonly speedup: number;
  readonly silenceFactor: number;
  /** Silence, in ms of server time, after which a terminal of each type is offline. */
  readonly silenceLimitMs: Readonly<Record<TerminalType, number>>;

  private readonly terminalStates = new Map<string, TerminalState>();
  private readonly poleStatuses = new Map<string, LiveStatus>();
  private readonly terminalsOfPole = new Map<string, TerminalState[]>();
  private readonly openAlarms = new Map<string, Alarm>();
  private readonly statusCounts: Record<LiveStatus, number>;
  private accepted = 0;
  private rejected = 0;
  private readonly rejectCounts = new Map<string, number>();

  // Changes since the last takeDelta().
  private readonly pendingTerminals = new Map<string, TelemetryValues | undefined>();
  private readonly pendingPoles = new Set<string>();
  private readonly pendingRaised = new Map<string, Alarm>();
  private readonly pendingCleared = new Set<string>();
  private oldestPendingAt = Infinity;

  constructor(topology: LiveTopology, options: LiveStateOptions = {}) {
    this.speedup = options.speedup ?? 1;
    this.silenceFactor = options.silenceFactor ?? 3;
    if (!(this.speedup > 0) || !(this.silenceFactor > 0)) {
      throw new RangeError('LiveState: speedup and silenceFactor must be positive');
    }
    this.silenceLimitMs = Object.fromEntries(
      TERMINAL_TYPES.map((t) => [t, (this.silenceFactor * NOMINAL_REPORT_INTERVAL_S[t] * 1000) / this.speedup]),
    ) as Record<TerminalType, number>;

    for (const pole of topology.poles) {
      this.poleStatuses.set(pole.id, 'unknown');
      this.terminalsOfPole.set(pole.id, []);
    }
    for (const t of topology.terminals) {
      const state: TerminalState = {
        id: t.id,
        poleId: t.poleId,
        type: t.type,
        status: 'unknown',
        reported: undefined,
        faulted: false,
        silent: false,
        ts: 0,
        receivedAt: 0,
        values: {},
        faultCode: undefined,
      };
      this.terminalStates.set(t.id, state);
      this.terminalsOfPole.get(t.poleId)?.push(state);
    }
    this.statusCounts = Object.fromEntries(LIVE_STATUSES.map((s) => [s, 0])) as Record<LiveStatus, number>;
    this.statusCounts.unknown = this.terminalStates.size;
  }

  /**
   * Applies one validated message. Returns undefined for a terminal this twin does not have
   * (callers check first and count it as rejected).
   */
  apply(terminalId: string, kind: 'telemetry', payload: TelemetryPayload, receivedAt: number): ApplyResult | undefined;
  apply(terminalId: string, kind: 'status', payload: StatusPayload, receivedAt: number): ApplyResult | undefined;
  apply(
    terminalId: string,
    kind: TopicKind,
    payload: TelemetryPayload | StatusPayload,
    receivedAt: number,
  ): ApplyResult | undefined;
  apply(
    terminalId: string,
    kind: TopicKind,
    payload: TelemetryPayload | StatusPayload,
    receivedAt: number,
  ): ApplyResult | undefined {
    const t = this.terminalStates.get(terminalId);
    if (!t) return undefined;
    this.accepted += 1;
    t.receivedAt = receivedAt;
    // Devices may resend (QoS 1) or deliver out of order: keep the newest device time.
    t.ts = Math.max(t.ts, payload.ts);
    t.silent = false;

    let changedValues: TelemetryValues | undefined;
    if (kind === 'status') {
      const status = payload as StatusPayload;
      t.reported = status.status;
      if (status.status === 'fault') {
        t.faulted = true;
        t.faultCode = status.code;
      } else if (status.status === 'online') {
        t.faulted = false;
        t.faultCode = undefined;
      }
    } else {
      const values = (payload as TelemetryPayload).values;
      // A device that sends readings is evidently up; a fault it reported stays until it reports `online`.
      if (t.reported !== 'fault') t.reported = 'online';
      Object.assign(t.values, values);
      changedValues = values;
    }
    return this.update(t, receivedAt, changedValues);
  }

  /** Counts a message the ingest refused, by reason. */
  reject(reason: string): void {
    this.rejected += 1;
    this.rejectCounts.set(reason, (this.rejectCounts.get(reason) ?? 0) + 1);
  }

  /**
   * The offline watchdog: marks terminals heard before but silent for longer than their limit.
   * Returns the ids newly marked offline.
   */
  sweep(now: number): string[] {
    const marked: string[] = [];
    for (const t of this.terminalStates.values()) {
      // Never heard stays `unknown`; already offline (silent, or said so) has nothing left to mark.
      if (t.receivedAt === 0 || t.status === 'offline') continue;
      if (now - t.receivedAt > this.silenceLimitMs[t.type]) {
        t.silent = true;
        this.update(t, now, undefined);
        marked.push(t.id);
      }
    }
    return marked;
  }

  /** Everything a new client needs to start from. */
  snapshot(): SnapshotBody {
    return {
      poles: [...this.poleStatuses],
      terminals: [...this.terminalStates.values()].map((t): [string, LiveStatus] => [t.id, t.status]),
      alarms: [...this.openAlarms.values()],
      counters: this.counters(),
    };
  }

  get hasChanges(): boolean {
    return this.pendingTerminals.size > 0 || this.pendingPoles.size > 0 || this.pendingRaised.size > 0 || this.pendingCleared.size > 0;
  }

  /** Changes since the previous call, then forgets them; undefined when nothing changed. */
  takeDelta(): DeltaBatch | undefined {
    if (!this.hasChanges) return undefined;
    const terminals: TerminalLive[] = [];
    for (const [id, values] of this.pendingTerminals) {
      const t = this.terminalStates.get(id)!;
      terminals.push(values ? { id, status: t.status, ts: t.ts, values } : { id, status: t.status, ts: t.ts });
    }
    const batch: DeltaBatch = {
      oldestIngestTime: this.oldestPendingAt,
      poles: [...this.pendingPoles].map((id): [string, LiveStatus] => [id, this.poleStatuses.get(id)!]),
      terminals,
      alarmsRaised: [...this.pendingRaised.values()],
      alarmsCleared: [...this.pendingCleared],
      counters: this.counters(),
    };
    this.pendingTerminals.clear();
    this.pendingPoles.clear();
    this.pendingRaised.clear();
    this.pendingCleared.clear();
    this.oldestPendingAt = Infinity;
    return batch;
  }

  counters(): LiveCounters {
    const c = this.statusCounts;
    return {
      terminalsReporting: c.normal + c.warning + c.fault,
      terminalsOffline: c.offline,
      terminalsFault: c.fault,
      openAlarms: this.openAlarms.size,
      messagesAccepted: this.accepted,
      messagesRejected: this.rejected,
    };
  }

  rejectReasons(): Record<string, number> {
    return Object.fromEntries(this.rejectCounts);
  }

  terminal(id: string): Readonly<TerminalState> | undefined {
    return this.terminalStates.get(id);
  }

  terminalStatus(id: string): LiveStatus {
    return this.terminalStates.get(id)?.status ?? 'unknown';
  }

  poleStatus(id: string): LiveStatus {
    return this.poleStatuses.get(id) ?? 'unknown';
  }

  alarms(): Alarm[] {
    return [...this.openAlarms.values()];
  }

  alarmsOfTerminal(terminalId: string): Alarm[] {
    return this.alarms().filter((a) => a.terminalId === terminalId);
  }

  // --- internals -------------------------------------------------------------------------------

  /** Re-derives alarms and status of one terminal after its inputs changed, and records the changes. */
  private update(t: TerminalState, at: number, changedValues: TelemetryValues | undefined): ApplyResult {
    const raised: Alarm[] = [];
    const cleared: string[] = [];
    const heard = t.receivedAt > 0;

    let readingBreach = false;
    for (const rule of LIMIT_RULES[t.type]) {
      const value = t.values[rule.field];
      const on = heard && breaches(rule, value);
      readingBreach ||= on;
      this.syncAlarm(t, rule.kind, on, at, raised, cleared, { field: rule.field, value, limit: rule.above ?? rule.equals });
    }
    this.syncAlarm(t, faultAlarmKind(t.type), t.faulted, at, raised, cleared, { code: t.faultCode });

    const previous = t.status;
    const status: LiveStatus = !heard
      ? 'unknown'
      : t.silent || t.reported === 'offline'
        ? 'offline'
        : t.faulted
          ? 'fault'
          : readingBreach
            ? 'warning'
            : 'normal';
    this.syncAlarm(t, 'device-offline', status === 'offline', at, raised, cleared, {});

    t.status = status;
    const statusChanged = status !== previous;
    let poleChanged = false;
    if (statusChanged) {
      this.statusCounts[previous] -= 1;
      this.statusCounts[status] += 1;
      poleChanged = this.updatePole(t.poleId);
    }

    if (changedValues) {
      const pending = this.pendingTerminals.get(t.id);
      this.pendingTerminals.set(t.id, pending ? Object.assign(pending, changedValues) : { ...changedValues });
    } else if (!this.pendingTerminals.has(t.id)) {
      this.pendingTerminals.set(t.id, undefined);
    }
    if (at < this.oldestPendingAt) this.oldestPendingAt = at;

    return { status, statusChanged, poleStatus: this.poleStatus(t.poleId), poleChanged, raised, cleared };
  }

  private updatePole(poleId: string): boolean {
    let worst: LiveStatus = 'unknown';
    for (const t of this.terminalsOfPole.get(poleId) ?? []) worst = worseStatus(worst, t.status);
    if (this.poleStatuses.get(poleId) === worst) return false;
    this.poleStatuses.set(poleId, worst);
    this.pendingPoles.add(poleId);
    return true;
  }

  private syncAlarm(
    t: TerminalState,
    kind: AlarmKind,
    on: boolean,
    at: number,
    raised: Alarm[],
    cleared: string[],
    details: Pick<Alarm, 'field' | 'value' | 'limit' | 'code'>,
  ): void {
    const id = `${t.id}:${kind}`;
    const open = this.openAlarms.has(id);
    if (on && !open) {
      const alarm: Alarm = {
        id,
        kind,
        severity: ALARM_SEVERITY[kind],
        terminalId: t.id,
        terminalType: t.type,
        poleId: t.poleId,
        raisedAt: at,
      };
      // Only the details that apply, so absent ones stay absent in the JSON.
      if (details.field !== undefined) alarm.field = details.field;
      if (details.value !== undefined) alarm.value = details.value;
      if (details.limit !== undefined) alarm.limit = details.limit;
      if (details.code !== undefined) alarm.code = details.code;
      this.openAlarms.set(id, alarm);
      this.pendingCleared.delete(id);
      this.pendingRaised.set(id, alarm);
      raised.push(alarm);
    } else if (!on && open) {
      this.openAlarms.delete(id);
      // Raised and cleared within one batch: the client may never have seen it, and a clear of an
      // id it does not hold is a no-op for it, so sending only the clear is safe either way.
      this.pendingRaised.delete(id);
      this.pendingCleared.add(id);
      cleared.push(id);
    }
  }
}
