/**
 * Where the sun is, once for the whole project: the NOAA solar calculator's equations (NOAA
 * Global Monitoring Laboratory, "General Solar Position Calculations", after Jean Meeus,
 * Astronomical Algorithms, 1991) — declination and equation of time from Julian centuries since
 * J2000.0, then the hour angle, elevation and azimuth at a place. Good to about 0.01° in
 * declination and a few seconds of time between ±72° latitude; no atmospheric refraction (the
 * geometric sun, which is what shadows need). Pure: no clock, no I/O.
 *
 * Users: lamp schedules (server/commands/schedule/sunTimes.ts), the scene's light
 * (client environment) and the sunlight analysis (client sight).
 */

const RAD = Math.PI / 180;
const DAY_MS = 86_400_000;

export interface SolarTerms {
  declinationRad: number;
  /** Equation of time (apparent minus mean solar time), minutes. */
  eqTimeMin: number;
}

export interface SunPosition {
  /** Degrees clockwise from north. */
  azimuthDeg: number;
  /** Degrees above the horizon (negative below), geometric (no refraction). */
  elevationDeg: number;
}

/** The sun's declination and the equation of time at `ms` (UTC). */
export function solarTerms(ms: number): SolarTerms {
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
 * Apparent solar noon (the sun on the meridian) on the UTC calendar day containing `dayMs`, at
 * longitude `lonDeg` (east positive), UTC ms. Evaluated twice, the second time at the first
 * estimate, so the equation of time is that of the moment itself.
 */
export function solarNoonMs(dayMs: number, lonDeg: number): number {
  const midnight = Math.floor(dayMs / DAY_MS) * DAY_MS;
  let noonMin = 720 - 4 * lonDeg;
  for (let i = 0; i < 2; i++) noonMin = 720 - 4 * lonDeg - solarTerms(midnight + noonMin * 60_000).eqTimeMin;
  return midnight + noonMin * 60_000;
}

/** The sun's azimuth and elevation at `ms` (UTC) over (`latDeg`, `lonDeg`, east positive). */
export function sunPosition(ms: number, latDeg: number, lonDeg: number): SunPosition {
  const { declinationRad: decl, eqTimeMin } = solarTerms(ms);
  const utcMin = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
  // True solar time, minutes after apparent midnight; the hour angle is 0 at apparent noon.
  const trueSolarMin = utcMin + eqTimeMin + 4 * lonDeg;
  const hourAngle = (trueSolarMin / 4 - 180) * RAD;
  const phi = latDeg * RAD;
  const cosZenith = Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(hourAngle);
  const zenith = Math.acos(Math.min(1, Math.max(-1, cosZenith)));
  // Azimuth from north, clockwise; the atan2 form avoids the quadrant cases of the acos form.
  const azimuth = Math.atan2(Math.sin(hourAngle), Math.cos(hourAngle) * Math.sin(phi) - Math.tan(decl) * Math.cos(phi)) + Math.PI;
  return { azimuthDeg: (((azimuth / RAD) % 360) + 360) % 360, elevationDeg: 90 - zenith / RAD };
}

/**
 * The unit vector towards the sun in a local east-north-up frame, written into `out`.
 * (Over a district the frame's tilt against the place's own vertical is negligible.)
 */
export function sunDirectionEnu(position: SunPosition, out: [number, number, number] = [0, 0, 0]): [number, number, number] {
  const az = position.azimuthDeg * RAD;
  const el = position.elevationDeg * RAD;
  out[0] = Math.sin(az) * Math.cos(el);
  out[1] = Math.cos(az) * Math.cos(el);
  out[2] = Math.sin(el);
  return out;
}
