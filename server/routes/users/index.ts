/**
 * User administration (admin only): list, create, change role, department, password, or disable.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../../../domain/users';
import { BEARER, RoleSchema, UserSchema, errors } from '../cases/schemas';

const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 256 });
const DisplayName = Type.String({ minLength: 1, maxLength: 100 });
const DepartmentId = Type.String({ minLength: 1, maxLength: 64 });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireUser(['admin']);

  app.get(
    '/',
    { preParsing: admin, schema: { summary: 'All users', security: BEARER, response: { 200: Type.Array(UserSchema), ...errors(401, 403) } } },
    async () => app.users.list(),
  );

  app.post(
    '/',
    {
      preParsing: admin,
      schema: {
        summary: 'Create a user (handlers need a department)',
        security: BEARER,
        body: Type.Object(
          { username: Type.String({ pattern: USERNAME_PATTERN }), displayName: DisplayName, password: Password, role: RoleSchema, departmentId: Type.Optional(DepartmentId) },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await app.users.create(request.body)),
  );

  app.patch(
    '/:id',
    {
      preParsing: admin,
      schema: {
        summary: 'Change a user',
        security: BEARER,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            displayName: Type.Optional(DisplayName),
            password: Type.Optional(Password),
            role: Type.Optional(RoleSchema),
            departmentId: Type.Optional(Type.Union([DepartmentId, Type.Null()])),
            active: Type.Optional(Type.Boolean()),
          },
          // A change names at least one field: an empty body is a mistake, not a no-op to accept.
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: UserSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => app.users.update(request.params.id, request.body),
  );
};

export default routes;
