/**
 * The excavation ("cut") box of the underground mode: a rectangle on the ground, centred on a
 * point, `widthM` across and `lengthM` along a heading, as a lon/lat ring the globe is clipped
 * by. Pure: metres to degrees by the local scale (boxes are tens to hundreds of metres).
 */

export interface CutBox {
  lon: number;
  lat: number;
  widthM: number;
  lengthM: number;
  /** Direction of the length, degrees clockwise from north. */
  headingDeg: number;
}

/** Smallest and largest side accepted, metres: below a metre nothing shows, above 2 km it is no longer a pit. */
export const CUT_SIDE_RANGE_M = [1, 2000] as const;

const M_PER_DEG_LAT = 110_574;

/** The box's four corners, counter-clockwise from the rear left, as [lon, lat]. */
export function cutRing(box: CutBox): Array<[number, number]> {
  const mLon = 111_320 * Math.cos((box.lat * Math.PI) / 180);
  const h = (box.headingDeg * Math.PI) / 180;
  // Unit vectors along (north-clockwise heading) and across (to its right), in east/north metres.
  const along = [Math.sin(h), Math.cos(h)] as const;
  const across = [Math.cos(h), -Math.sin(h)] as const;
  const corner = (a: number, c: number): [number, number] => {
    const e = along[0] * a + across[0] * c;
    const n = along[1] * a + across[1] * c;
    return [box.lon + e / mLon, box.lat + n / M_PER_DEG_LAT];
  };
  const l = box.lengthM / 2;
  const w = box.widthM / 2;
  return [corner(-l, -w), corner(-l, w), corner(l, w), corner(l, -w)];
}

/** Clamps a side to CUT_SIDE_RANGE_M; NaN becomes the smallest. */
export function clampSide(m: number): number {
  const [lo, hi] = CUT_SIDE_RANGE_M;
  return Number.isFinite(m) ? Math.min(hi, Math.max(lo, m)) : lo;
}
