/**
 * Where the sun stands over the district at a local time, and what the environment derives from
 * it: night lighting and the season's tint. The solar position itself is kernel/solar.ts.
 */
import { sunPosition as solarPosition, type SunPosition } from '../../../../../kernel/solar';

export type { SunPosition };

/** Sun position at `date` (an instant) over lon/lat in degrees. */
export function sunPosition(date: Date, lon: number, lat: number): SunPosition {
  return solarPosition(date.getTime(), lat, lon);
}

/** The instant at a local clock time (hours, 0–24) on a date, for a zone `utcOffsetH` east of UTC. */
export function localInstant(year: number, month: number, day: number, hour: number, utcOffsetH: number): Date {
  return new Date(Date.UTC(year, month - 1, day) + (hour - utcOffsetH) * 3_600_000);
}

/** 0 in daylight, 1 at night, a ramp through civil twilight (sun between +2° and −6°). */
export function nightFactor(elevationDeg: number): number {
  return Math.min(1, Math.max(0, (2 - elevationDeg) / 8));
}

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';
export const SEASONS: readonly Season[] = ['spring', 'summer', 'autumn', 'winter'];

/** The mid-season month used when a season is chosen (northern hemisphere). */
export const SEASON_MONTH: Record<Season, number> = { spring: 4, summer: 7, autumn: 10, winter: 1 };

/** Ground-imagery adjustment per season: hue shift (fraction of a turn), saturation, brightness. */
export const SEASON_TINT: Record<Season, { hue: number; saturation: number; brightness: number }> = {
  spring: { hue: 0.02, saturation: 1.15, brightness: 1.05 },
  summer: { hue: 0, saturation: 1.3, brightness: 1 },
  autumn: { hue: -0.06, saturation: 0.95, brightness: 1 },
  winter: { hue: 0, saturation: 0.45, brightness: 1.15 },
};
