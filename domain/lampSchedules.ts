/**
 * Lamp schedules kept on the server (server/commands/schedule/): lamps on at sunset and off at
 * sunrise for the district's position, each with an offset, and a night dimming profile — steps
 * of "from this local time, this percent" — that the scheduler sends as ordinary commands when
 * each moment comes (docs/commands.md).
 */
import Type, { type Static } from 'typebox';
import { GroupTargetSchema } from './commands';

/** Local clock time `HH:MM`. */
const CLOCK = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export const DimStepSchema = Type.Object(
  { at: Type.String({ pattern: CLOCK }), percent: Type.Number({ minimum: 0, maximum: 100 }) },
  { additionalProperties: false },
);

export const LampScheduleInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    /** Which lamps (a road, a grid cell, poles, terminal ids; alone or `type` defaults to every lamp). */
    target: GroupTargetSchema,
    /** Minutes after sunset the lamps go on (negative: before). */
    onOffsetMin: Type.Integer({ minimum: -180, maximum: 180 }),
    /** Minutes after sunrise the lamps go off (negative: before). */
    offOffsetMin: Type.Integer({ minimum: -180, maximum: 180 }),
    /** Night dimming, e.g. 50 % from 23:00 and 30 % from 01:00; each step a dim command. */
    dimming: Type.Array(DimStepSchema, { maxItems: 12 }),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type LampScheduleInput = Static<typeof LampScheduleInputSchema>;

export const LampScheduleSchema = Type.Object({
  id: Type.String(),
  ...LampScheduleInputSchema.properties,
  updatedAt: Type.Number(),
});
export type LampSchedule = Static<typeof LampScheduleSchema>;
