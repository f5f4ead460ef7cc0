/**
 * IoT terminals: `GET /api/terminals` (filter by live status, type, pole, road) and
 * `GET /api/terminals/:id` with its latest readings and open alarms.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Errors } from '../../errors';
import {
  AlarmSchema,
  ErrorSchema,
  LiveStatusSchema,
  PageQuery,
  TerminalSchema,
  TerminalTypeSchema,
  pageSchema,
  paginate, RecordIdParams } from '../schemas';
import { terminalView } from '../views';

const TerminalDetailSchema = Type.Object({ ...TerminalSchema.properties, alarms: Type.Array(AlarmSchema) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { twin, live } = app;

  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({
          status: Type.Optional(LiveStatusSchema),
          type: Type.Optional(TerminalTypeSchema),
          poleId: Type.Optional(Type.String()),
          roadId: Type.Optional(Type.String({ description: 'terminals on the poles of this road' })),
          ...PageQuery,
        }),
        response: { 200: pageSchema(TerminalSchema), 400: ErrorSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const source = q.poleId === undefined ? twin.terminals : twin.terminalsOf(q.poleId);
      const terminals = source.filter(
        (t) =>
          (q.status === undefined || live.terminalStatus(t.id) === q.status) &&
          (q.type === undefined || t.type === q.type) &&
          (q.roadId === undefined || twin.poleById.get(t.poleId)?.roadId === q.roadId),
      );
      return paginate(terminals, q, (t) => terminalView(t, live));
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        params: RecordIdParams,
        response: { 200: TerminalDetailSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const terminal = twin.terminalById.get(request.params.id);
      if (!terminal) throw new Errors.NotFound('terminal', request.params.id);
      return { ...terminalView(terminal, live), alarms: live.alarmsOfTerminal(terminal.id) };
    },
  );
};

export default routes;
