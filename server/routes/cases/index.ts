/**
 * The case API (docs/cases.md): list, meta, detail with timeline, intake by inspectors and
 * dispatchers, workflow actions, photos. Every route needs a login; handlers only ever see their
 * own department's cases (CaseService enforces it on each call).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CASE_ACTION_RULES, CASE_ACTIONS } from '../../../domain/cases/actions';
import type { CaseMeta, CreateCaseRequest } from '../../../domain/cases/api';
import { CASE_SOURCES } from '../../../domain/cases/case';
import { CASE_CATEGORIES } from '../../../domain/cases/categories';
import { CASE_STAGES, CASE_STATUSES } from '../../../domain/cases/stages';
import { createHash } from 'node:crypto';
import { Errors } from '../../errors';
import type { IdempotencyKey, StoredUser } from '../../storage/Storage';
import type { Caller } from '../../cases/workflow';
import { OffsetQuery } from '../schemas';
import {
  ActionBodySchema,
  BEARER,
  CaseIdSchema,
  CaseSchema,
  CreateCaseBodySchema,
  EventSchema,
  IdempotencyHeaders,
  KindSchema,
  ReportSchema,
  RoleSchema,
  SourceSchema,
  StatusSchema,
  UrgencySchema,
  errors,
} from './schemas';

export function callerOf(user: StoredUser | null): Caller {
  if (!user) throw new Errors.Unauthorized('log in first');
  return { userId: user.id, username: user.username, role: user.role, departmentId: user.departmentId };
}

/** Idempotency keys are scoped to the user and the route, so two users' keys never collide. */
/**
 * A request's idempotency key scoped to its route and caller (`scope`), with the hash of the body
 * it came with: the same key on another route or from another user is another key, and the same
 * key with another body is refused (422) rather than answered with the first request's result.
 */
export function idempotencyOf(scope: string, request: { headers: { 'idempotency-key'?: string }; body: unknown }): IdempotencyKey | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  return { key: `${scope}:${key}`, requestHash: createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex') };
}

const ListQuery = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    stage: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    kind: Type.Optional(KindSchema),
    categoryId: Type.Optional(Type.String({ maxLength: 64 })),
    departmentId: Type.Optional(Type.String({ maxLength: 64 })),
    gridCode: Type.Optional(Type.String({ pattern: '^\\d{1,14}$', description: 'a grid code or a prefix of one (street, community)' })),
    source: Type.Optional(SourceSchema),
    urgency: Type.Optional(UrgencySchema),
    overdue: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(OffsetQuery),
  },
  { additionalProperties: false },
);

const MetaSchema = Type.Object({
  statuses: Type.Array(StatusSchema),
  stages: Type.Array(Type.Object({ no: Type.Integer(), id: Type.String(), zh: Type.String(), en: Type.String() })),
  categories: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: KindSchema,
      codes: Type.Array(Type.String()),
      zh: Type.String(),
      en: Type.String(),
      defaultUrgency: UrgencySchema,
      videoAi: Type.Boolean(),
    }),
  ),
  actions: Type.Array(
    Type.Object({
      id: Type.Enum(CASE_ACTIONS),
      from: Type.Array(StatusSchema),
      roles: Type.Array(RoleSchema),
      needsNote: Type.Boolean(),
      zh: Type.String(),
      en: Type.String(),
    }),
  ),
  departments: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() })),
  sources: Type.Array(SourceSchema),
});

