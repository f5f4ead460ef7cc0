/**
 * The shapes around the live state (LiveState.ts): the topology it is built from, a terminal's
 * state, what one applied message changed, and the replica batches the instances of a cluster
 * hand each other (produced by server/cluster/ReplicaOutbox.ts, merged by the state).
 */
import type { Alarm, SnapshotMessage } from '../../../domain/live';
import type { LiveStatus, TelemetryValues, TerminalReportedStatus, TerminalType } from '../../../domain/terminals';
import type { TopicKind } from '../../../domain/topics';

export interface LiveTopology {
  /** Position, road and grid cell go into the alarms; absent ones are left out of them. */
  poles: ReadonlyArray<{ id: string; lon?: number; lat?: number; roadId?: string; gridCode?: string }>;
  terminals: ReadonlyArray<{ id: string; poleId: string; type: TerminalType; componentCode?: string }>;
  /** Each road's poles in order along it, for the consecutive-lamps rule; without it the rule is off. */
  roads?: ReadonlyArray<{ roadId: string; poleIds: readonly string[] }>;
}

export type AlarmListener = (alarm: Alarm) => void;

export interface LiveStateOptions {
  /**
   * How much faster than real time devices report: the simulator's speed-up, 1 for real devices.
   * Silence limits are divided by it.
   */
  speedup?: number;
  /** How much faster than real time the simulated clock runs (video-AI alarm hold); default `speedup`. */
  clockSpeedup?: number;
  /** A terminal silent for more than this many nominal report intervals is offline. Default 3. */
  silenceFactor?: number;
  /** Told when an alarm listener throws; the other listeners and the ingest carry on. */
  onListenerError?: (err: unknown, alarm: Alarm) => void;
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
  /** The component the terminal watches or belongs to. */
  readonly componentCode: string | undefined;
  /** Key (device time + content hash) of the latest message of each kind: a QoS 1 resend matches it. */
  lastMessage: Partial<Record<TopicKind, string>>;
}

export interface ApplyResult {
  status: LiveStatus;
  statusChanged: boolean;
  poleStatus: LiveStatus;
  poleChanged: boolean;
  raised: Alarm[];
  cleared: string[];
  /** The message repeated the terminal's latest of its kind (a QoS 1 resend): nothing changed. */
  duplicate?: boolean;
}

/** The snapshot message without its per-connection envelope. */
export type SnapshotBody = Omit<SnapshotMessage, 'type' | 'seq' | 'serverTime'>;

/** A terminal's whole state, as one instance of a cluster hands it to the others. */
export interface TerminalReplica {
  id: string;
  status: LiveStatus;
  reported?: TerminalReportedStatus;
  faulted: boolean;
  faultCode?: string;
  silent: boolean;
  ts: number;
  receivedAt: number;
  values: TelemetryValues;
  lastMessage: Partial<Record<TopicKind, string>>;
}

/**
 * What changed on one instance from the messages it ingested (not from what it merged): the
 * terminals' whole state, so the newest receipt wins wherever it lands, and the alarms its
 * rules raised or cleared. Its `accepted`/`rejected` totals let every instance show the
 * cluster's counters.
 */
export interface ReplicaBatch {
  terminals: TerminalReplica[];
  alarmsRaised: Alarm[];
  alarmsCleared: string[];
  /** [video-AI alarm id, server time of its latest sighting]. */
  videoSeen: Array<[string, number]>;
  accepted: number;
  rejected: number;
}
