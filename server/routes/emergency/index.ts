/**
 * Emergency command (docs/emergency.md): the twin's resources, the plans (admins edit them), a
 * proposed response for an incident, the dispatch of units and the responses with their units'
 * status. Who may: every logged-in user reads and asks for proposals; dispatchers and admins
 * dispatch; admins edit plans. Refused before anything changes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  DispatchBodySchema,
  EmergencyRuleError,
  IncidentSchema,
  PlanBodySchema,
  PlanSchema,
  ProposalSchema,
  RESCUE_SKILLS,
  RESOURCE_KINDS,
  ResponseSchema,
} from '../../../domain/emergency';
import type { Role } from '../../../domain/users';
import { ErrorSchema } from '../schemas';

/** Who sends units. */
export const DISPATCH_ROLES: readonly Role[] = ['dispatcher', 'admin'];
/** Who edits plans. */
export const PLAN_ROLES: readonly Role[] = ['admin'];

const ResourceSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(RESOURCE_KINDS),
  name: Type.String(),
  nameEn: Type.Optional(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  departmentId: Type.Optional(Type.String()),
  members: Type.Optional(Type.Integer()),
  vehicles: Type.Optional(Type.Integer()),
  skills: Type.Optional(Type.Array(Type.Enum(RESCUE_SKILLS))),
  stock: Type.Optional(Type.Record(Type.String(), Type.Number())),
  capacity: Type.Optional(Type.Integer()),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { emergency, twin } = app;
  const loggedIn = app.requireUser();
  const mayDispatch = app.requireUser(DISPATCH_ROLES);
  const mayEditPlans = app.requireUser(PLAN_ROLES);

  app.get('/resources', { preHandler: loggedIn, schema: { response: { 200: Type.Array(ResourceSchema), 401: ErrorSchema } } }, async () => [...twin.resources]);

  app.get('/plans', { preHandler: loggedIn, schema: { response: { 200: Type.Array(PlanSchema), 401: ErrorSchema } } }, async () => emergency.plans());

  app.put(
    '/plans',
    { preParsing: mayEditPlans, schema: { body: PlanBodySchema, response: { 200: PlanSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema } } },
    async (request) => {
      const unknown = request.body.departments.find((id) => !twin.departmentById.has(id));
      if (unknown !== undefined) throw new EmergencyRuleError('invalid', `departments: "${unknown}" is not a department of this twin`, ['departments']);
      return emergency.savePlan(request.body, request.user!);
    },
  );

  app.delete(
    '/plans/:id',
    { preParsing: mayEditPlans, schema: { params: IdParams, response: { 204: Type.Null(), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (request, reply) => {
      await emergency.deletePlan(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/proposals',
    { preParsing: loggedIn, schema: { body: IncidentSchema, response: { 200: ProposalSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema } } },
    async (request) => emergency.propose(request.body),
  );

  app.post(
    '/dispatches',
    { preParsing: mayDispatch, schema: { body: DispatchBodySchema, response: { 201: ResponseSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema } } },
    async (request, reply) => reply.code(201).send(await emergency.dispatch(request.body, request.user!)),
  );

  app.get('/responses', { preHandler: loggedIn, schema: { response: { 200: Type.Array(ResponseSchema), 401: ErrorSchema } } }, async () => emergency.list());

  app.get(
    '/responses/:id',
    { preParsing: loggedIn, schema: { params: IdParams, response: { 200: ResponseSchema, 401: ErrorSchema, 404: ErrorSchema } } },
    async (request) => {
      const response = emergency.get(request.params.id);
      if (!response) throw new EmergencyRuleError('not-found', `response "${request.params.id}" not found`, ['id']);
      return response;
    },
  );
};

export default routes;
