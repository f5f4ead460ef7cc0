/**
 * `GET /api/kpis`: stage 7 evaluation — handling, on-time, rework rates and satisfaction per
 * department or grid cell over a window (default the last 30 days).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { KPI_ROLES } from '../../../domain/users';
import { BEARER, KpiSchema, errors } from '../cases/schemas';
import { MAX_TIME_MS } from '../schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      preParsing: app.requireUser(KPI_ROLES),
      schema: {
        summary: 'KPIs per department or grid cell',
        security: BEARER,
        querystring: Type.Object(
          {
            by: Type.Optional(Type.Union([Type.Literal('department'), Type.Literal('grid')])),
            from: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_TIME_MS, description: 'ms since epoch, default 30 days ago' })),
            to: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_TIME_MS, description: 'ms since epoch, default now' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            by: Type.Union([Type.Literal('department'), Type.Literal('grid')]),
            from: Type.Number(),
            to: Type.Number(),
            items: Type.Array(KpiSchema),
            total: KpiSchema,
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => app.cases.kpis(request.query.by ?? 'department', request.query.from, request.query.to),
  );
};

export default routes;
