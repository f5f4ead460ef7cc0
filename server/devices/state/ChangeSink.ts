/**
 * How the live state hands on what changed, to whoever consumes it: the WebSocket stream's delta
 * queue (server/devices/stream/DeltaQueue.ts) batches every change for the browsers, the
 * cluster's outbox (server/cluster/ReplicaOutbox.ts) those of local origin for the other
 * instances. The state calls its registered sinks in order, synchronously, after each change;
 * a sink only records, it never calls back into the state from these methods.
 *
 * `local` is false for what the state merged from another instance's batch: the instance that
 * ingested the message hands that on itself.
 */
import type { Alarm } from '../../../domain/live';
import type { DevicePayload } from '../../../domain/payloads';
import type { TelemetryValues } from '../../../domain/terminals';
import type { TopicKind } from '../../../domain/topics';
import type { TerminalState } from './types';

export interface ChangeSink {
  /**
   * Terminal `t` changed at `at` (server ms): its status, its readings (`values`, the fields that
   * changed; undefined when none did) or its health.
   */
  terminalChanged(t: Readonly<TerminalState>, values: TelemetryValues | undefined, at: number, local: boolean): void;
  /** A pole's status changed. */
  poleChanged(poleId: string): void;
  alarmRaised(alarm: Alarm, local: boolean): void;
  /** An open alarm changed its details or was seen again (a lamps-out run grew, a new sighting). Local only. */
  alarmRenewed(alarm: Alarm): void;
  alarmCleared(id: string, local: boolean): void;
  /**
   * Optional: one device message this instance accepted (not a QoS 1 resend), as the device sent
   * it, after the state and the other callbacks took it in. Local only: device history
   * (server/history/HistoryRecorder.ts) keeps every message, where the calls above tell only
   * what changed.
   */
  messageAccepted?(t: Readonly<TerminalState>, kind: TopicKind, payload: DevicePayload, receivedAt: number): void;
}
