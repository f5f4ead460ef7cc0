/**
 * TypeBox schemas of the case, auth, user, KPI and citizen report API: request validation,
 * response serialisation and the OpenAPI document come from them. `satisfies` checks keep each
 * in step with its domain type (domain/cases/*.ts, domain/users.ts).
 */
import Type, { type Static } from 'typebox';
import { CASE_ACTIONS } from '../../../domain/cases/actions';
import type { CaseActionRequest } from '../../../domain/cases/actions';
import type { Kpi, PublicProgress } from '../../../domain/cases/api';
import { MAX_DESCRIPTION_LENGTH } from '../../../domain/cases/api';
import { CASE_SOURCES, SYSTEM_EVENTS, type Case, type CaseEvent, type CaseReport } from '../../../domain/cases/case';
import { CASE_KINDS, URGENCIES } from '../../../domain/cases/categories';
import { CASE_STATUSES } from '../../../domain/cases/stages';
import { ROLES, type User } from '../../../domain/users';
import { MAX_PHOTO_BASE64 } from '../../cases/photos';
import { ErrorSchema } from '../schemas';

/** Compile-time check that a schema's static type and a domain type agree both ways. */
export type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const StatusSchema = Type.Enum(CASE_STATUSES);
export const SourceSchema = Type.Enum(CASE_SOURCES);
export const UrgencySchema = Type.Enum(URGENCIES);
export const KindSchema = Type.Enum(CASE_KINDS);
export const RoleSchema = Type.Enum(ROLES);
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
export const PhotoSchema = Type.String({ maxLength: MAX_PHOTO_BASE64, description: 'base64 JPEG or PNG, at most 2 MiB decoded' });
export const ComponentCodeSchema = Type.String({ pattern: '^\\d{16}$' });
export const CaseIdSchema = Type.String({ pattern: '^C\\d{8}$' });
export const TrackingCodeSchema = Type.String({ pattern: '^[A-Z2-9]{10}$' });

export const CaseSchema = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  categoryId: Type.String(),
  urgency: UrgencySchema,
  status: StatusSchema,
  source: SourceSchema,
  description: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  gridCode: Type.Optional(Type.String()),
  componentCode: Type.Optional(Type.String()),
  poleId: Type.Optional(Type.String()),
  terminalId: Type.Optional(Type.String()),
  suggestedDepartmentId: Type.Optional(Type.String()),
  departmentId: Type.Optional(Type.String()),
  reportCount: Type.Integer(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  registeredAt: Type.Optional(Type.Number()),
  dispatchedAt: Type.Optional(Type.Number()),
  acceptedAt: Type.Optional(Type.Number()),
  handledAt: Type.Optional(Type.Number()),
  closedAt: Type.Optional(Type.Number()),
  evaluatedAt: Type.Optional(Type.Number()),
  stepStartedAt: Type.Number(),
  dueAt: Type.Optional(Type.Number()),
  handleDueAt: Type.Optional(Type.Number()),
  overdue: Type.Boolean(),
  handledLate: Type.Optional(Type.Boolean()),
  escalation: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]),
  extensionRequest: Type.Optional(Type.Object({ minutes: Type.Integer(), note: Type.String(), requestedAt: Type.Number(), requestedBy: Type.String() })),
  suspendedFrom: Type.Optional(StatusSchema),
  suspendedAt: Type.Optional(Type.Number()),
  returnCount: Type.Integer(),
  reopenCount: Type.Integer(),
  rating: Type.Optional(Type.Number()),
  cancelReason: Type.Optional(Type.Union([Type.Literal('invalid'), Type.Literal('duplicate')])),
  duplicateOf: Type.Optional(Type.String()),
  photoIds: Type.Array(Type.String()),
  version: Type.Integer(),
});
true satisfies Agree<Static<typeof CaseSchema>, Case>;

