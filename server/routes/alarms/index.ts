/**
 * Open alarms, newest first: `GET /api/alarms` (filter by severity, kind, pole, terminal).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ALARM_KINDS } from '../../../domain/live';
import { AlarmSchema, ErrorSchema, PageQuery, pageSchema, paginate } from '../schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { live } = app;

  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({
          severity: Type.Optional(Type.Union([Type.Literal('warning'), Type.Literal('critical')])),
          kind: Type.Optional(Type.Enum(ALARM_KINDS)),
          poleId: Type.Optional(Type.String()),
          terminalId: Type.Optional(Type.String()),
          ...PageQuery,
        }),
        response: { 200: pageSchema(AlarmSchema), 400: ErrorSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const alarms = live
        .alarms()
        .filter(
          (a) =>
            (q.severity === undefined || a.severity === q.severity) &&
            (q.kind === undefined || a.kind === q.kind) &&
            (q.poleId === undefined || a.poleId === q.poleId) &&
            (q.terminalId === undefined || a.terminalId === q.terminalId),
        )
        .sort((a, b) => b.raisedAt - a.raisedAt);
      return paginate(alarms, q, (a) => a);
    },
  );
};

export default routes;
