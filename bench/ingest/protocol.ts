/**
 * Messages between the ingest benchmark (parent, which runs the server) and the device
 * publisher it forks (publisher.ts), over Node's IPC channel.
 *
 * The parent asks for one phase at a time; the publisher answers `started` just before its first
 * message and `published` after its last, so the parent can sample its counters around exactly
 * the publishing window, then `collect` once the server has drained, for what the live
 * WebSocket delivered.
 */
import { TOPIC_PREFIX } from '../../domain/topics';
import type { TerminalType } from '../../domain/terminals';
import type { Distribution } from '../support/stats';
import type { FailedMessage, StartedMessage } from '../support/childProcess';

export type Qos = 0 | 1;
/** `pipeline`: citytwin topics, through the ingest to the WebSocket. `baseline`: the broker alone. */
export type PhaseMode = 'pipeline' | 'baseline';

/**
 * Topic prefix of the baseline: as long as `citytwin/v1/terminals` and shaped alike, so the broker
 * does the same work, but outside the ingest's subscriptions, so only the bare subscriber gets it.
 */
export const BASELINE_PREFIX = 'baseline/v1/terminals';
if (BASELINE_PREFIX.length !== TOPIC_PREFIX.length) throw new Error('baseline prefix must match the citytwin prefix in length');

export interface TerminalRef {
  id: string;
  type: TerminalType;
}

export interface InitMessage {
  type: 'init';
  mqttUrl: string;
  /** The server's service login (the broker refuses anonymous clients). */
  mqttCredential: { username?: string; password?: string };
  httpUrl: string;
  terminals: TerminalRef[];
  seed: number;
}

export interface PhaseMessage {
  type: 'phase';
  id: number;
  mode: PhaseMode;
  qos: Qos;
  /** Offered rate, messages per second, over all terminals (round-robin). */
  rate: number;
  durationS: number;
}

export interface CollectMessage {
  type: 'collect';
  id: number;
  /** How long to keep listening for deltas first (the last batch may still be on its way). */
  waitMs: number;
}

export interface StopMessage {
  type: 'stop';
}

export type ToPublisher = InitMessage | PhaseMessage | CollectMessage | StopMessage;

export interface ReadyMessage {
  type: 'ready';
  /** Terminals in the WebSocket snapshot: proves the live stream is up before phases start. */
  snapshotTerminals: number;
}

export interface PublishedMessage {
  type: 'published';
  id: number;
  sent: number;
  /** First to last publish call. */
  seconds: number;
  /** The publisher's own CPU over the window, as a share of one core (1 = a full core). */
  cpuShare: number;
  /** WebSocket bytes received while publishing, per second: what one browser must take in. */
  wsBytesPerS: number;
}

export interface CollectedMessage {
  type: 'collected';
  id: number;
  /** QoS 1 PUBACKs received for this phase's messages. */
  acked: number;
  /** This phase's messages found in a delta, matched on terminal id + device ts. */
  wsMatched: number;
  /** Messages superseded within one batch by a newer one of the same terminal (delivered merged). */
  wsCoalesced: number;
  /** Device publish → delta received, ms. */
  latencyMs: Distribution | undefined;
  wsDeltas: number;
}

export type FromPublisher = ReadyMessage | StartedMessage | PublishedMessage | CollectedMessage | FailedMessage;
