/**
 * A lamp's day, pure: the local day D runs from local noon on D to local noon on D + 1, so it
 * holds the whole night that starts on D — sunset on D to sunrise on D + 1 — the same "a night
 * belongs to the local day its sunset falls on" as the lamp schedules (scheduleEvents.ts). The
 * sun's times come from the astronomical core (sunTimes.ts) for the twin's centre.
 */
import { DomainError } from '../../domain/DomainError';
import { DEFAULT_UTC_OFFSET_MIN, type Place } from '../commands/schedule/scheduleEvents';
import { sunTimes } from '../commands/schedule/sunTimes';

export const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface LightingDay {
  /** `YYYY-MM-DD`, local. */
  day: string;
  /** Local noon on the day and on the next, UTC ms: the window energy is counted over. */
  from: number;
  to: number;
  /** Sunset on the day and sunrise on the next, UTC ms: the night full power is counted over. */
  sunset: number;
  sunrise: number;
}

const offsetMs = (place: Place): number => (place.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN) * 60_000;

/** The local midnight (UTC ms) of a `YYYY-MM-DD` day; a DomainError naming `field` for anything else. */
export function parseDay(day: string, place: Place, field = 'day'): number {
  const m = DAY_PATTERN.exec(day);
  const utcMidnight = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(utcMidnight).toISOString().slice(0, 10) !== day) throw new DomainError('invalid', `${field} must be a date YYYY-MM-DD, got "${day}"`, [field]);
  return utcMidnight - offsetMs(place);
}

/** The local `YYYY-MM-DD` of the lighting day holding `t` (before local noon: the day before). */
export function lightingDayOf(t: number, place: Place): string {
  return new Date(t + offsetMs(place) - DAY_MS / 2).toISOString().slice(0, 10);
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function lightingDay(day: string, place: Place, field = 'day'): LightingDay {
  const midnight = parseDay(day, place, field);
  // The UTC day holding local noon holds that local day's sunset (for |offset| ≤ 12 h).
  const sunset = sunTimes(midnight + DAY_MS / 2, place.lat, place.lon).sunsetMs;
  const sunrise = sunTimes(midnight + DAY_MS + DAY_MS / 2, place.lat, place.lon).sunriseMs;
  if (sunset === undefined || sunrise === undefined) throw new DomainError('invalid', `${field}: the sun does not set or rise at the twin's latitude on ${day}`, [field]);
  return { day, from: midnight + DAY_MS / 2, to: midnight + DAY_MS + DAY_MS / 2, sunset, sunrise };
}
