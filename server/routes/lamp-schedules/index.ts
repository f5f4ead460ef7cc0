/**
 * Lamp schedules (docs/commands.md "Schedules"): on at sunset, off at sunrise (each with an
 * offset) and a night dimming profile, for a road, a grid cell, poles or every lamp. Anyone
 * logged in reads them with their next events; changing them takes the right to command lamps.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { COMMAND_ISSUER_ROLES } from '../../../domain/commands';
import { LampScheduleInputSchema, LampScheduleSchema } from '../../../domain/lampSchedules';
import { assertMayCommand } from '../../commands/authorize';
import { Errors } from '../../errors';
import { ErrorSchema, RecordIdParams } from '../schemas';

const ScheduleViewSchema = Type.Object({
  ...LampScheduleSchema.properties,
  next: Type.Array(Type.Object({ at: Type.Number(), label: Type.String() })),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { lampSchedules, twin } = app;
  const loggedIn = app.requireUser();
  const mayChange = app.requireUser(COMMAND_ISSUER_ROLES);
  const view = (s: ReturnType<typeof lampSchedules.list>[number]) => ({ ...s, next: lampSchedules.upcoming(s).map((e) => ({ at: e.at, label: e.label })) });
  const mayEdit = (user: Parameters<typeof assertMayCommand>[0]) => assertMayCommand(user, ['lamp'], twin.departmentById);

  app.get('/', { preHandler: loggedIn, schema: { response: { 200: Type.Array(ScheduleViewSchema), 401: ErrorSchema } } }, async () => lampSchedules.list().map(view));

  app.post(
    '/',
    { preParsing: mayChange, schema: { body: LampScheduleInputSchema, response: { 201: ScheduleViewSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (request, reply) => {
      mayEdit(request.user!);
      return reply.code(201).send(view(await lampSchedules.save(request.body)));
    },
  );

  app.put(
    '/:id',
    { preParsing: mayChange, schema: { params: RecordIdParams, body: LampScheduleInputSchema, response: { 200: ScheduleViewSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (request) => {
      mayEdit(request.user!);
      if (!lampSchedules.list().some((s) => s.id === request.params.id)) throw new Errors.NotFound('lamp schedule', request.params.id);
      return view(await lampSchedules.save(request.body, request.params.id));
    },
  );

  app.delete(
    '/:id',
    { preHandler: mayChange, schema: { params: RecordIdParams, response: { 204: Type.Null(), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (request, reply) => {
      mayEdit(request.user!);
      if (!(await lampSchedules.remove(request.params.id))) throw new Errors.NotFound('lamp schedule', request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default routes;
