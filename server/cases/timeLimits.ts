/**
 * Deadlines from time limits (domain/cases/categories.ts TimeLimit). Pure: the clock is passed in.
 *
 * Working days are Monday–Friday in the city's time zone, given as a fixed UTC offset (China has
 * no daylight saving; +480 min). One working day from Friday 15:00 is Monday 15:00. A clock that
 * starts on a weekend starts on Monday at the start of office hours.
 */
import type { TimeLimit } from '../../domain/cases/categories';

export const CHINA_UTC_OFFSET_MIN = 480;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Office hours start, local time: a weekend clock starts then on Monday. */
const OFFICE_START_H = 9;

/** The deadline `limit` after `start` (ms since epoch). */
export function addTimeLimit(start: number, limit: TimeLimit, utcOffsetMin = CHINA_UTC_OFFSET_MIN): number {
  if ('minutes' in limit) return start + limit.minutes * MINUTE_MS;
  const offsetMs = utcOffsetMin * MINUTE_MS;
  // Work in "local" milliseconds, where the UTC getters read local wall-clock fields.
  let local = start + offsetMs;
  if (isWeekend(local)) {
    while (isWeekend(local)) local = startOfDay(local) + DAY_MS;
    local += OFFICE_START_H * 3_600_000;
  }
  let days = limit.workingDays;
  while (days > 0) {
    local += DAY_MS;
    if (!isWeekend(local)) days -= 1;
  }
  return local - offsetMs;
}

/** A limit's nominal length in minutes (working days count as 24 h), for sorting and display. */
export function limitMinutes(limit: TimeLimit): number {
  return 'minutes' in limit ? limit.minutes : limit.workingDays * 24 * 60;
}

function isWeekend(localMs: number): boolean {
  const day = new Date(localMs).getUTCDay();
  return day === 0 || day === 6;
}

function startOfDay(localMs: number): number {
  return Math.floor(localMs / DAY_MS) * DAY_MS;
}
