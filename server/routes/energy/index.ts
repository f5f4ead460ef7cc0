/**
 * Street-lamp energy (docs/energy.md), read from the device history:
 *   GET /api/energy/lamps?day&groupBy=lamp|road|grid|department   one day, city-wide, per group
 *   GET /api/energy/days?to&days                                    the city's lamps per day
 * both for the roles that read the KPIs (leaders, dispatchers, planners, admins), and
 *   GET /api/terminals/{id}/energy?to&days                          one lamp per day (its panel)
 * public like the lamp's own history. A day is local: noon to noon, holding the night that starts
 * on it. Absent when history is off.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { EnergyDaysSchema, EnergyGroupBySchema, LampEnergySchema, MAX_ENERGY_DAYS } from '../../../domain/energy';
import { KPI_ROLES } from '../../../domain/users';
import { BEARER, errors } from '../cases/schemas';
import { ErrorSchema, RecordIdParams } from '../schemas';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const DaysQuery = Type.Object(
  {
    to: Type.Optional(Day('the last local day YYYY-MM-DD, default today')),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ENERGY_DAYS, description: 'how many days up to `to`, default 7' })),
  },
  { additionalProperties: false },
);

export const energyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const energy = app.energy;
  if (!energy) return;

  app.get(
    '/lamps',
    {
      preParsing: app.requireUser(KPI_ROLES),
      schema: {
        summary: "The lamps' energy on one day, per lamp, road, grid cell or department, with the saving against full power all night",
        security: BEARER,
        querystring: Type.Object(
          { day: Type.Optional(Day('local day YYYY-MM-DD (noon to noon), default today')), groupBy: Type.Optional(EnergyGroupBySchema) },
          { additionalProperties: false },
        ),
        response: { 200: LampEnergySchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => energy.lamps(request.query.day, request.query.groupBy ?? 'lamp'),
  );

  app.get(
    '/days',
    {
      preParsing: app.requireUser(KPI_ROLES),
      schema: {
        summary: "The city's lamps' energy and saving per day",
        security: BEARER,
        querystring: DaysQuery,
        response: { 200: EnergyDaysSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => energy.perDay(request.query.to, request.query.days ?? 7),
  );
};

/** Under /api/terminals: one lamp's energy per day. */
export const terminalEnergyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const energy = app.energy;
  if (!energy) return;

  app.get(
    '/:id/energy',
    {
      schema: {
        summary: "One lamp's energy and saving per day",
        params: RecordIdParams,
        querystring: DaysQuery,
        response: { 200: EnergyDaysSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => energy.perDay(request.query.to, request.query.days ?? 7, request.params.id),
  );
};
