/**
 * Where the demo district lies and the two planar frames the generator works in.
 *
 * World frame (u, v): metres east and north of the district's south-west corner, which sits on a
 * round EPSG:4547 coordinate. Plan frame (p, q): the street grid's axes, turned a few degrees
 * against the world and centred on the district; p runs along the coast, q inland. Natural
 * features and the street plan are defined in plan coordinates, output in world coordinates.
 */
import { crsTransform } from '../kernel/crs/crs';
import type { Vec2 } from './geometry';

export const DEM_CRS = 'EPSG:4547';
export const COUNTY_CODE = '441900';

/** South-west corner of the district in EPSG:4547 metres; its centre falls near 113.70°E, 22.83°N. */
export const ORIGIN_X = 467_700;
export const ORIGIN_Y = 2_524_200;
export const DISTRICT_SIZE_M = 3000;
export const DEM_MARGIN_M = 300;
export const DEM_CELL_M = 5;

export class PlanFrame {
  readonly cos: number;
  readonly sin: number;
  private readonly cx = DISTRICT_SIZE_M / 2;
  private readonly cy = DISTRICT_SIZE_M / 2;

  /** `thetaRad`: counter-clockwise turn of the plan axes against east/north. */
  constructor(readonly thetaRad: number) {
    this.cos = Math.cos(thetaRad);
    this.sin = Math.sin(thetaRad);
  }

  toPlan(u: number, v: number): Vec2 {
    const du = u - this.cx;
    const dv = v - this.cy;
    return [du * this.cos + dv * this.sin, -du * this.sin + dv * this.cos];
  }

  toWorld(p: number, q: number): Vec2 {
    return [this.cx + p * this.cos - q * this.sin, this.cy + p * this.sin + q * this.cos];
  }
}

/** True when a world point lies inside the district, at least `inset` metres from its edge. */
export function inDistrict(u: number, v: number, inset = 0): boolean {
  return u >= inset && v >= inset && u <= DISTRICT_SIZE_M - inset && v <= DISTRICT_SIZE_M - inset;
}

/** World metres → WGS84 lon/lat, rounded to 7 decimals (about 1 cm) so output text is stable. */
export class LonLatProjector {
  private readonly transform = crsTransform(DEM_CRS);

  lonLat(u: number, v: number): Vec2 {
    const [lon, lat] = this.transform.toLonLat(ORIGIN_X + u, ORIGIN_Y + v);
    return [round(lon, 7), round(lat, 7)];
  }
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  // Normalise -0 so it never prints as "-0".
  return r === 0 ? 0 : r;
}
