/**
 * Where the sun stands over the district at a local time, and what the environment derives from
 * it: night lighting and the season's tint. Solar position after NOAA's "General Solar Position
 * Calculations" (declination and equation of time from the fractional year), good to a fraction
 * of a degree, which is plenty for shadows.
 */
export interface SunPosition {
  /** Degrees clockwise from north. */
  azimuthDeg: number;
  /** Degrees above the horizon (negative below). */
  elevationDeg: number;
}

const RAD = Math.PI / 180;

/** Sun position at `date` (an instant) over lon/lat in degrees. */
export function sunPosition(date: Date, lon: number, lat: number): SunPosition {
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - start) / 86_400_000);
  const hours = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
  const gamma = ((2 * Math.PI) / 365) * (dayOfYear + (hours - 12) / 24);
  const eqTimeMin =
    229.18 * (0.000075 + 0.001868 * Math.cos(gamma) - 0.032077 * Math.sin(gamma) - 0.014615 * Math.cos(2 * gamma) - 0.040849 * Math.sin(2 * gamma));
  const decl =
    0.006918 - 0.399912 * Math.cos(gamma) + 0.070257 * Math.sin(gamma) - 0.006758 * Math.cos(2 * gamma) + 0.000907 * Math.sin(2 * gamma) - 0.002697 * Math.cos(3 * gamma) + 0.00148 * Math.sin(3 * gamma);
  const trueSolarMin = hours * 60 + eqTimeMin + 4 * lon;
  const hourAngle = (trueSolarMin / 4 - 180) * RAD;
  const phi = lat * RAD;
  const cosZenith = Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(hourAngle);
  const zenith = Math.acos(Math.min(1, Math.max(-1, cosZenith)));
  // Azimuth from north, clockwise; atan2 form avoids the quadrant cases of the acos form.
  const azimuth = Math.atan2(Math.sin(hourAngle), Math.cos(hourAngle) * Math.sin(phi) - Math.tan(decl) * Math.cos(phi)) + Math.PI;
  return { azimuthDeg: ((azimuth / RAD) % 360 + 360) % 360, elevationDeg: 90 - zenith / RAD };
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
