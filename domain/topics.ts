/**
 * The MQTT topic scheme devices publish to (documented in README.md).
 *
 *   citytwin/v1/terminals/{terminalId}/telemetry   readings, QoS 0 or 1
 *   citytwin/v1/terminals/{terminalId}/status      online | fault | offline, QoS 1, retained
 *
 * `v1` versions the topic tree and the payload schema together; a breaking change to either
 * gets a new prefix so old and new devices can share a broker during a migration.
 */

export const TOPIC_PREFIX = 'citytwin/v1/terminals';
export const TOPIC_KINDS = ['telemetry', 'status'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** Subscriptions the ingest takes: every terminal's telemetry and status. */
export const INGEST_SUBSCRIPTIONS = TOPIC_KINDS.map((kind) => `${TOPIC_PREFIX}/+/${kind}`);

/** Terminal ids are safe in a topic level: letters, digits, '-', '_' and '.'. */
const TERMINAL_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function terminalTopic(terminalId: string, kind: TopicKind): string {
  if (!TERMINAL_ID.test(terminalId)) throw new RangeError(`terminal id "${terminalId}" cannot be used in a topic`);
  return `${TOPIC_PREFIX}/${terminalId}/${kind}`;
}

export interface ParsedTopic {
  terminalId: string;
  kind: TopicKind;
}

/** Parses a device topic, or returns undefined for any topic outside the scheme. */
export function parseTerminalTopic(topic: string): ParsedTopic | undefined {
  if (!topic.startsWith(`${TOPIC_PREFIX}/`)) return undefined;
  const rest = topic.slice(TOPIC_PREFIX.length + 1).split('/');
  if (rest.length !== 2) return undefined;
  const [terminalId, kind] = rest as [string, string];
  if (!TERMINAL_ID.test(terminalId)) return undefined;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return undefined;
  return { terminalId, kind: kind as TopicKind };
}
