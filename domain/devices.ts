/**
 * Who may connect to the broker and what each may do: the access rules of the topic scheme
 * (domain/topics.ts), as pure functions the embedded broker calls and an external broker's ACL
 * file mirrors (docs/devices.md).
 *
 * Three kinds of account:
 * - a device: username = its terminal id. It publishes telemetry, status, events and command acks
 *   under its own id only, and subscribes to nothing but its own command topic. Its last will (an `offline`
 *   status) goes through the same publish rule, so a device cannot leave a will for another.
 * - the video-AI system (VIDEO_AI_USERNAME): an outside system that publishes `video-ai` events on
 *   the events topic of camera terminals only, and subscribes to nothing.
 * - an emergency unit (a crew of the twin's resources layer): username = its resource id. It
 *   publishes its own position and status under `citytwin/v1/units/{id}/` and reads only its own
 *   orders topic (domain/emergency.ts).
 * - the server's own service account (SERVICE_USERNAME): the ingest, which reads every terminal's
 *   topics and may send commands. It is the operator's account and is not restricted (tools such as
 *   the benchmarks use it too). Browsers never get a broker account: they see the twin only
 *   through the server's WebSocket.
 */
import { parseUnitTopic, unitTopic, UNIT_ORDER_KIND } from './emergency';
import type { TerminalType } from './terminals';
import { commandTopic, parseAckTopic, parseTerminalTopic } from './topics';

export const SERVICE_USERNAME = 'citytwin-service';
export const VIDEO_AI_USERNAME = 'citytwin-video-ai';

/** Terminal types a video-AI system analyses the picture of. */
export const VIDEO_TERMINAL_TYPES: readonly TerminalType[] = ['camera', 'traffic-camera'];

export type Principal =
  | { role: 'device'; terminalId: string }
  | { role: 'video-ai' }
  | { role: 'unit'; unitId: string }
  | { role: 'service'; username: string };

/** Looks up a terminal's type, undefined for a terminal the twin does not have. */
export type TerminalTypeOf = (terminalId: string) => TerminalType | undefined;

/** Whether `principal` may publish on `topic` (wildcards are refused by the broker before this). */
export function mayPublish(principal: Principal, topic: string, typeOf: TerminalTypeOf): boolean {
  switch (principal.role) {
    case 'service':
      return true;
    case 'device': {
      const parsed = parseTerminalTopic(topic);
      if (parsed) return parsed.terminalId === principal.terminalId;
      return parseAckTopic(topic) === principal.terminalId;
    }
    case 'unit': {
      const parsed = parseUnitTopic(topic);
      return parsed !== undefined && parsed.kind !== UNIT_ORDER_KIND && parsed.unitId === principal.unitId;
    }
    case 'video-ai': {
      const parsed = parseTerminalTopic(topic);
      if (!parsed || parsed.kind !== 'events') return false;
      const type = typeOf(parsed.terminalId);
      return type !== undefined && VIDEO_TERMINAL_TYPES.includes(type);
    }
  }
}

/** Separates a device's terminal id from a suffix of its own in its client id (`P00001-lamp:2`). */
export const CLIENT_ID_SUFFIX_SEPARATOR = ':';

/**
 * Whether `principal` may connect with `clientId`. The id names the MQTT session the broker keeps
 * (and hands to whoever connects with it next, queued messages included), so it is bound to the
 * account: a device's id is its terminal id, or that id, a colon and a suffix of its own (a unit's
 * likewise its unit id); the other accounts may use any id that does not name a terminal or unit.
 */
export function mayUseClientId(principal: Principal, clientId: string, isTerminal: (id: string) => boolean): boolean {
  const cut = clientId.indexOf(CLIENT_ID_SUFFIX_SEPARATOR);
  const named = cut < 0 ? clientId : clientId.slice(0, cut);
  if (principal.role === 'device') return named === principal.terminalId;
  if (principal.role === 'unit') return named === principal.unitId;
  return !isTerminal(named);
}

/** Whether `principal` may subscribe to `filter` (MQTT wildcards included). */
export function maySubscribe(principal: Principal, filter: string): boolean {
  switch (principal.role) {
    case 'service':
      return true;
    case 'device':
      return filter === commandTopic(principal.terminalId);
    case 'unit':
      return filter === unitTopic(principal.unitId, UNIT_ORDER_KIND);
    case 'video-ai':
      return false;
  }
}

/**
 * Where a terminal sits in the city: its pole, the pole's road and rank along it, and the urban
 * component it watches (a cover sensor's manhole cover, the lamp pole's own component code).
 */
export interface DeviceEntry {
  terminalId: string;
  type: TerminalType;
  poleId: string;
  /** The pole's position (WGS84 degrees). */
  lon: number;
  lat: number;
  roadId: string;
  /** 0-based rank of the pole along its road (see server/devices/registry/roadOrder.ts). */
  roadRank: number;
  /** The 16-digit code of the component the terminal watches or belongs to, when one is known. */
  componentCode?: string;
  gridCode?: string;
}
