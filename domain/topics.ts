/**
 * The MQTT topic scheme (documented in docs/devices.md).
 *
 *   citytwin/v1/terminals/{terminalId}/telemetry   readings                       device → server, QoS 1
 *   citytwin/v1/terminals/{terminalId}/status      online | fault | offline       device → server, QoS 1, retained,
 *                                                  also the device's last will (offline)
 *   citytwin/v1/terminals/{terminalId}/events      cover opened/tilted, lamp fault codes, video-AI detections
 *                                                  device (or the video-AI system) → server, QoS 1
 *   citytwin/v1/terminals/{terminalId}/commands    server → device, QoS 1, not retained (the only topic a
 *                                                  device may subscribe to; docs/commands.md)
 *   citytwin/v1/terminals/{terminalId}/acks        the device's answer to a command, device → server, QoS 1
 *
 * `v1` versions the topic tree and the payload schema together; a breaking change to either
 * gets a new prefix so old and new devices can share a broker during a migration.
 */

export const TOPIC_PREFIX = 'citytwin/v1/terminals';
/** What devices publish; the ingest subscribes to all three. */
export const TOPIC_KINDS = ['telemetry', 'status', 'events'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];
/** The server-to-device topic level. */
export const COMMAND_KIND = 'commands';
/** The device's answers to commands. */
export const ACK_KIND = 'acks';

/** Subscriptions the ingest takes: every terminal's telemetry, status and events. */
export const INGEST_SUBSCRIPTIONS = TOPIC_KINDS.map((kind) => `${TOPIC_PREFIX}/+/${kind}`);

/** Terminal ids are safe in a topic level: letters, digits, '-', '_' and '.'. */
const TERMINAL_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function isTerminalId(id: string): boolean {
  return TERMINAL_ID.test(id);
}

export function terminalTopic(terminalId: string, kind: TopicKind | typeof COMMAND_KIND | typeof ACK_KIND): string {
  if (!TERMINAL_ID.test(terminalId)) throw new RangeError(`terminal id "${terminalId}" cannot be used in a topic`);
  return `${TOPIC_PREFIX}/${terminalId}/${kind}`;
}

export function commandTopic(terminalId: string): string {
  return terminalTopic(terminalId, COMMAND_KIND);
}

export function ackTopic(terminalId: string): string {
  return terminalTopic(terminalId, ACK_KIND);
}

/** Every terminal's acks: what the command service subscribes to. */
export const ACK_SUBSCRIPTION = `${TOPIC_PREFIX}/+/${ACK_KIND}`;

/** The terminal id of an ack topic, or undefined for any other topic. */
export function parseAckTopic(topic: string): string | undefined {
  if (!topic.startsWith(`${TOPIC_PREFIX}/`) || !topic.endsWith(`/${ACK_KIND}`)) return undefined;
  const terminalId = topic.slice(TOPIC_PREFIX.length + 1, -ACK_KIND.length - 1);
  return TERMINAL_ID.test(terminalId) ? terminalId : undefined;
}

export interface ParsedTopic {
  terminalId: string;
  kind: TopicKind;
}

/** Parses a device topic, or returns undefined for any topic outside the scheme (commands included). */
export function parseTerminalTopic(topic: string): ParsedTopic | undefined {
  if (!topic.startsWith(`${TOPIC_PREFIX}/`)) return undefined;
  const rest = topic.slice(TOPIC_PREFIX.length + 1).split('/');
  if (rest.length !== 2) return undefined;
  const [terminalId, kind] = rest as [string, string];
  if (!TERMINAL_ID.test(terminalId)) return undefined;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return undefined;
  return { terminalId, kind: kind as TopicKind };
}
