/**
 * Sunrise and sunset for a place and a date: the NOAA solar calculator's equations (NOAA Global
 * Monitoring Laboratory, "General Solar Position Calculations", after Jean Meeus, Astronomical
 * Algorithms, 1991), good to about a minute between ±72° latitude. Pure: no clock, no I/O.
 *
 * The sun is "up" while its centre is above −0.833°: 34′ of refraction at the horizon plus 16′
 * for its upper limb, the convention of almanacs and weather services.
 */

const RAD = Math.PI / 180;
const DAY_MS = 86_400_000;
/** Zenith of the sun's centre at rise and set, in degrees. */
const SUNRISE_ZENITH_DEG = 90.833;

export interface SunTimes {
  /** UTC ms; undefined when the sun does not rise or set that day (polar day or night). */
  sunriseMs: number | undefined;
  sunsetMs: number | undefined;
  solarNoonMs: number;
}

interface SolarTerms {
  declinationRad: number;
  /** Equation of time, minutes. */
  eqTimeMin: number;
}

/** The sun's declination and the equation of time at `ms` (UTC). */
function solarTerms(ms: number): SolarTerms {
  const julianDay = ms / DAY_MS + 2440587.5;
  const t = (julianDay - 2451545) / 36525; // Julian centuries since J2000.0
  const meanLongDeg = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360;
  const meanAnomDeg = 357.52911 + t * (35999.05029 - 0.0001537 * t);
  const eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
  const m = meanAnomDeg * RAD;
  const centreDeg = Math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) + Math.sin(2 * m) * (0.019993 - 0.000101 * t) + Math.sin(3 * m) * 0.000289;
  const omega = (125.04 - 1934.136 * t) * RAD;
  const apparentLongRad = (meanLongDeg + centreDeg - 0.00569 - 0.00478 * Math.sin(omega)) * RAD;
  const meanObliqDeg = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
  const obliq = (meanObliqDeg + 0.00256 * Math.cos(omega)) * RAD;
  const declinationRad = Math.asin(Math.sin(obliq) * Math.sin(apparentLongRad));
  const y = Math.tan(obliq / 2) ** 2;
  const l0 = meanLongDeg * RAD;
  const eqTimeRad =
    y * Math.sin(2 * l0) -
    2 * eccentricity * Math.sin(m) +
    4 * eccentricity * y * Math.sin(m) * Math.cos(2 * l0) -
    0.5 * y * y * Math.sin(4 * l0) -
    1.25 * eccentricity * eccentricity * Math.sin(2 * m);
  return { declinationRad, eqTimeMin: (4 * eqTimeRad) / RAD };
}

/**
 * Sunrise, solar noon and sunset on the UTC calendar day containing `dayMs`, at (`latDeg`,
 * `lonDeg`, east positive). For a place east of Greenwich pass the local midnight's UTC ms to
 * get the local day's events (they all fall within that UTC day ± a few hours).
 */
export function sunTimes(dayMs: number, latDeg: number, lonDeg: number): SunTimes {
  if (!(Math.abs(latDeg) <= 90) || !(Math.abs(lonDeg) <= 180)) throw new RangeError(`sunTimes: (${latDeg}, ${lonDeg}) is not a position`);
  const midnight = Math.floor(dayMs / DAY_MS) * DAY_MS;
  // Solar noon in minutes after UTC midnight; evaluated twice, the second time at the first
  // estimate, so the terms are those of the moment itself.
  let noonMin = 720 - 4 * lonDeg;
  let terms = solarTerms(midnight + noonMin * 60_000);
  noonMin = 720 - 4 * lonDeg - terms.eqTimeMin;
  terms = solarTerms(midnight + noonMin * 60_000);
  noonMin = 720 - 4 * lonDeg - terms.eqTimeMin;
  const lat = latDeg * RAD;
  const cosHourAngle = Math.cos(SUNRISE_ZENITH_DEG * RAD) / (Math.cos(lat) * Math.cos(terms.declinationRad)) - Math.tan(lat) * Math.tan(terms.declinationRad);
  const solarNoonMs = midnight + noonMin * 60_000;
  if (cosHourAngle > 1 || cosHourAngle < -1) return { sunriseMs: undefined, sunsetMs: undefined, solarNoonMs };
  const halfDayMs = ((4 * Math.acos(cosHourAngle)) / RAD) * 60_000;
  return { sunriseMs: solarNoonMs - halfDayMs, sunsetMs: solarNoonMs + halfDayMs, solarNoonMs };
}