export const ReportSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  source: SourceSchema,
  categoryId: Type.String(),
  description: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  reportedAt: Type.Number(),
  trackingCode: Type.Optional(Type.String()),
  reporter: Type.Optional(Type.String()),
  alarmId: Type.Optional(Type.String()),
  photoId: Type.Optional(Type.String()),
  rating: Type.Optional(Type.Integer()),
});
true satisfies Agree<Static<typeof ReportSchema>, CaseReport>;

const ActorSchema = Type.Union([
  Type.Object({ kind: Type.Literal('user'), userId: Type.String(), username: Type.String(), role: RoleSchema }),
  Type.Object({ kind: Type.Literal('citizen'), trackingCode: Type.String() }),
  Type.Object({ kind: Type.Literal('system'), name: Type.String() }),
]);

export const EventSchema = Type.Object({
  seq: Type.Integer(),
  caseId: Type.String(),
  at: Type.Number(),
  actor: ActorSchema,
  action: Type.Enum([...CASE_ACTIONS, ...SYSTEM_EVENTS]),
  from: Type.Optional(StatusSchema),
  to: StatusSchema,
  note: Type.Optional(Type.String()),
  data: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
});
true satisfies Agree<Static<typeof EventSchema>, CaseEvent>;

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  departmentId: Type.Optional(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.Number(),
});
true satisfies Agree<Static<typeof UserSchema>, User>;

export const ActionBodySchema = Type.Object(
  {
    action: Type.Enum(CASE_ACTIONS),
    note: Type.Optional(Text(MAX_DESCRIPTION_LENGTH)),
    departmentId: Type.Optional(Text(64, 1)),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 43_200 })),
    reason: Type.Optional(Type.Union([Type.Literal('invalid'), Type.Literal('duplicate')])),
    duplicateOf: Type.Optional(CaseIdSchema),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    photo: Type.Optional(PhotoSchema),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
true satisfies Agree<Static<typeof ActionBodySchema>, CaseActionRequest>;

export const CreateCaseBodySchema = Type.Object(
  {
    categoryId: Text(64, 1),
    componentCode: Type.Optional(ComponentCodeSchema),
    description: Text(MAX_DESCRIPTION_LENGTH, 1),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    urgency: Type.Optional(UrgencySchema),
    source: Type.Optional(Type.Union([Type.Literal('inspector'), Type.Literal('12345'), Type.Literal('directive')])),
    reporter: Type.Optional(Text(200)),
    photo: Type.Optional(PhotoSchema),
  },
  { additionalProperties: false },
);

export const PublicReportBodySchema = Type.Object(
  {
    categoryId: Text(64, 1),
    description: Text(MAX_DESCRIPTION_LENGTH, 1),
    lon: Lon,
    lat: Lat,
    contact: Type.Optional(Text(200)),
    photo: Type.Optional(PhotoSchema),
  },
  { additionalProperties: false },
);

export const ProgressSchema = Type.Object({
  trackingCode: Type.String(),
  categoryId: Type.String(),
  status: StatusSchema,
  stage: Type.Integer(),
  reportedAt: Type.Number(),
  steps: Type.Array(Type.Object({ at: Type.Number(), status: StatusSchema })),
  canRate: Type.Boolean(),
  rating: Type.Optional(Type.Integer()),
});
true satisfies Agree<Static<typeof ProgressSchema>, PublicProgress>;

const Rate = Type.Union([Type.Number(), Type.Null()]);
export const KpiSchema = Type.Object({
  key: Type.String(),
  dispatched: Type.Integer(),
  handled: Type.Integer(),
  handlingRate: Rate,
  onTimeRate: Rate,
  reworkRate: Rate,
  satisfaction: Rate,
  ratings: Type.Integer(),
  overdueOpen: Type.Integer(),
});
true satisfies Agree<Static<typeof KpiSchema>, Kpi>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,128}$', description: 'makes the POST safe to retry' })),
});

/** Error answers a route may give, for the OpenAPI document. */
export function errors<C extends number>(...codes: C[]): Record<C, typeof ErrorSchema> {
  return Object.fromEntries(codes.map((c) => [c, ErrorSchema])) as Record<C, typeof ErrorSchema>;
}

export const BEARER = [{ bearer: [] }];
