/**
 * `POST /api/terminals/:id/commands`: one command to one terminal (docs/commands.md), checked
 * against the terminal's type (400 naming the field) and the caller's permission (403), within
 * the rate limits (429); answered 202 with the command record, which then moves on its own.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COMMAND_ISSUER_ROLES, CommandRecordSchema, CommandSchema } from '../../../domain/commands';
import { assertMayCommand } from '../../commands/authorize';
import { Errors } from '../../errors';
import { issuerOf } from '../commands/index';
import { ErrorSchema, RecordIdParams } from '../schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { commands, twin } = app;

  app.post(
    '/:id/commands',
    {
      preParsing: app.requireUser(COMMAND_ISSUER_ROLES),
      schema: {
        params: RecordIdParams,
        body: CommandSchema,
        response: { 202: CommandRecordSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const terminal = twin.terminalById.get(request.params.id);
      if (!terminal) throw new Errors.NotFound('terminal', request.params.id);
      assertMayCommand(request.user!, [terminal.type], twin.departmentById);
      const [record] = await commands.issue(issuerOf(request.user!), [terminal.id], request.body);
      return reply.code(202).send(record!);
    },
  );
};

export default routes;
