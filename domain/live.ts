/**
 * The live stream from server to browsers over the WebSocket at `/ws/live`.
 *
 * On connect the server sends one `snapshot` with every pole's and terminal's status and the
 * open alarms; after that, `delta` messages batch what changed (a few per second at most).
 * `seq` increases by one per message, so a client can tell it missed one and reconnect.
 */
import type { LiveStatus, TelemetryValues, TerminalType } from './terminals';
import type { VideoEventCategory } from './videoEvents';

export const LIVE_WS_PATH = '/ws/live';

export const ALARM_KINDS = [
  'device-fault',
  'device-offline',
  'lamp-fault',
  'water-level',
  'cover-open',
  'cover-tilt',
  'air-quality',
  'noise',
  /** Three or more consecutive lamps along one road out (fault): one alarm per road. */
  'lamps-out',
  /** A video-AI detection of one of the eight urban-management categories at a camera. */
  'video-ai',
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export type AlarmSeverity = 'warning' | 'critical';

export interface Alarm {
  /**
   * Stable while the condition lasts: `${terminalId}:${kind}`; `${terminalId}:video-ai:${category}`
   * for video-AI detections; `road:${roadId}:lamps-out` for consecutive lamps out.
   */
  id: string;
  kind: AlarmKind;
  severity: AlarmSeverity;
  terminalId: string;
  terminalType: TerminalType;
  poleId: string;
  /** When the server raised it (ms since epoch). */
  raisedAt: number;
  /** The reading and limit that raised it, when a reading did. */
  field?: string;
  value?: number | boolean;
  limit?: number | boolean;
  /** Device-supplied fault code, when a status report or a lamp-fault event raised it. */
  code?: string;
  /** The pole's position (WGS84 degrees): where a case opened from the alarm is. */
  lon?: number;
  lat?: number;
  /** The urban component concerned (16-digit code): a cover sensor's manhole cover, a lamp's pole. */
  componentCode?: string;
  roadId?: string;
  gridCode?: string;
  /** video-ai: the category, its national event code, the video system's event id and confidence. */
  category?: VideoEventCategory;
  eventCode?: string;
  eventId?: string;
  confidence?: number;
  snapshot?: string;
  /** video-ai: where in the frame the detection is, fractions [x, y, w, h] (the case photo draws it). */
  bbox?: [number, number, number, number];
  /** lamps-out: the poles whose lamps are out, in road order (runs of 3 or more). */
  poleIds?: string[];
}

/** A terminal's state as streamed: status plus, in deltas, the readings that changed. */
export interface TerminalLive {
  id: string;
  status: LiveStatus;
  /** Device timestamp of the latest report, ms since epoch (0 before any). */
  ts: number;
  values?: TelemetryValues;
}

export interface LiveCounters {
  terminalsReporting: number;
  terminalsOffline: number;
  terminalsFault: number;
  openAlarms: number;
  messagesAccepted: number;
  messagesRejected: number;
}

export interface SnapshotMessage {
  type: 'snapshot';
  seq: number;
  serverTime: number;
  /** [poleId, status] for every pole. */
  poles: Array<[string, LiveStatus]>;
  /** [terminalId, status] for every terminal. */
  terminals: Array<[string, LiveStatus]>;
  alarms: Alarm[];
  counters: LiveCounters;
}

export interface DeltaMessage {
  type: 'delta';
  seq: number;
  serverTime: number;
  /** Server ingest time of the oldest change in this batch: receipt minus this is the latency. */
  oldestIngestTime: number;
  poles: Array<[string, LiveStatus]>;
  terminals: TerminalLive[];
  alarmsRaised: Alarm[];
  alarmsCleared: string[];
  counters: LiveCounters;
}

/**
 * Topics of server events carried on the same socket, so a browser needs one connection and one
 * `seq` for everything it watches: case transitions, scenario progress, …
 */
export const SERVER_EVENT_TOPICS = ['case', 'kpi', 'scenario', 'command', 'emergency'] as const;
export type ServerEventTopic = (typeof SERVER_EVENT_TOPICS)[number];

/** An event published by a server capability (cases, simulations) to every browser. */
export interface EventMessage {
  type: 'event';
  seq: number;
  serverTime: number;
  topic: ServerEventTopic;
  /** The topic's payload; its type is defined by the capability that publishes it. */
  data: unknown;
}

export type LiveMessage = SnapshotMessage | DeltaMessage | EventMessage;
