/**
 * `GET /api/kpis/series?from&to&step=1d&by=department|grid[&format=csv]`: case intake, handled,
 * closed and on-time rate per day and department or grid cell, from the case tables (the leader
 * dashboard's trend lines). Same roles as `GET /api/kpis`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { KPI_ROLES } from '../../../domain/users';
import { DomainError } from '../../../domain/DomainError';
import { MAX_HISTORY_POINTS } from '../../../domain/history';
import { KPI_SERIES_DAY_MS, kpiSeries } from '../../cases/kpiSeries';
import { BEARER, errors } from '../cases/schemas';
import { FormatQuery, KpiSeriesSchema, TimeQuery, sendCsv } from '../history/schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/series',
    {
      preParsing: app.requireUser(KPI_ROLES),
      schema: {
        summary: 'Case intake, handling and on-time rate per day, by department or grid cell',
        security: BEARER,
        querystring: Type.Object(
          {
            from: Type.Optional(TimeQuery('ms since epoch, default 30 days before to')),
            to: Type.Optional(TimeQuery('ms since epoch, default now')),
            step: Type.Optional(Type.Literal('1d')),
            by: Type.Optional(Type.Union([Type.Literal('department'), Type.Literal('grid')])),
            format: FormatQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: KpiSeriesSchema, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const to = q.to ?? app.cases.currentTime();
      const from = q.from ?? to - 30 * KPI_SERIES_DAY_MS;
      if (from > to) throw new DomainError('invalid', `from (${from}) is after to (${to})`, ['from', 'to']);
      if ((to - from) / KPI_SERIES_DAY_MS > MAX_HISTORY_POINTS) throw new DomainError('invalid', `from..to spans more than ${MAX_HISTORY_POINTS} days`, ['from']);
      const by = q.by ?? 'department';
      const buckets = kpiSeries(await app.storage.kpiEvents(from, to), by);
      if (q.format === 'csv') return sendCsv(reply, 'kpi-series', ['t', 'group', 'created', 'handled', 'closed', 'onTime', 'onTimeRate'], buckets);
      return { from, to, step: '1d' as const, by, buckets };
    },
  );
};

export default routes;
