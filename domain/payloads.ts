/**
 * Versioned JSON payloads devices publish, and their validation.
 *
 * telemetry: { "v": 1, "ts": <ms since epoch>, "values": { <field>: number | boolean, … } }
 *   `values` holds one or more of the terminal type's fields (TELEMETRY_FIELDS), nothing else.
 * status:    { "v": 1, "ts": <ms>, "status": "online" | "fault" | "offline",
 *              "code"?: string, "message"?: string }
 * events:    { "v": 1, "ts": <ms>, "event": <name>, …the event's fields }, where the events a
 *            terminal type may send are listed in DEVICE_EVENTS (cover opened/tilted/closed, lamp
 *            fault codes, video-AI detections on cameras; domain/videoEvents.ts).
 *
 * Validation never throws: it returns the parsed payload or a message naming what is wrong
 * and where (a JSON pointer into the payload), which the ingest logs and counts.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  LAMP_FAULT_CODES,
  TELEMETRY_FIELDS,
  TERMINAL_REPORTED_STATUSES,
  TERMINAL_TYPES,
  type LampFaultCode,
  type TelemetryValues,
  type TerminalType,
} from './terminals';
import type { TopicKind } from './topics';
import { VIDEO_EVENT_CATEGORIES, type VideoEventCategory } from './videoEvents';

export const PAYLOAD_VERSION = 1;
/** Larger payloads are refused before parsing: no terminal type needs more than a few hundred bytes. */
export const MAX_PAYLOAD_BYTES = 4096;

// 2000-01-01 .. 2100-01-01: anything outside is a device clock or encoding error.
const Timestamp = Type.Integer({ minimum: 946_684_800_000, maximum: 4_102_444_800_000 });

export const StatusPayload = Type.Object(
  {
    v: Type.Literal(PAYLOAD_VERSION),
    ts: Timestamp,
    status: Type.Enum(TERMINAL_REPORTED_STATUSES),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    message: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type StatusPayload = Static<typeof StatusPayload>;

export interface TelemetryPayload {
  v: typeof PAYLOAD_VERSION;
  ts: number;
  values: TelemetryValues;
}

function telemetrySchema(type: TerminalType): TSchema {
  const properties: Record<string, TSchema> = {};
  for (const [name, field] of Object.entries(TELEMETRY_FIELDS[type])) {
    properties[name] = Type.Optional(
      field.kind === 'boolean' ? Type.Boolean() : Type.Number({ minimum: field.min, maximum: field.max }),
    );
  }
  return Type.Object(
    {
      v: Type.Literal(PAYLOAD_VERSION),
      ts: Timestamp,
      values: Type.Object(properties, { additionalProperties: false, minProperties: 1 }),
    },
    { additionalProperties: false },
  );
}

const envelope = { v: Type.Literal(PAYLOAD_VERSION), ts: Timestamp };
const strict = { additionalProperties: false } as const;

/** The events each terminal type may publish, with their schemas. */
const EVENT_SCHEMAS = {
  'cover-opened': Type.Object({ ...envelope, event: Type.Literal('cover-opened') }, strict),
  'cover-closed': Type.Object({ ...envelope, event: Type.Literal('cover-closed') }, strict),
  'cover-tilted': Type.Object(
    { ...envelope, event: Type.Literal('cover-tilted'), tiltDeg: Type.Number({ minimum: 0, maximum: 180 }) },
    strict,
  ),
  'lamp-fault': Type.Object(
    {
      ...envelope,
      event: Type.Literal('lamp-fault'),
      code: Type.Enum(LAMP_FAULT_CODES),
      message: Type.Optional(Type.String({ maxLength: 256 })),
    },
    strict,
  ),
  'lamp-restored': Type.Object({ ...envelope, event: Type.Literal('lamp-restored') }, strict),
  'video-ai': Type.Object(
    {
      ...envelope,
      event: Type.Literal('video-ai'),
      eventId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
      category: Type.Enum(VIDEO_EVENT_CATEGORIES),
      confidence: Type.Number({ minimum: 0, maximum: 1 }),
      bbox: Type.Optional(Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 4, maxItems: 4 })),
      snapshot: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    },
    strict,
  ),
};
export type DeviceEventName = keyof typeof EVENT_SCHEMAS;

export const DEVICE_EVENTS: Record<TerminalType, readonly DeviceEventName[]> = {
  lamp: ['lamp-fault', 'lamp-restored'],
  camera: ['video-ai'],
  'cover-sensor': ['cover-opened', 'cover-closed', 'cover-tilted'],
  'water-level': [],
  environment: [],
  'traffic-camera': ['video-ai'],
  'signal-controller': [],
};

interface EventBase {
  v: typeof PAYLOAD_VERSION;
  ts: number;
}
export type CoverEventPayload = EventBase & ({ event: 'cover-opened' | 'cover-closed' } | { event: 'cover-tilted'; tiltDeg: number });
export type LampEventPayload = EventBase &
  ({ event: 'lamp-fault'; code: LampFaultCode; message?: string } | { event: 'lamp-restored' });
