/**
 * Urban management components (部件): `GET /api/components` (filter by class, bounding box,
 * owner, grid cell, road) and `GET /api/components/:code` by 16-digit code.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DEFAULT_COMPONENT_CLASSES } from '../../../domain/components';
import type { ComponentRecord } from '../../../domain/twinPackage';
import { Errors } from '../../errors';
import type { TwinIndex } from '../../twin/TwinIndex';
import { BboxQuery, ErrorSchema, PageQuery, inBounds, pageSchema, paginate, parseBbox } from '../schemas';

const NameSchema = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

const ComponentSchema = Type.Object({
  code: Type.String(),
  classCode: Type.String(),
  /** Class name from the default catalogue, when the class is in it. */
  className: Type.Optional(NameSchema),
  lon: Type.Number(),
  lat: Type.Number(),
  groundHeight: Type.Number(),
  ownerId: Type.String(),
  ownerName: Type.Optional(NameSchema),
  gridCode: Type.Optional(Type.String()),
  roadId: Type.Optional(Type.String()),
});

const CLASS_NAMES = new Map(DEFAULT_COMPONENT_CLASSES.map((c) => [c.code, { 'zh-CN': c.zh, en: c.en }]));

function componentView(c: ComponentRecord, twin: TwinIndex) {
  const className = CLASS_NAMES.get(c.classCode);
  const owner = twin.departmentById.get(c.ownerId);
  return { ...c, ...(className ? { className } : {}), ...(owner ? { ownerName: owner.name } : {}) };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { twin } = app;

  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({
          classCode: Type.Optional(Type.String({ pattern: '^\\d{4}$', description: 'major + minor class, e.g. 0101' })),
          bbox: Type.Optional(BboxQuery),
          ownerId: Type.Optional(Type.String()),
          gridCode: Type.Optional(Type.String()),
          roadId: Type.Optional(Type.String()),
          ...PageQuery,
        }),
        response: { 200: pageSchema(ComponentSchema), 400: ErrorSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const bbox = parseBbox(q.bbox);
      const components = twin.components.filter(
        (c) =>
          (q.classCode === undefined || c.classCode === q.classCode) &&
          (bbox === undefined || inBounds(bbox, c.lon, c.lat)) &&
          (q.ownerId === undefined || c.ownerId === q.ownerId) &&
          (q.gridCode === undefined || c.gridCode === q.gridCode) &&
          (q.roadId === undefined || c.roadId === q.roadId),
      );
      return paginate(components, q, (c) => componentView(c, twin));
    },
  );

  app.get(
    '/:code',
    {
      schema: {
        params: Type.Object({
          code: Type.String({ pattern: '^\\d{16}$', description: '16 digits: county (6) + class (4) + serial (6)' }),
        }),
        response: { 200: ComponentSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const component = twin.componentByCode.get(request.params.code);
      if (!component) throw new Errors.NotFound('component', request.params.code);
      return componentView(component, twin);
    },
  );
};

export default routes;
