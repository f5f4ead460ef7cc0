/**
 * TypeBox schemas shared by the resource routes, and the small query helpers they share
 * (paging, bounding boxes). Schemas follow the domain types; `satisfies` checks keep them from
 * drifting apart.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { ALARM_KINDS, type Alarm } from '../../domain/live';
import { VIDEO_EVENT_CATEGORIES } from '../../domain/videoEvents';
import { STREAM_PROTOCOLS, type CameraInfo } from '../../domain/cameras';
import { LIVE_STATUSES, TERMINAL_TYPES } from '../../domain/terminals';
import type { GeoBounds } from '../../domain/twinPackage';
import { Errors } from '../errors';

export const LiveStatusSchema = Type.Enum(LIVE_STATUSES);
export const TerminalTypeSchema = Type.Enum(TERMINAL_TYPES);
export const TelemetryValuesSchema = Type.Record(Type.String(), Type.Union([Type.Number(), Type.Boolean()]));

export const AlarmSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(ALARM_KINDS),
  severity: Type.Union([Type.Literal('warning'), Type.Literal('critical')]),
  terminalId: Type.String(),
  terminalType: TerminalTypeSchema,
  poleId: Type.String(),
  raisedAt: Type.Number(),
  field: Type.Optional(Type.String()),
  value: Type.Optional(Type.Union([Type.Number(), Type.Boolean()])),
  limit: Type.Optional(Type.Union([Type.Number(), Type.Boolean()])),
  code: Type.Optional(Type.String()),
  lon: Type.Optional(Type.Number()),
  lat: Type.Optional(Type.Number()),
  componentCode: Type.Optional(Type.String()),
  roadId: Type.Optional(Type.String()),
  gridCode: Type.Optional(Type.String()),
  category: Type.Optional(Type.Enum(VIDEO_EVENT_CATEGORIES)),
  eventCode: Type.Optional(Type.String()),
  eventId: Type.Optional(Type.String()),
  confidence: Type.Optional(Type.Number()),
  snapshot: Type.Optional(Type.String()),
  bbox: Type.Optional(Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()])),
  poleIds: Type.Optional(Type.Array(Type.String())),
});
export type AlarmBody = Static<typeof AlarmSchema>;
// Compile-time check that the schema and the domain type agree both ways.
true satisfies Alarm extends AlarmBody ? (AlarmBody extends Alarm ? true : false) : false;

/** A camera's pose and stream endpoints (domain/cameras.ts). */
export const CameraInfoSchema = Type.Object({
  pose: Type.Object({
    lon: Type.Number(),
    lat: Type.Number(),
    heightM: Type.Number({ description: 'lens height above the ground, m' }),
    headingDeg: Type.Number({ description: 'clockwise from north' }),
    pitchDeg: Type.Number({ description: 'negative looks down' }),
    hfovDeg: Type.Number({ description: 'horizontal field of view' }),
    aspect: Type.Number({ description: 'image width ÷ height' }),
    rangeM: Type.Number({ description: 'far plane of the frustum, m' }),
  }),
  streams: Type.Array(Type.Object({ protocol: Type.Enum(STREAM_PROTOCOLS), url: Type.String() })),
  embedded: Type.Boolean({ description: "true: citytwin's own encoder renders this camera (POST /api/cameras/:id/stream)" }),
});
true satisfies CameraInfo extends Static<typeof CameraInfoSchema> ? (Static<typeof CameraInfoSchema> extends CameraInfo ? true : false) : false;

/** A terminal with its live state, as the API returns it. */
export const TerminalSchema = Type.Object({
  id: Type.String(),
  poleId: Type.String(),
  type: TerminalTypeSchema,
  model: Type.String(),
  status: LiveStatusSchema,
  /** Device time of the latest report, ms; 0 before any. */
  ts: Type.Number(),
  /** Server time the latest message arrived, ms; 0 before any. */
  receivedAt: Type.Number(),
  values: TelemetryValuesSchema,
  faultCode: Type.Optional(Type.String()),
  camera: Type.Optional(CameraInfoSchema),
});
export type TerminalBody = Static<typeof TerminalSchema>;

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

/**
 * Every numeric query parameter has both bounds: an unbounded integer reaches the database as a
 * value it cannot bind (SQLite refuses integers of 2^63 and more), a 500 instead of a 400.
 */
export const MAX_OFFSET = 10_000_000;
/** The largest time a JavaScript Date holds (ms since epoch). */
export const MAX_TIME_MS = 8_640_000_000_000_000;

/** `/:id` of a twin record (pole, terminal). */
export const RecordIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const OffsetQuery = Type.Integer({ minimum: 0, maximum: MAX_OFFSET, description: 'items to skip' });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `page size, default ${DEFAULT_LIMIT}` })),
  offset: Type.Optional(OffsetQuery),
};

const NUM = '-?\\d+(\\.\\d+)?';
export const BboxQuery = Type.String({
  pattern: `^${NUM},${NUM},${NUM},${NUM}$`,
  description: 'west,south,east,north in degrees',
});

export function pageSchema<T extends TSchema>(item: T) {
  return Type.Object({
    total: Type.Integer(),
    offset: Type.Integer(),
    limit: Type.Integer(),
    items: Type.Array(item),
  });
}

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

/** One page of already-filtered items; `map` runs only on the items returned. */
export function paginate<T, U>(items: readonly T[], query: { limit?: number; offset?: number }, map: (item: T) => U): Page<U> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  return { total: items.length, offset, limit, items: items.slice(offset, offset + limit).map(map) };
}

/** Parses `w,s,e,n` (already pattern-checked); 400 when the box makes no sense. */
export function parseBbox(text: string | undefined): GeoBounds | undefined {
  if (text === undefined) return undefined;
  const [west, south, east, north] = text.split(',').map(Number) as [number, number, number, number];
  if (west < -180 || east > 180 || south < -90 || north > 90) {
    throw new Errors.BadRequest('bbox must lie within -180..180 longitude and -90..90 latitude');
  }
  if (!(west < east && south < north)) {
    throw new Errors.BadRequest('bbox must be west,south,east,north with west < east and south < north');
  }
  return { west, south, east, north };
}

export function inBounds(b: GeoBounds, lon: number, lat: number): boolean {
  return lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north;
}
