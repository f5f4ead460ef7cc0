/**
 * The city's memory, city-wide: `GET /api/history/alarms` (opened, closed, mean time to close per
 * bucket and group), `GET /api/history/snapshot?at` (every terminal's status and the open alarms
 * at an instant: what replay draws) and `GET /api/history/devices` (the fleet's online rate per
 * bucket). `format=csv` answers with the buckets as CSV. Public like the live alarms and terminals.
 * Absent when history is off (`citytwin serve --history off`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorSchema } from '../schemas';
import { AlarmHistorySchema, DeviceHealthSchema, FormatQuery, HistorySnapshotSchema, TimeQuery, sendCsv } from './schemas';

const Step = Type.Optional(Type.Union([Type.Literal('1h'), Type.Literal('1d')]));

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const history = app.history;
  if (!history) return;

  app.get(
    '/alarms',
    {
      schema: {
        summary: 'Alarms opened and closed per hour or day, by kind, grid cell, department or none',
        querystring: Type.Object(
          {
            from: Type.Optional(TimeQuery('ms since epoch, default 30 days before to')),
            to: Type.Optional(TimeQuery('ms since epoch, default now')),
            step: Step,
            groupBy: Type.Optional(Type.Union([Type.Literal('kind'), Type.Literal('grid'), Type.Literal('department'), Type.Literal('none')])),
            format: FormatQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: AlarmHistorySchema, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const answer = await history.alarms(request.query);
      if (request.query.format === 'csv') return sendCsv(reply, 'alarm-history', ['t', 'group', 'opened', 'closed', 'meanTimeToCloseMs'], answer.buckets);
      return answer;
    },
  );

  app.get(
    '/snapshot',
    {
      schema: {
        summary: "Every terminal's and pole's status and the open alarms at an instant",
        querystring: Type.Object({ at: Type.Optional(TimeQuery('ms since epoch, default now')) }, { additionalProperties: false }),
        response: { 200: HistorySnapshotSchema, 400: ErrorSchema },
      },
    },
    async (request) => history.snapshot(request.query.at),
  );

  app.get(
    '/devices',
    {
      schema: {
        summary: 'Terminals heard of, online and in fault per hour or day',
        querystring: Type.Object(
          {
            from: Type.Optional(TimeQuery('ms since epoch, default 7 days before to')),
            to: Type.Optional(TimeQuery('ms since epoch, default now')),
            step: Step,
            format: FormatQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: DeviceHealthSchema, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const answer = await history.devices(request.query);
      if (request.query.format === 'csv') return sendCsv(reply, 'device-health', ['t', 'terminals', 'online', 'fault', 'onlineRate'], answer.buckets);
      return answer;
    },
  );
};

export default routes;
