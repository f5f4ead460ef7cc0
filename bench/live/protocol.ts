/**
 * Messages between the live benchmark (parent, which runs the server) and the device fleet it
 * forks (fleet.ts), over Node's IPC channel. The fleet holds one MQTT connection per device and
 * both observers: a WebSocket client on /ws/live (the browser) and a bare MQTT subscriber (the
 * raw broker pass-through), so both latencies are taken on the same clock in the same process.
 */
import type { TerminalType } from '../../domain/terminals';
import type { Distribution } from '../support/stats';
import type { FailedMessage, StartedMessage } from '../support/childProcess';

export interface FleetDevice {
  id: string;
  type: TerminalType;
  password: string;
}

export interface InitMessage {
  type: 'init';
  mqttUrl: string;
  httpUrl: string;
  devices: FleetDevice[];
  service: { username: string; password: string };
  seed: number;
}

/** Open connections until `count` devices are connected (the first `count` of the list) to `mqttUrl`. */
export interface ConnectMessage {
  type: 'connect';
  count: number;
  mqttUrl: string;
}

/** Close every device connection (to move the fleet to another broker). */
export interface DisconnectMessage {
  type: 'disconnect';
}

/** Move the bare subscriber to `mqttUrl`, or take it off every broker (`null`). */
export interface BareMessage {
  type: 'bare';
  mqttUrl: string | null;
}

/**
 * `steady`: each of the first `count` devices publishes once every `intervalMs`, spread evenly.
 * `saturate`: they publish round-robin as fast as the broker acknowledges, at most `window`
 * messages unacknowledged at a time.
 */
export interface PhaseMessage {
  type: 'phase';
  id: number;
  mode: 'steady' | 'saturate';
  count: number;
  intervalMs: number;
  durationS: number;
  window: number;
}

export interface CollectMessage {
  type: 'collect';
  id: number;
  waitMs: number;
}

export interface StopMessage {
  type: 'stop';
}

export type ToFleet = InitMessage | ConnectMessage | DisconnectMessage | BareMessage | PhaseMessage | CollectMessage | StopMessage;

export interface ReadyMessage {
  type: 'ready';
  snapshotTerminals: number;
}

export interface ConnectedMessage {
  type: 'connected';
  count: number;
  seconds: number;
  /** The fleet process's resident memory after connecting, MiB. */
  rssMiB: number;
}

export interface DisconnectedMessage {
  type: 'disconnected';
}

export interface BareReadyMessage {
  type: 'bare-ready';
}

export interface PublishedMessage {
  type: 'published';
  id: number;
  sent: number;
  seconds: number;
  /** Received by the bare subscriber between the first and the last publish. */
  bareInWindow: number;
}

export interface CollectedMessage {
  type: 'collected';
  id: number;
  acked: number;
  /** Publish → WebSocket delta carrying the reading. */
  wsLatencyMs: Distribution | undefined;
  /** Publish → bare subscriber. */
  bareLatencyMs: Distribution | undefined;
  bareReceived: number;
}

export type FromFleet = ReadyMessage | ConnectedMessage | DisconnectedMessage | BareReadyMessage | StartedMessage | PublishedMessage | CollectedMessage | FailedMessage;
