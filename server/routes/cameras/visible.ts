/**
 * `GET /api/cameras/visible?lon=&lat=`: the cameras that see a point — in their frustum and not
 * hidden by a building — nearest first, with where the point is in each picture. The incident
 * drill-in opens their live views; coverage planning asks the same question of any point.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import type { VisibleCamerasAnswer } from '../../../domain/cameraVisibility';
import { ErrorSchema } from '../schemas';
import { groundNear } from '../../cameraVisibility/openVisibility';

/** Height of a target above the ground when none is given: a person's or a car's middle. */
export const DEFAULT_ABOVE_GROUND_M = 1.5;

const VisibleCameraSchema = Type.Object({
  cameraId: Type.String(),
  poleId: Type.String(),
  distanceM: Type.Number({ description: 'from the lens, metres' }),
  image: Type.Object({ x: Type.Number(), y: Type.Number() }, { description: 'the point in the picture, 0..1 from the top-left' }),
});

const VisibleAnswerSchema = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  height: Type.Number({ description: 'the point tested, metres above the ellipsoid' }),
  cameras: Type.Array(VisibleCameraSchema),
  inRange: Type.Integer({ description: 'cameras whose range reaches the point' }),
  inFrustum: Type.Integer({ description: 'cameras with the point in their frustum, before occlusion' }),
  occluded: Type.Array(Type.Object({ cameraId: Type.String(), buildingId: Type.String() })),
  occlusionTested: Type.Boolean({ description: 'false when the twin package has no building footprints' }),
});

// The schema and the domain type say the same.
true satisfies VisibleCamerasAnswer extends Static<typeof VisibleAnswerSchema> ? (Static<typeof VisibleAnswerSchema> extends VisibleCamerasAnswer ? true : false) : false;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/visible',
    {
      schema: {
        querystring: Type.Object({
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          height: Type.Optional(Type.Number({ minimum: -500, maximum: 9000, description: 'metres above the ellipsoid; default: the ground near the point + aboveGroundM' })),
          aboveGroundM: Type.Optional(Type.Number({ minimum: 0, maximum: 500, default: DEFAULT_ABOVE_GROUND_M })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 12 })),
        }),
        response: { 200: VisibleAnswerSchema, 400: ErrorSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const height = q.height ?? groundNear(app.twin, q.lon, q.lat) + (q.aboveGroundM ?? DEFAULT_ABOVE_GROUND_M);
      const visibility = await app.cameraVisibility.ready();
      const answer = visibility.visibleFrom(q.lon, q.lat, height, q.limit ?? 12);
      return { lon: q.lon, lat: q.lat, height, ...answer };
    },
  );
};

export default routes;
