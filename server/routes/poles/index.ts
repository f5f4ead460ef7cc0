/**
 * Smart lamp poles: `GET /api/poles` (filter by live status, bounding box, road, grid cell) and
 * `GET /api/poles/:id` with its terminals, their latest readings, and its open alarms.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Errors } from '../../errors';
import {
  AlarmSchema,
  BboxQuery,
  ErrorSchema,
  LiveStatusSchema,
  PageQuery,
  TerminalSchema,
  inBounds,
  pageSchema,
  paginate,
  parseBbox, RecordIdParams } from '../schemas';
import { poleView, terminalView } from '../views';

const poleProps = {
  id: Type.String(),
  /** 16-digit component code (class 0118). */
  code: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  groundHeight: Type.Number(),
  heightM: Type.Number(),
  roadId: Type.String(),
  gridCode: Type.Optional(Type.String()),
  status: LiveStatusSchema,
  terminalCount: Type.Integer(),
};
const PoleSchema = Type.Object(poleProps);
const PoleDetailSchema = Type.Object({
  ...poleProps,
  terminals: Type.Array(TerminalSchema),
  alarms: Type.Array(AlarmSchema),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { twin, live } = app;

  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({
          status: Type.Optional(LiveStatusSchema),
          bbox: Type.Optional(BboxQuery),
          roadId: Type.Optional(Type.String()),
          gridCode: Type.Optional(Type.String()),
          ...PageQuery,
        }),
        response: { 200: pageSchema(PoleSchema), 400: ErrorSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const bbox = parseBbox(q.bbox);
      const poles = twin.poles.filter(
        (p) =>
          (q.status === undefined || live.poleStatus(p.id) === q.status) &&
          (bbox === undefined || inBounds(bbox, p.lon, p.lat)) &&
          (q.roadId === undefined || p.roadId === q.roadId) &&
          (q.gridCode === undefined || p.gridCode === q.gridCode),
      );
      return paginate(poles, q, (p) => poleView(p, live, twin.terminalsOf(p.id).length));
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        params: RecordIdParams,
        response: { 200: PoleDetailSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const pole = twin.poleById.get(request.params.id);
      if (!pole) throw new Errors.NotFound('pole', request.params.id);
      const terminals = twin.terminalsOf(pole.id);
      return {
        ...poleView(pole, live, terminals.length),
        terminals: terminals.map((t) => terminalView(t, live)),
        alarms: live.alarms().filter((a) => a.poleId === pole.id),
      };
    },
  );
};

export default routes;
