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
 * `${terminalId}:${kind}`, so raising and clearing are both derived by one `syncAlarm`. Two wider
 * conditions follow the same pattern: three or more consecutive lamps out along a road (one alarm
 * per road, `road:${roadId}:lamps-out`), and a video-AI sighting of a category at a camera, which
 * holds while the video system keeps seeing it and clears VIDEO_ALARM_HOLD_MS after the last one.
 * Every raised alarm carries where it is (pole position, road, grid cell, component code), so a
 * case can be opened from it alone; `subscribeAlarms` listeners get each one once, after the
 * state it belongs to is updated.
 *
 * What changes goes to the registered change sinks (ChangeSink.ts): the stream's delta queue and
 * the cluster's outbox are two such consumers, wired in LiveState.ts. Another instance's batch is
 * merged here too (`merge`), since it changes the same state.
 */
import type { Alarm, AlarmKind, LiveCounters } from '../../../domain/live';
import type { DevicePayload, EventPayload, StatusPayload, TelemetryPayload, VideoAiEventPayload } from '../../../domain/payloads';
import {
  LIVE_STATUSES,
  NOMINAL_REPORT_INTERVAL_S,
  TERMINAL_TYPES,
  worseStatus,
  type LiveStatus,
  type TelemetryValues,
  type TerminalType,
} from '../../../domain/terminals';
import type { TopicKind } from '../../../domain/topics';
import { VIDEO_ALARM_HOLD_MS, VIDEO_EVENT_INFO } from '../../../domain/videoEvents';
import { ALARM_SEVERITY, LIMIT_RULES, acceptsVideoEvent, breaches, faultAlarmKind, lampsOutRuns } from './alarmRules';
import type { ChangeSink } from './ChangeSink';
import { applyReport } from './reports';
import type { AlarmListener, ApplyResult, LiveStateOptions, LiveTopology, ReplicaBatch, SnapshotBody, TerminalState } from './types';

type PoleInfo = LiveTopology['poles'][number];

/** The least wall time a video-AI alarm is held after its last sighting, whatever the clock's speed-up. */
export const VIDEO_HOLD_MIN_WALL_MS = 10_000;

interface RoadLamps {
  roadId: string;
  /** Lamp terminals in road order. */
  lamps: TerminalState[];
}

export class LiveStateCore {
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
  private duplicates = 0;
  private readonly rejectCounts = new Map<string, number>();
  private readonly poleInfo = new Map<string, PoleInfo>();
  private readonly roadOfLamp = new Map<string, RoadLamps>();
  /** Latest sighting (server ms) per open video-AI alarm id. */
  private readonly videoSeenAt = new Map<string, number>();
  private readonly videoHoldMs: number;
  private readonly listeners = new Set<AlarmListener>();
  private readonly onListenerError: LiveStateOptions['onListenerError'];
  private readonly sinks: ChangeSink[] = [];
  /** Set while merging another instance's batch: what it changes is not ours to hand on. */
  private merging = false;