export interface VideoAiEventPayload extends EventBase {
  event: 'video-ai';
  eventId: string;
  category: VideoEventCategory;
  confidence: number;
  bbox?: [number, number, number, number];
  snapshot?: string;
}
export type EventPayload = CoverEventPayload | LampEventPayload | VideoAiEventPayload;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const statusValidator = Compile(StatusPayload);
const telemetryValidators = Object.fromEntries(
  TERMINAL_TYPES.map((type) => [type, Compile(telemetrySchema(type))]),
) as Record<TerminalType, ReturnType<typeof Compile>>;
const eventValidators = Object.fromEntries(
  Object.entries(EVENT_SCHEMAS).map(([name, schema]) => [name, Compile(schema)]),
) as Record<DeviceEventName, ReturnType<typeof Compile>>;

/** Why a payload was refused, short and stable so refusals can be counted by cause. */
export const PAYLOAD_REJECT_REASONS = [
  'oversize',
  'not-json',
  'bad-version',
  'bad-timestamp',
  'future-timestamp',
  'unknown-field',
  'out-of-range',
  'bad-event',
  'bad-category',
  'invalid',
] as const;
export type PayloadRejectReason = (typeof PAYLOAD_REJECT_REASONS)[number];

/** How far a device's clock may run ahead of the server's before its messages are refused. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a message stamped `ts` is too far ahead of the server clock (`receivedAt`), or undefined
 * when it is not. A reading from the future would pin the terminal's latest time: every real
 * reading after it would look older and be taken for a late one.
 */
export function futureTimestampError(ts: number, receivedAt: number, maxSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS): string | undefined {
  const aheadMs = ts - receivedAt;
  if (aheadMs <= maxSkewMs) return undefined;
  return `/ts is ${Math.round(aheadMs / 1000)} s ahead of the server clock; at most ${maxSkewMs / 1000} s is accepted (check the device's clock)`;
}

export type DevicePayload = TelemetryPayload | StatusPayload | EventPayload;

export type PayloadResult<T> = { ok: true; payload: T } | { ok: false; reason: PayloadRejectReason; error: string };

/** Parses and validates a payload for a terminal of the given type. */
export function validatePayload(kind: 'telemetry', type: TerminalType, bytes: Uint8Array): PayloadResult<TelemetryPayload>;
export function validatePayload(kind: 'status', type: TerminalType, bytes: Uint8Array): PayloadResult<StatusPayload>;
export function validatePayload(kind: 'events', type: TerminalType, bytes: Uint8Array): PayloadResult<EventPayload>;
export function validatePayload(kind: TopicKind, type: TerminalType, bytes: Uint8Array): PayloadResult<DevicePayload>;
export function validatePayload(kind: TopicKind, type: TerminalType, bytes: Uint8Array): PayloadResult<DevicePayload> {
  if (bytes.byteLength > MAX_PAYLOAD_BYTES) {
    return { ok: false, reason: 'oversize', error: `payload is ${bytes.byteLength} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit` };
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    return { ok: false, reason: 'not-json', error: `payload is not UTF-8 JSON: ${(err as Error).message}` };
  }
  let validator: ReturnType<typeof Compile>;
  if (kind === 'events') {
    // Pick the event's schema first, so the error is about that event rather than a union.
    const event = typeof value === 'object' && value !== null ? (value as { event?: unknown }).event : undefined;
    const allowed = DEVICE_EVENTS[type];
    if (typeof event !== 'string' || !(allowed as readonly string[]).includes(event)) {
      const list = allowed.length > 0 ? allowed.join(', ') : 'none';
      return { ok: false, reason: 'bad-event', error: `/event must name an event a ${type} terminal sends (${list}), got ${JSON.stringify(event) ?? 'nothing'}` };
    }
    validator = eventValidators[event as DeviceEventName];
  } else {
    validator = kind === 'status' ? statusValidator : telemetryValidators[type];
  }
  if (validator.Check(value)) return { ok: true, payload: value as DevicePayload };
  // TypeBox reports an extra property twice ("schema is false" on it, and on its parent): keep the clearer one.
  const errors = validator.Errors(value).filter((e) => e.message !== 'schema is false');
  return { ok: false, reason: classify(errors), error: describeErrors(errors) };
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** The cause of the first error, which is the one an operator needs to fix the device. */
function classify(errors: readonly SchemaError[]): PayloadRejectReason {
  const first = errors[0];
  if (!first) return 'invalid';
  if (first.instancePath === '/v') return 'bad-version';
  if (first.instancePath === '/ts') return 'bad-timestamp';
  if (first.instancePath === '/category') return 'bad-category';
  if (first.keyword === 'additionalProperties') return 'unknown-field';
  if ((first.instancePath.startsWith('/values/') || first.instancePath === '/tiltDeg' || first.instancePath === '/confidence') && (first.keyword === 'minimum' || first.keyword === 'maximum')) {
    return 'out-of-range';
  }
  return 'invalid';
}

/** Turns validator errors into one line, e.g. `/values/depthCm must be <= 1000`. */
function describeErrors(errors: readonly SchemaError[]): string {
  const parts: string[] = [];
  for (const e of errors) {
    const where = e.instancePath === '' ? 'payload' : e.instancePath;
    const extra = Array.isArray(e.params.additionalProperties) ? ` (${e.params.additionalProperties.join(', ')})` : '';
    parts.push(`${where} ${e.message}${extra}`);
    if (parts.length === 3) break;
  }
  return parts.length > 0 ? parts.join('; ') : 'payload does not match the schema';
}
