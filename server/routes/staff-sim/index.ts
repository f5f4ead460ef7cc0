/**
 * `GET /api/staff-sim`: whether simulated operations staff work this twin's cases (docs/staff-sim.md),
 * on which simulated clock, and who they are — so every screen can label them. No login: the top
 * bar shows its badge to anyone, and the actors' names say "simulated" anyway.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { StaffSimStatus } from '../../../domain/staffSim';

const StatusSchema = Type.Object({
  enabled: Type.Boolean(),
  clockSpeedup: Type.Number({ description: 'simulated seconds per wall-clock second (1 when off)' }),
  simNow: Type.Number({ description: 'the simulated clock now, ms since epoch (the wall clock when off)' }),
  actors: Type.Array(
    Type.Object({
      username: Type.String(),
      displayName: Type.String(),
      role: Type.String(),
      departmentId: Type.Optional(Type.String()),
    }),
  ),
  actions: Type.Record(Type.String(), Type.Integer(), { description: 'actions taken since start, by action' }),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    { schema: { summary: 'Whether simulated staff work the cases (demo only), and who they are', response: { 200: StatusSchema } } },
    async (): Promise<StaffSimStatus> => {
      const info = app.staffSim;
      return {
        enabled: info.enabled,
        clockSpeedup: info.clockSpeedup,
        simNow: Math.round(info.now()),
        actors: info.actors.map((a) => ({ ...a })),
        actions: { ...(info.stats()?.actions ?? {}) },
      };
    },
  );
};

export default routes;
