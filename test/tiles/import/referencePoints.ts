/**
 * Independent lon/lat references for the CRS tests: the published approximation formulas of
 * the national mapping agencies, not proj4. Both are good to about a metre near their origins.
 */

/** Metres between two lon/lat points (equirectangular; fine at these distances). */
export function metresApart(a: readonly number[], b: readonly number[]): number {
  const lat = ((a[1]! + b[1]!) / 2) * (Math.PI / 180);
  const dx = (a[0]! - b[0]!) * 111_320 * Math.cos(lat);
  const dy = (a[1]! - b[1]!) * 110_574;
  return Math.hypot(dx, dy);
}

/**
 * RD New (EPSG:28992) → WGS84 by the polynomial series of Schreutelkamp and Strang van Hees,
 * "Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten" (2001).
 */
export function rdToWgs84(x: number, y: number): [number, number] {
  const dX = (x - 155_000) * 1e-5;
  const dY = (y - 463_000) * 1e-5;
  const north =
    3235.65389 * dY - 32.58297 * dX ** 2 - 0.2475 * dY ** 2 - 0.84978 * dX ** 2 * dY - 0.0655 * dY ** 3 -
    0.01709 * dX ** 2 * dY ** 2 - 0.00738 * dX + 0.0053 * dX ** 4 - 0.00039 * dX ** 2 * dY ** 3 + 0.00033 * dX ** 4 * dY - 0.00012 * dX * dY;
  const east =
    5260.52916 * dX + 105.94684 * dX * dY + 2.45656 * dX * dY ** 2 - 0.81885 * dX ** 3 + 0.05594 * dX * dY ** 3 -
    0.05607 * dX ** 3 * dY + 0.01199 * dY - 0.00256 * dX ** 3 * dY ** 2 + 0.00128 * dX * dY ** 4 + 0.00022 * dY ** 2 - 0.00022 * dX ** 2 + 0.00026 * dX ** 5;
  return [5.38720621 + east / 3600, 52.1551744 + north / 3600];
}

/** LV95 (EPSG:2056) → WGS84 by swisstopo's approximate formulas ("Approximate formulas for the transformation between Swiss projection coordinates and WGS84"). */
export function lv95ToWgs84(e: number, n: number): [number, number] {
  const y = (e - 2_600_000) / 1e6;
  const x = (n - 1_200_000) / 1e6;
  const lon = 2.6779094 + 4.728982 * y + 0.791484 * y * x + 0.1306 * y * x * x - 0.0436 * y ** 3;
  const lat = 16.9023892 + 3.238272 * x - 0.270978 * y * y - 0.002528 * x * x - 0.0447 * y * y * x - 0.014 * x ** 3;
  return [(lon * 100) / 36, (lat * 100) / 36];
}
