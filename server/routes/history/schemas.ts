/**
 * TypeBox schemas of the history API (domain/history.ts), shared by routes/history,
 * routes/terminals/history.ts and routes/kpis/series.ts, and how an answer goes out as CSV.
 */
import type { FastifyReply } from 'fastify';
import Type, { type Static } from 'typebox';
import type { AlarmHistory, DeviceHealthHistory, HistorySnapshot, KpiSeries, TerminalHistory } from '../../../domain/history';
import { toCsv } from '../../../kernel/csv';
import { LIVE_STATUSES } from '../../../domain/terminals';
import { AlarmSchema, MAX_TIME_MS } from '../schemas';

export const TimeQuery = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_TIME_MS, description });
export const FormatQuery = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'json (default) or csv' }));

export const HistoryPointSchema = Type.Object({ t: Type.Number(), count: Type.Number(), min: Type.Number(), max: Type.Number(), mean: Type.Number(), last: Type.Number() });

export const TerminalHistorySchema = Type.Object({
  terminalId: Type.String(),
  field: Type.String(),
  step: Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h')]),
  from: Type.Number(),
  to: Type.Number(),
  points: Type.Array(HistoryPointSchema),
});
true satisfies Static<typeof TerminalHistorySchema> extends TerminalHistory ? (TerminalHistory extends Static<typeof TerminalHistorySchema> ? true : false) : false;

const Step = Type.Union([Type.Literal('1h'), Type.Literal('1d')]);

export const AlarmHistorySchema = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  step: Step,
  groupBy: Type.Union([Type.Literal('kind'), Type.Literal('grid'), Type.Literal('department'), Type.Literal('none')]),
  buckets: Type.Array(
    Type.Object({ t: Type.Number(), group: Type.String(), opened: Type.Number(), closed: Type.Number(), meanTimeToCloseMs: Type.Union([Type.Number(), Type.Null()]) }),
  ),
});
true satisfies Static<typeof AlarmHistorySchema> extends AlarmHistory ? (AlarmHistory extends Static<typeof AlarmHistorySchema> ? true : false) : false;

const StatusPair = Type.Tuple([Type.String(), Type.String({ enum: [...LIVE_STATUSES] })]);

export const HistorySnapshotSchema = Type.Object({
  at: Type.Number(),
  // [id, status]; the status as a plain string: fast-json-stringify cannot serialise an enum inside a tuple.
  poles: Type.Array(StatusPair),
  terminals: Type.Array(StatusPair),
  alarms: Type.Array(AlarmSchema),
});
true satisfies HistorySnapshot extends Static<typeof HistorySnapshotSchema> ? true : false;

export const DeviceHealthSchema = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  step: Step,
  buckets: Type.Array(Type.Object({ t: Type.Number(), terminals: Type.Number(), online: Type.Number(), fault: Type.Number(), onlineRate: Type.Number() })),
});
true satisfies Static<typeof DeviceHealthSchema> extends DeviceHealthHistory ? (DeviceHealthHistory extends Static<typeof DeviceHealthSchema> ? true : false) : false;

export const KpiSeriesSchema = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  step: Type.Literal('1d'),
  by: Type.Union([Type.Literal('department'), Type.Literal('grid')]),
  buckets: Type.Array(
    Type.Object({
      t: Type.Number(),
      group: Type.String(),
      created: Type.Number(),
      handled: Type.Number(),
      closed: Type.Number(),
      onTime: Type.Number(),
      onTimeRate: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});
true satisfies Static<typeof KpiSeriesSchema> extends KpiSeries ? (KpiSeries extends Static<typeof KpiSeriesSchema> ? true : false) : false;

/** Sends `rows` as a CSV download named `name`.csv. */
export function sendCsv<T>(reply: FastifyReply, name: string, columns: ReadonlyArray<keyof T & string>, rows: readonly T[]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(toCsv(columns, rows));
}
