/**
 * The OpenAPI 3 document of every route, generated from the routes' TypeBox schemas by
 * @fastify/swagger and served at `/api/openapi.json`. Register it before the routes: it learns
 * them as they are added.
 */
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

export const OPENAPI_PATH = '/api/openapi.json';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'citytwin API',
          version: '1',
          description: 'Digital twin of a city operation centre: live devices, alarms, the case workflow, KPIs. See docs/cases.md.',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'token from POST /api/auth/login' } },
        },
      },
    });
    app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'citytwin-openapi', fastify: '5.x' },
);
