/**
 * `GET /api/terminals/:id/history?field&from&to&step[&format=csv]`: one field of one terminal over
 * time — raw readings, or 1-minute / 1-hour rollups (count, min, max, mean, last); `status` and
 * `events` are fields too. Refusals name the field: an unknown terminal is 404, an unknown field,
 * from after to, from before what is kept, or more than 10,000 points (`step`) are 400.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorSchema, RecordIdParams } from '../schemas';
import { FormatQuery, TerminalHistorySchema, TimeQuery, sendCsv } from '../history/schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const history = app.history;
  if (!history) return;

  app.get(
    '/:id/history',
    {
      schema: {
        summary: "One field of a terminal over time (raw readings or 1m/1h rollups)",
        params: RecordIdParams,
        querystring: Type.Object(
          {
            field: Type.String({ minLength: 1, maxLength: 64, description: 'a telemetry field of the terminal type, status or events' }),
            from: Type.Optional(TimeQuery('ms since epoch, default 24 h before to')),
            to: Type.Optional(TimeQuery('ms since epoch, default now')),
            step: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h'), Type.Literal('auto')])),
            format: FormatQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: TerminalHistorySchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { field, format, ...range } = request.query;
      const answer = await history.terminalHistory(request.params.id, field, range);
      if (format === 'csv') return sendCsv(reply, `${answer.terminalId}-${answer.field}`, ['t', 'count', 'min', 'max', 'mean', 'last'], answer.points);
      return answer;
    },
  );
};

export default routes;
