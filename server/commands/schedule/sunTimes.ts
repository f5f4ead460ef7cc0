/**
 * Sunrise and sunset for a place and a date: the NOAA solar calculator's equations (NOAA Global
 * Monitoring Laboratory, "General Solar Position Calculations", after Jean Meeus, Astronomical
 * Algorithms, 1991; the solar terms are kernel/solar.ts), good to about a minute between ±72° latitude. Pure: no clock, no I/O.
 *
 * The sun is "up" while its centre is above −0.833°: 34′ of refraction at the horizon plus 16′
 * for its upper limb, the convention of almanacs and weather services.
 */

import { solarNoonMs as solarNoon, solarTerms } from '../../../kernel/solar';

const RAD = Math.PI / 180;
/** Zenith of the sun's centre at rise and set, in degrees. */
const SUNRISE_ZENITH_DEG = 90.833;

export interface SunTimes {
  /** UTC ms; undefined when the sun does not rise or set that day (polar day or night). */
  sunriseMs: number | undefined;
  sunsetMs: number | undefined;
  solarNoonMs: number;
}

/**
 * Sunrise, solar noon and sunset on the UTC calendar day containing `dayMs`, at (`latDeg`,
 * `lonDeg`, east positive). For a place east of Greenwich pass the local midnight's UTC ms to
 * get the local day's events (they all fall within that UTC day ± a few hours).
 */
export function sunTimes(dayMs: number, latDeg: number, lonDeg: number): SunTimes {
  if (!(Math.abs(latDeg) <= 90) || !(Math.abs(lonDeg) <= 180)) throw new RangeError(`sunTimes: (${latDeg}, ${lonDeg}) is not a position`);
  const solarNoonMs = solarNoon(dayMs, lonDeg);
  const terms = solarTerms(solarNoonMs);
  const lat = latDeg * RAD;
  const cosHourAngle = Math.cos(SUNRISE_ZENITH_DEG * RAD) / (Math.cos(lat) * Math.cos(terms.declinationRad)) - Math.tan(lat) * Math.tan(terms.declinationRad);
  if (cosHourAngle > 1 || cosHourAngle < -1) return { sunriseMs: undefined, sunsetMs: undefined, solarNoonMs };
  const halfDayMs = ((4 * Math.acos(cosHourAngle)) / RAD) * 60_000;
  return { sunriseMs: solarNoonMs - halfDayMs, sunsetMs: solarNoonMs + halfDayMs, solarNoonMs };
}