const IdParams = Type.Object({ id: CaseIdSchema });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { cases } = app;
  const anyUser = app.requireUser();

  const meta = {
    statuses: [...CASE_STATUSES],
    stages: CASE_STAGES.map((s) => ({ ...s })),
    categories: CASE_CATEGORIES.map((c) => ({ id: c.id, kind: c.kind, codes: c.codes, zh: c.zh, en: c.en, defaultUrgency: c.defaultUrgency, videoAi: c.videoAi === true })),
    actions: CASE_ACTIONS.map((id) => {
      const r = CASE_ACTION_RULES[id];
      return { id, from: [...r.from], roles: [...r.roles], needsNote: r.needsNote === true, zh: r.zh, en: r.en };
    }),
    departments: app.twin.departments.map((d) => ({ id: d.id, zh: d.name['zh-CN'], en: d.name.en })),
    sources: [...CASE_SOURCES],
  } satisfies CaseMeta;

  app.get(
    '/',
    {
      preParsing: anyUser,
      schema: {
        summary: 'List cases, newest first (handlers: their department only)',
        security: BEARER,
        querystring: ListQuery,
        response: { 200: Type.Object({ total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer(), items: Type.Array(CaseSchema) }), ...errors(400, 401) },
      },
    },
    async (request) => cases.list(request.query, callerOf(request.user)),
  );

  app.get(
    '/meta',
    { preParsing: anyUser, schema: { summary: 'Statuses, stages, categories, actions, departments, sources', security: BEARER, response: { 200: MetaSchema, ...errors(401) } } },
    async () => meta,
  );

  app.get(
    '/:id',
    {
      preParsing: anyUser,
      schema: {
        summary: 'A case with its reports, timeline and the actions the caller may take',
        security: BEARER,
        params: IdParams,
        response: {
          200: Type.Object({ case: CaseSchema, reports: Type.Array(ReportSchema), events: Type.Array(EventSchema), allowedActions: Type.Array(Type.Enum(CASE_ACTIONS)) }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => cases.detail(request.params.id, callerOf(request.user)),
  );

  app.post(
    '/',
    {
      preParsing: app.requireUser(['inspector', 'dispatcher']),
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        summary: 'Report a case: inspectors on patrol, dispatchers for the 12345 hotline and directives',
        security: BEARER,
        headers: IdempotencyHeaders,
        body: CreateCaseBodySchema,
        response: { 201: Type.Object({ case: CaseSchema, report: ReportSchema, merged: Type.Boolean() }), ...errors(400, 401, 403, 413, 422) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request.user);
      const body: CreateCaseRequest = request.body;
      const source = body.source ?? (caller.role === 'inspector' ? 'inspector' : '12345');
      if (caller.role === 'inspector' && source !== 'inspector') throw new Errors.BadRequest('body/source: inspectors report as inspector');
      if (caller.role === 'dispatcher' && source === 'inspector') throw new Errors.BadRequest('body/source: dispatchers enter 12345 or directive reports');
      const { photo, ...rest } = body;
      const answer = await cases.intake(
        { ...rest, source, reporter: body.reporter ?? caller.username },
        { kind: 'user', userId: caller.userId, username: caller.username, role: caller.role },
        { idempotency: idempotencyOf(`${caller.userId}:create`, request), photo },
      );
      return reply.code(201).send(answer.body);
    },
  );

  app.post(
    '/:id/actions',
    {
      preParsing: anyUser,
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        summary: 'Take a workflow action (docs/cases.md lists who may take which)',
        security: BEARER,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ActionBodySchema,
        response: { 200: Type.Object({ case: CaseSchema, event: EventSchema }), ...errors(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request.user);
      const key = idempotencyOf(`${caller.userId}:act:${request.params.id}`, request);
      const answer = await cases.act(request.params.id, request.body, caller, key);
      return reply.code(200).send(answer.body);
    },
  );

  app.get(
    '/:id/photos/:photoId',
    {
      preParsing: anyUser,
      schema: {
        summary: 'A photo of the case (JPEG or PNG)',
        security: BEARER,
        params: Type.Object({ id: CaseIdSchema, photoId: Type.String({ pattern: '^[0-9a-f]{24}\\.(jpg|png)$' }) }),
        response: { 200: Type.Any({ description: 'the image bytes' }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const photo = await cases.photo(request.params.id, request.params.photoId, callerOf(request.user));
      return reply.type(photo.type).header('cache-control', 'private, max-age=86400').send(photo.bytes);
    },
  );
};

export default routes;
