/**
 * `POST /api/auth/login` (name and password → a signed token valid 12 h) and `GET /api/auth/me`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { publicUser } from '../../auth/UserService';
import { BEARER, UserSchema, errors } from '../cases/schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      // Password guessing costs a scrypt per try; the limit (CITYTWIN_LOGIN_RATE_MAX) keeps it
      // from becoming a CPU drain and makes guessing slow.
      config: { rateLimit: app.security.loginRateLimit },
      schema: {
        summary: 'Log in',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.Number(), user: UserSchema }), ...errors(400, 401, 429) },
      },
    },
    async (request) => app.users.login(request.body.username, request.body.password),
  );

  app.get(
    '/me',
    { preParsing: app.requireUser(), schema: { summary: 'The logged-in user', security: BEARER, response: { 200: UserSchema, ...errors(401) } } },
    async (request) => publicUser(request.user!),
  );
};

export default routes;
