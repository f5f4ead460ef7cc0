/**
 * Street-lamp energy (docs/energy.md): what the energy API answers, for the server
 * (server/energy/, server/routes/energy/) and the client (lamp panel, leader dashboard).
 *
 * A lamp's day D runs from local noon on D to local noon on D + 1: it holds the night that starts
 * on D (sunset on D → sunrise on D + 1), as the lamp schedules count nights. Energy is integrated
 * from each lamp's power readings; the saving is against every lamp at its rated power all night.
 */
import Type, { type Static } from 'typebox';

export const ENERGY_GROUPS = ['lamp', 'road', 'grid', 'department'] as const;
export type EnergyGroupBy = (typeof ENERGY_GROUPS)[number];
export const EnergyGroupBySchema = Type.Union([Type.Literal('lamp'), Type.Literal('road'), Type.Literal('grid'), Type.Literal('department')]);

/** Most days one `GET /api/energy/days` answer spans. */
export const MAX_ENERGY_DAYS = 31;

const figures = {
  /** Lamps counted. */
  lamps: Type.Integer(),
  /** Energy drawn over the day, kWh. */
  kwh: Type.Number(),
  /** Every lamp with a rated power at that power over the night (so far, today), kWh. */
  baselineKwh: Type.Number(),
  /**
   * 100 × (1 − energy ÷ full power over the night hours the readings cover), for the lamps with a
   * rated power; null when none has one or no reading covers the night.
   */
  savingPct: Type.Union([Type.Number(), Type.Null()]),
  /** Share of the day (so far) the lamps' readings cover, 0–1: silences longer than the hold are not guessed. */
  coverage: Type.Number(),
  /** Hours lit (drawing more than standby), summed over the lamps. */
  litHours: Type.Number(),
};

export const EnergyFiguresSchema = Type.Object(figures);
export type EnergyFigures = Static<typeof EnergyFiguresSchema>;

export const EnergyGroupSchema = Type.Object({
  /** The lamp id, road id, grid code or department id; `(none)` for lamps without one. */
  key: Type.String(),
  ...figures,
});
export type EnergyGroup = Static<typeof EnergyGroupSchema>;

const night = {
  day: Type.String({ description: 'local YYYY-MM-DD' }),
  /** Local noon on the day and on the next: the window energy is counted over (ms since epoch). */
  from: Type.Number(),
  to: Type.Number(),
  /** Sunset on the day, sunrise on the next (ms since epoch). */
  sunset: Type.Number(),
  sunrise: Type.Number(),
};

/** `GET /api/energy/lamps?day&groupBy`: one day, city-wide, per group (most energy first). */
export const LampEnergySchema = Type.Object({
  ...night,
  groupBy: EnergyGroupBySchema,
  total: EnergyFiguresSchema,
  groups: Type.Array(EnergyGroupSchema),
});
export type LampEnergy = Static<typeof LampEnergySchema>;

/** `GET /api/energy/days?to&days[&terminalId]`: per day, the city's lamps or one lamp. */
export const EnergyDaysSchema = Type.Object({
  terminalId: Type.Optional(Type.String()),
  /** The lamp's rated power, W, when one lamp was asked for and it has one. */
  ratedW: Type.Optional(Type.Number()),
  days: Type.Array(Type.Object({ ...night, ...figures })),
});
export type EnergyDays = Static<typeof EnergyDaysSchema>;
