/**
 * Scenarios (saved simulation runs): submit, list, follow, fetch result files, cancel, delete.
 * Progress and status changes are also pushed on the live WebSocket (topic "scenario").
 *
 * Looking is open, like the twin itself: a leader's wall or an exhibition tour shows results
 * without anyone logging in. Running, cancelling and deleting need a planner, leader, dispatcher
 * or admin: a run occupies the machine for minutes.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { SCENARIO_KIND_NAMES, SCENARIO_STATUSES, type Scenario } from '../../../domain/scenarios';
import { SCENARIO_ROLES } from '../../../domain/users';
import { Errors } from '../../errors';
import { ScenarioParamsError, type ScenarioKind } from '../../scenarios/ScenarioKind';
import { QueueFullError } from '../../scenarios/ScenarioRunner';
import { ScenarioStore } from '../../scenarios/ScenarioStore';
import { ErrorSchema } from '../schemas';

const ScenarioSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(SCENARIO_KIND_NAMES),
  name: Type.String(),
  params: Type.Unknown(),
  status: Type.Enum(SCENARIO_STATUSES),
  progress: Type.Number(),
  message: Type.Optional(Type.String()),
  createdAt: Type.Number(),
  startedAt: Type.Optional(Type.Number()),
  finishedAt: Type.Optional(Type.Number()),
  summary: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  files: Type.Optional(Type.Array(Type.String())),
  error: Type.Optional(Type.String()),
});

const NameSchema = Type.String({ minLength: 1, maxLength: 120 });

/**
 * What the route checks of a new scenario itself. `params` is the kind's to check, against the
 * same schema the OpenAPI document shows (submitBody): its errors name the field inside params,
 * where a union over the kinds would only say that no kind matched.
 */
const SubmitEnvelope = Type.Object({ kind: Type.Enum(SCENARIO_KIND_NAMES), name: NameSchema, params: Type.Optional(Type.Unknown()) });

/** A new scenario as the OpenAPI document shows it: one shape per kind, with its params schema. */
function submitBody(kinds: readonly ScenarioKind[]) {
  return Type.Union(
    kinds.map((k) => Type.Object({ kind: Type.Literal(k.kind), name: NameSchema, params: Type.Optional(k.paramsSchema ?? Type.Unknown()) })),
  );
}

const IdParams = Type.Object({ id: Type.String({ pattern: '^sc-[0-9a-z]+-[0-9a-z]+$' }) });

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.asc': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
  '.xml': 'application/xml; charset=utf-8',
};

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, runner } = app.scenarios;
  const mayRun = app.requireUser(SCENARIO_ROLES);

  const found = async (id: string): Promise<Scenario> => {
    const scenario = await store.get(id);
    if (!scenario) throw new Errors.NotFound('scenario', id);
    return scenario;
  };

  app.post(
    '/',
    {
      preParsing: mayRun,
      schema: {
        body: submitBody(runner.kindDefs()),
        response: { 202: ScenarioSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 429: ErrorSchema },
      },
      validatorCompiler: (req) => TypeBoxValidatorCompiler(req.httpPart === 'body' ? { ...req, schema: SubmitEnvelope } : req),
    },
    async (request, reply) => {
      const { kind, name, params } = request.body as Static<typeof SubmitEnvelope>;
      if (!runner.hasKind(kind)) {
        throw new Errors.BadRequest(`body/kind "${kind}" is not available on this server; available: ${runner.kindNames().join(', ')}`);
      }
      try {
        const scenario = await runner.submit(kind, name.trim(), params ?? {});
        return reply.code(202).send(scenario);
      } catch (err) {
        if (err instanceof ScenarioParamsError) {
          // Kinds name fields from `params` ("params.rain.mmPerHour") or inside it ("upTo").
          const field = err.path.startsWith('params') ? err.path : `params.${err.path}`;
          throw new Errors.BadRequest(`body/${field.replace(/\./g, '/')}: ${err.message.slice(err.path.length + 2)}`);
        }
        if (err instanceof QueueFullError) throw new Errors.Busy(err.message);
        throw err;
      }
    },
  );

  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({ kind: Type.Optional(Type.Enum(SCENARIO_KIND_NAMES)) }),
        response: { 200: Type.Array(ScenarioSchema), 400: ErrorSchema },
      },
    },
    async (request) => store.list(request.query.kind),
  );

  app.get(
    '/:id',
    { schema: { params: IdParams, response: { 200: ScenarioSchema, 404: ErrorSchema } } },
    async (request) => found(request.params.id),
  );

  app.get(
    '/:id/files/:name',
    {
      schema: {
        params: Type.Object({ id: IdParams.properties.id, name: Type.String({ pattern: '^[A-Za-z0-9._-]+$', maxLength: 120 }) }),
        response: { 200: Type.Unknown(), 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const scenario = await found(request.params.id);
      const { name } = request.params;
      // Only files the run declared are served, from the database, whichever instance ran it.
      const file = await store.file(scenario, name);
      if (!file) throw new Errors.NotFound('scenario file', `${scenario.id}/${name}`);
      reply.header('content-type', CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream');
      reply.header('content-length', file.size);
      // Results never change once written; the no-store default for /api/ does not apply.
      reply.header('cache-control', 'private, max-age=86400, immutable');
      return reply.send(Readable.from(file.parts));
    },
  );

  app.post(
    '/:id/cancel',
    { preParsing: mayRun, schema: { params: IdParams, response: { 200: ScenarioSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (request) => {
      await found(request.params.id);
      const scenario = await runner.cancel(request.params.id);
      // Deleted between the two reads.
      if (!scenario) throw new Errors.NotFound('scenario', request.params.id);
      return scenario;
    },
  );

  app.delete(
    '/:id',
    { preParsing: mayRun, schema: { params: IdParams, response: { 204: Type.Null(), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (request, reply) => {
      if (!ScenarioStore.isId(request.params.id) || !(await runner.remove(request.params.id))) {
        throw new Errors.NotFound('scenario', request.params.id);
      }
      return reply.code(204).send(null);
    },
  );
};

export default routes;