  constructor(topology: LiveTopology, options: LiveStateOptions = {}) {
    this.speedup = options.speedup ?? 1;
    this.silenceFactor = options.silenceFactor ?? 3;
    if (!(this.speedup > 0) || !(this.silenceFactor > 0)) {
      throw new RangeError('LiveState: speedup and silenceFactor must be positive');
    }
    this.silenceLimitMs = Object.fromEntries(
      TERMINAL_TYPES.map((t) => [t, (this.silenceFactor * NOMINAL_REPORT_INTERVAL_S[t] * 1000) / this.speedup]),
    ) as Record<TerminalType, number>;

    // The hold is simulated time: it follows the simulated clock, which may run faster than the reports.
    // Never under VIDEO_HOLD_MIN_WALL_MS of wall time: at a demo's speed-up of hundreds the hold is a
    // few wall seconds, and one event-loop stall of a loaded machine would let every standing problem's
    // alarm lapse between two sightings and raise again (a new case report and frame each time).
    this.videoHoldMs = Math.max(VIDEO_ALARM_HOLD_MS / (options.clockSpeedup ?? this.speedup), Math.min(VIDEO_ALARM_HOLD_MS, VIDEO_HOLD_MIN_WALL_MS));
    this.onListenerError = options.onListenerError;
    for (const pole of topology.poles) {
      this.poleInfo.set(pole.id, pole);
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
        componentCode: t.componentCode,
        lastMessage: {},
      };
      this.terminalStates.set(t.id, state);
      this.terminalsOfPole.get(t.poleId)?.push(state);
    }
    for (const road of topology.roads ?? []) {
      const entry: RoadLamps = { roadId: road.roadId, lamps: [] };
      for (const poleId of road.poleIds) {
        for (const t of this.terminalsOfPole.get(poleId) ?? []) {
          if (t.type !== 'lamp') continue;
          entry.lamps.push(t);
          this.roadOfLamp.set(t.id, entry);
        }
      }
    }
    this.statusCounts = Object.fromEntries(LIVE_STATUSES.map((s) => [s, 0])) as Record<LiveStatus, number>;
    this.statusCounts.unknown = this.terminalStates.size;
  }

  /**
   * Applies one validated message. Returns undefined for a terminal this twin does not have
   * (callers check first and count it as rejected).
   */
  apply(terminalId: string, kind: 'telemetry', payload: TelemetryPayload, receivedAt: number, messageKey?: string): ApplyResult | undefined;
  apply(terminalId: string, kind: 'status', payload: StatusPayload, receivedAt: number, messageKey?: string): ApplyResult | undefined;
  apply(terminalId: string, kind: 'events', payload: EventPayload, receivedAt: number, messageKey?: string): ApplyResult | undefined;
  apply(terminalId: string, kind: TopicKind, payload: DevicePayload, receivedAt: number, messageKey?: string): ApplyResult | undefined;
  apply(terminalId: string, kind: TopicKind, payload: DevicePayload, receivedAt: number, messageKey?: string): ApplyResult | undefined {
    const t = this.terminalStates.get(terminalId);
    if (!t) return undefined;
    if (messageKey !== undefined) {
      // QoS 1 is at-least-once: a device or broker resends after a lost PUBACK, maybe to another
      // instance. The resend is the same bytes, so it matches the latest key of its kind.
      if (t.lastMessage[kind] === messageKey) {
        this.duplicates += 1;
        const poleStatus = this.poleStatus(t.poleId);
        return { status: t.status, statusChanged: false, poleStatus, poleChanged: false, raised: [], cleared: [], duplicate: true };
      }
      t.lastMessage[kind] = messageKey;
    }
    this.accepted += 1;
    const result = this.applyAccepted(t, kind, payload, receivedAt);
    for (const sink of this.sinks) sink.messageAccepted?.(t, kind, payload, receivedAt);
    return result;
  }

  private applyAccepted(t: TerminalState, kind: TopicKind, payload: DevicePayload, receivedAt: number): ApplyResult {
    if (kind === 'events' && (payload as EventPayload).event === 'video-ai') {
      // Sent by the video-AI system, not the camera: it says nothing about the camera being up.
      return this.emit(this.applyVideo(t, payload as VideoAiEventPayload, receivedAt));
    }
    t.receivedAt = receivedAt;
    // Devices may resend (QoS 1) or deliver out of order: keep the newest device time.
    t.ts = Math.max(t.ts, payload.ts);
    t.silent = false;

    const changedValues = applyReport(t, kind, payload);
    return this.emit(this.update(t, receivedAt, changedValues));
  }

  /**
   * Calls `listener` once for every alarm raised from now on, after the state update that raised
   * it. Returns the function that unsubscribes.
   */
  subscribeAlarms(listener: AlarmListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** From now on tells `sink` of every change, after the state it belongs to is updated. */
  addSink(sink: ChangeSink): void {
    this.sinks.push(sink);
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
  sweep(now: number, owns: (terminalId: string) => boolean = () => true): string[] {
    const marked: string[] = [];
    for (const t of this.terminalStates.values()) {
      // Never heard stays `unknown`; already offline (silent, or said so) has nothing left to mark.
      if (t.receivedAt === 0 || t.status === 'offline') continue;
      // In a cluster one instance watches each terminal, so a silence raises one alarm, not one per instance.
      if (!owns(t.id)) continue;
      if (now - t.receivedAt > this.silenceLimitMs[t.type]) {
        t.silent = true;
        this.emit(this.update(t, now, undefined));
        marked.push(t.id);
      }
    }
    for (const [id, seenAt] of this.videoSeenAt) {
      if (now - seenAt <= this.videoHoldMs) continue;
      const alarm = this.openAlarms.get(id);
      if (alarm && !owns(alarm.terminalId)) continue;
      this.videoSeenAt.delete(id);
      this.closeAlarm(id, []);
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

  /** Messages this instance ingested (in a cluster the counters add the other instances'). */
  localCounts(): { accepted: number; rejected: number; duplicates: number } {
    return { accepted: this.accepted, rejected: this.rejected, duplicates: this.duplicates };
  }

  // --- replication between the instances of a cluster ----------------------------------------

  /**
   * Takes in another instance's batch: terminal state where it is newer than ours, its alarms
   * opened and closed. No rule runs and no alarm listener hears of it — the instance that
   * ingested the message did both — but the changes go to this instance's browsers.
   */
  merge(batch: ReplicaBatch): void {
    this.merging = true;
    // Terminals whose state here is newer than the batch's: its alarms about them are stale too.
    const stale = new Set<string>();
    // Video-AI and lamps-out alarms do not follow one terminal's state, so they are never stale.
    const staleAlarm = (alarm: Alarm | undefined): boolean => alarm !== undefined && stale.has(alarm.terminalId) && alarm.kind !== 'video-ai' && alarm.kind !== 'lamps-out';
    try {
      for (const r of batch.terminals) {
        const t = this.terminalStates.get(r.id);
        if (!t) continue;
        if (r.receivedAt < t.receivedAt) {
          stale.add(r.id);
          continue;
        }
        t.reported = r.reported;
        t.faulted = r.faulted;
        t.faultCode = r.faultCode;
        t.silent = r.silent;
        t.ts = Math.max(t.ts, r.ts);
        t.receivedAt = r.receivedAt;
        t.values = { ...r.values };
        Object.assign(t.lastMessage, r.lastMessage);
        if (r.status !== t.status) {
          this.statusCounts[t.status] -= 1;
          this.statusCounts[r.status] += 1;
          t.status = r.status;
          this.updatePole(t.poleId);
        }
        for (const sink of this.sinks) sink.terminalChanged(t, r.values, r.receivedAt, false);
      }
      for (const alarm of batch.alarmsRaised) {
        if (staleAlarm(alarm)) continue;
        // An open one may come again with new details (a lamps-out run that grew).
        if (this.openAlarms.has(alarm.id)) this.openAlarms.set(alarm.id, alarm);
        else this.openAlarm(alarm, []);
      }
      for (const id of batch.alarmsCleared) {
        const open = this.openAlarms.get(id);
        if (staleAlarm(open)) continue;
        this.videoSeenAt.delete(id);
        this.closeAlarm(id, []);
      }
      for (const [id, seenAt] of batch.videoSeen) {
        if (this.openAlarms.has(id)) this.videoSeenAt.set(id, Math.max(seenAt, this.videoSeenAt.get(id) ?? 0));
      }
    } finally {
      this.merging = false;
    }
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

  /** Every terminal heard from since start. */
  *heardTerminals(): IterableIterator<Readonly<TerminalState>> {
    for (const t of this.terminalStates.values()) if (t.receivedAt > 0) yield t;
  }

  /**
   * Closes the open video-AI alarm `alarmId` raised at `raisedAt`: its case was verified fixed on
   * site and closed. If the video system sees the problem again, a new alarm (and case) follows.
   * IoT alarms follow their device's condition and are never closed this way. True when it closed one.
   */
  closeVideoAlarm(alarmId: string, raisedAt: number): boolean {
    const open = this.openAlarms.get(alarmId);
    if (!open || open.kind !== 'video-ai' || open.raisedAt !== raisedAt) return false;
    this.videoSeenAt.delete(alarmId);
    this.closeAlarm(alarmId, []);
    return true;
  }

  /** Server time of the latest sighting behind an open video-AI alarm. */
  lastSighting(alarmId: string): number | undefined {
    return this.videoSeenAt.get(alarmId);
  }

  // --- internals -------------------------------------------------------------------------------

  /** Re-derives alarms and status of one terminal after its inputs changed, and hands on the changes. */
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
    const wasOpen = this.openAlarms.has(`${t.id}:${faultAlarmKind(t.type)}`);
    this.syncAlarm(t, faultAlarmKind(t.type), t.faulted, at, raised, cleared, { code: t.faultCode });
    if (t.type === 'lamp' && wasOpen !== t.faulted) this.syncLampsOut(t, at, raised, cleared);

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

    for (const sink of this.sinks) sink.terminalChanged(t, changedValues, at, true);

    return { status, statusChanged, poleStatus: this.poleStatus(t.poleId), poleChanged, raised, cleared };
  }

  private updatePole(poleId: string): boolean {
    let worst: LiveStatus = 'unknown';
    for (const t of this.terminalsOfPole.get(poleId) ?? []) worst = worseStatus(worst, t.status);
    if (this.poleStatuses.get(poleId) === worst) return false;
    this.poleStatuses.set(poleId, worst);
    for (const sink of this.sinks) sink.poleChanged(poleId);
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
    if (on && !open) this.openAlarm(this.newAlarm(id, kind, t, at, details), raised);
    else if (!on && open) this.closeAlarm(id, cleared);
  }

  /** An alarm about terminal `t`, with where it is and only the details that apply. */
  private newAlarm(id: string, kind: AlarmKind, t: TerminalState, at: number, details: Partial<Alarm>): Alarm {
    const alarm: Alarm = { id, kind, severity: ALARM_SEVERITY[kind], terminalId: t.id, terminalType: t.type, poleId: t.poleId, raisedAt: at };
    const pole = this.poleInfo.get(t.poleId);
    const where: Partial<Alarm> = { lon: pole?.lon, lat: pole?.lat, roadId: pole?.roadId, gridCode: pole?.gridCode, componentCode: t.componentCode };
    // Absent details stay absent in the JSON rather than showing as null.
    for (const [key, value] of Object.entries({ ...where, ...details })) {
      if (value !== undefined) (alarm as unknown as Record<string, unknown>)[key] = value;
    }
    return alarm;
  }

  private openAlarm(alarm: Alarm, raised: Alarm[]): void {
    this.openAlarms.set(alarm.id, alarm);
    raised.push(alarm);
    for (const sink of this.sinks) sink.alarmRaised(alarm, !this.merging);
  }

  private closeAlarm(id: string, cleared: string[]): void {
    if (!this.openAlarms.delete(id)) return;
    cleared.push(id);
    for (const sink of this.sinks) sink.alarmCleared(id, !this.merging);
  }

  /** A video-AI sighting: raises the category's alarm at this camera, or keeps the open one standing. */
  private applyVideo(t: TerminalState, event: VideoAiEventPayload, at: number): ApplyResult {
    const raised: Alarm[] = [];
    if (acceptsVideoEvent(event.category, event.confidence)) {
      const id = `${t.id}:video-ai:${event.category}`;
      if (!this.openAlarms.has(id)) {
        const details: Partial<Alarm> = {
          category: event.category,
          eventCode: VIDEO_EVENT_INFO[event.category].eventCode,
          eventId: event.eventId,
          confidence: event.confidence,
          snapshot: event.snapshot,
        };
        if (event.bbox) details.bbox = event.bbox;
        this.openAlarm(this.newAlarm(id, 'video-ai', t, at, details), raised);
      }
      this.videoSeenAt.set(id, at);
      // A sighting keeps the alarm standing on every instance, not only this one.
      const open = this.openAlarms.get(id)!;
      for (const sink of this.sinks) sink.alarmRenewed(open);
    }
    const poleStatus = this.poleStatus(t.poleId);
    return { status: t.status, statusChanged: false, poleStatus, poleChanged: false, raised, cleared: [] };
  }

  /** Re-derives the road's `lamps-out` alarm after lamp `t` went out or came back. */
  private syncLampsOut(t: TerminalState, at: number, raised: Alarm[], cleared: string[]): void {
    const road = this.roadOfLamp.get(t.id);
    if (!road) return;
    const id = `road:${road.roadId}:lamps-out`;
    const runs = lampsOutRuns(road.lamps.map((lamp) => lamp.faulted));
    if (runs.length === 0) return this.closeAlarm(id, cleared);
    const poleIds = runs.flatMap(([first, last]) => road.lamps.slice(first, last + 1).map((lamp) => lamp.poleId));
    const open = this.openAlarms.get(id);
    // One alarm per road: a run growing or a second run appearing updates it rather than adding one.
    if (open) {
      open.poleIds = poleIds;
      for (const sink of this.sinks) sink.alarmRenewed(open);
      return;
    }
    const [first, last] = runs[0]!;
    const middle = road.lamps[(first + last) >> 1]!;
    this.openAlarm(this.newAlarm(id, 'lamps-out', middle, at, { roadId: road.roadId, poleIds }), raised);
  }

  /** Tells the alarm listeners about what `result` raised; returns `result`. */
  private emit(result: ApplyResult): ApplyResult {
    if (this.listeners.size === 0 || result.raised.length === 0) return result;
    for (const alarm of result.raised) {
      for (const listener of this.listeners) {
        try {
          listener(alarm);
        } catch (err) {
          this.onListenerError?.(err, alarm);
        }
      }
    }
    return result;
  }
}
