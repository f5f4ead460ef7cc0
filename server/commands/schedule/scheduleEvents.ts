/**
 * When a lamp schedule acts (domain/lampSchedules.ts): pure, the clock and the position passed in.
 *
 * A night belongs to the local day its sunset falls on: lamps on at that sunset + onOffsetMin,
 * each dimming step at its local clock time after that sunset (23:00 that evening, 01:00 the
 * next morning), lamps off at the next sunrise + offOffsetMin; a step that would fall after the
 * lamps go off is dropped.
 */
import type { Command } from '../../../domain/commands';
import type { LampSchedule } from '../../../domain/lampSchedules';
import { sunTimes } from './sunTimes';

const DAY_MS = 86_400_000;
/** China Standard Time, the zone of every district the twin serves (docs/commands.md). */
export const DEFAULT_UTC_OFFSET_MIN = 480;

export interface Place {
  lat: number;
  lon: number;
  /** Local time minus UTC, minutes. */
  utcOffsetMin?: number;
}

export interface ScheduleEvent {
  /** UTC ms. */
  at: number;
  command: Command;
  /** `on`, `off` or the dimming step's `HH:MM`. */
  label: string;
}

/** The events of the night starting on the local day whose midnight is `localMidnightUtcMs`. */
export function nightEvents(schedule: Pick<LampSchedule, 'onOffsetMin' | 'offOffsetMin' | 'dimming'>, localMidnightUtcMs: number, place: Place): ScheduleEvent[] {
  // The UTC day holding local noon holds that local day's sunset too (for |offset| ≤ 12 h).
  const evening = sunTimes(localMidnightUtcMs + DAY_MS / 2, place.lat, place.lon).sunsetMs;
  const morning = sunTimes(localMidnightUtcMs + DAY_MS + DAY_MS / 2, place.lat, place.lon).sunriseMs;
  if (evening === undefined || morning === undefined) return [];
  const onAt = evening + schedule.onOffsetMin * 60_000;
  const offAt = morning + schedule.offOffsetMin * 60_000;
  if (!(offAt > onAt)) return [];
  const events: ScheduleEvent[] = [{ at: onAt, command: { command: 'switch', on: true }, label: 'on' }];
  for (const step of schedule.dimming) {
    const [h, m] = step.at.split(':').map(Number) as [number, number];
    let at = localMidnightUtcMs + (h * 60 + m) * 60_000;
    if (at < evening) at += DAY_MS;
    if (at > onAt && at < offAt) events.push({ at, command: { command: 'dim', percent: step.percent }, label: step.at });
  }
  events.push({ at: offAt, command: { command: 'switch', on: false }, label: 'off' });
  return events.sort((a, b) => a.at - b.at);
}

/** Every event of `schedule` in (fromMs, toMs], oldest first. */
export function dueEvents(schedule: Pick<LampSchedule, 'onOffsetMin' | 'offOffsetMin' | 'dimming'>, fromMs: number, toMs: number, place: Place): ScheduleEvent[] {
  const offset = (place.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN) * 60_000;
  const firstDay = Math.floor((fromMs + offset) / DAY_MS) - 1;
  const lastDay = Math.floor((toMs + offset) / DAY_MS);
  const out: ScheduleEvent[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    for (const event of nightEvents(schedule, day * DAY_MS - offset, place)) if (event.at > fromMs && event.at <= toMs) out.push(event);
  }
  return out;
}
