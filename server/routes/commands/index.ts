/**
 * Commands to terminals (docs/commands.md): `POST /api/commands` sends one command to a group
 * (terminal ids, poles, a road, a grid cell or every terminal of a type; `"confirm": true` above
 * CONFIRM_ABOVE terminals), `GET /api/commands/:id` one record, `GET /api/commands` the audit
 * trail with filters. One terminal: `POST /api/terminals/:id/commands` (terminalCommands.ts).
 * Who may: checked here, per terminal type, before anything is stored or sent.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  COMMAND_STATUSES,
  CommandRecordSchema,
  COMMAND_ISSUER_ROLES,
  CommandRuleError,
  CONFIRM_ABOVE,
  GroupCommandAnswerSchema,
  GroupCommandSchema,
  type CommandIssuer,
} from '../../../domain/commands';
import { ApplySignalPlansSchema, checkTimingPlan } from '../../../domain/signalPlans';
import type { User } from '../../../domain/users';
import { assertMayCommand } from '../../commands/authorize';
import { resolveTarget } from '../../commands/targets';
import { Errors } from '../../errors';
import { ErrorSchema, RecordIdParams } from '../schemas';

export const issuerOf = (user: User): CommandIssuer => ({ userId: user.id, username: user.username, role: user.role });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { commands, twin } = app;
  const loggedIn = app.requireUser();
  const mayIssue = app.requireUser(COMMAND_ISSUER_ROLES);

  app.post(
    '/',
    {
      preParsing: mayIssue,
      schema: {
        body: GroupCommandSchema,
        response: { 202: GroupCommandAnswerSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { target, command, confirm } = request.body;
      const terminals = resolveTarget(target, twin);
      if (terminals.length === 0) throw new CommandRuleError('invalid', 'target: no terminals match (check the type)', ['target']);
      assertMayCommand(request.user!, terminals.map((t) => t.type), twin.departmentById);
      if (terminals.length > CONFIRM_ABOVE && confirm !== true) {
        throw new CommandRuleError('invalid', `confirm: this command goes to ${terminals.length} terminals, more than ${CONFIRM_ABOVE}; send "confirm": true to go ahead`, ['confirm']);
      }
      const groupId = randomUUID();
      const records = await commands.issue(issuerOf(request.user!), terminals.map((t) => t.id), command, groupId);
      return reply.code(202).send({ groupId, count: records.length, commands: records });
    },
  );

  // A green wave applied: each junction's plan to its controller, as one group (docs/commands.md).
  const controllerOf = new Map(twin.terminals.filter((t) => t.type === 'signal-controller' && t.signalId).map((t) => [t.signalId!, t.id]));
  app.post(
    '/signal-plans',
    {
      preParsing: mayIssue,
      schema: {
        summary: "Timing plans for signalised junctions, each sent to its junction's controller (one group)",
        body: ApplySignalPlansSchema,
        response: { 202: GroupCommandAnswerSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { plans, confirm } = request.body;
      assertMayCommand(request.user!, ['signal-controller'], twin.departmentById);
      const items = plans.map(({ signalId, ...plan }, i) => {
        const terminalId = controllerOf.get(signalId);
        if (!terminalId) throw new CommandRuleError('not-found', `plans/${i}/signalId: junction "${signalId}" has no signal controller in this twin`, [`plans/${i}/signalId`]);
        checkTimingPlan(plan, `plans/${i}/`);
        return { terminalId, command: { command: 'timing-plan' as const, ...plan } };
      });
      const dup = items.findIndex((it, i) => items.findIndex((o) => o.terminalId === it.terminalId) !== i);
      if (dup >= 0) throw new CommandRuleError('invalid', `plans/${dup}/signalId: junction "${plans[dup]!.signalId}" is given twice`, [`plans/${dup}/signalId`]);
      if (items.length > CONFIRM_ABOVE && confirm !== true) {
        throw new CommandRuleError('invalid', `confirm: these plans go to ${items.length} controllers, more than ${CONFIRM_ABOVE}; send "confirm": true to go ahead`, ['confirm']);
      }
      const groupId = randomUUID();
      const records = await commands.issueEach(issuerOf(request.user!), items, groupId);
      return reply.code(202).send({ groupId, count: records.length, commands: records });
    },
  );

  app.get(
    '/:id',
    {
      preHandler: loggedIn,
      schema: { params: RecordIdParams, response: { 200: CommandRecordSchema, 401: ErrorSchema, 404: ErrorSchema } },
    },
    async (request) => {
      const record = await commands.get(request.params.id);
      if (!record) throw new Errors.NotFound('command', request.params.id);
      return record;
    },
  );

  app.get(
    '/',
    {
      preHandler: loggedIn,
      schema: {
        querystring: Type.Object({
          terminalId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          status: Type.Optional(Type.Enum(COMMAND_STATUSES)),
          from: Type.Optional(Type.Integer({ minimum: 0, description: 'created at or after, ms since epoch' })),
          to: Type.Optional(Type.Integer({ minimum: 0, description: 'created before, ms since epoch' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'newest first, at most this many; default 100' })),
        }),
        response: { 200: Type.Array(CommandRecordSchema), 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (request) => commands.list({ ...request.query, limit: request.query.limit ?? 100 }),
  );
};

export default routes;
