/**
 * The home view's distance: far enough that what it frames fills the screen, whatever its size.
 * A fixed range (4.2 km) showed a 3.6 km demo district well but left a 600 m district a speck
 * that loaded no tile at all. Engine-free: the scene passes its camera's field of view.
 */
import type { GeoBounds } from '../../../../domain/twinPackage';

export interface HomeCamera {
  /** Cesium PerspectiveFrustum.fov: horizontal when wider than high, else vertical (radians). */
  fovRad: number;
  /** Width / height of the canvas. */
  aspect: number;
  /** Looking down is negative (radians). */
  pitchRad: number;
}

/**
 * Wall screens (3:1 and wider, docs/client.md "Arc screen") have a vertical field of a few
 * degrees: fitting a district's depth into it would put the camera 14 km from the demo. They
 * fit its width, and its depth as a 2:1 screen would.
 */
const MAX_FIT_ASPECT = 2;
/** Closest a home view comes (a single building's twin still shows its street). */
export const MIN_HOME_RANGE_M = 150;
/** Room around what is framed, so its edges are not at the screen's edges. */
const MARGIN = 1.1;
const M_PER_DEG_LAT = 110_900;
const M_PER_DEG_LON_EQUATOR = 111_320;

/** Half the diagonal of a geographic rectangle, metres (small-area approximation). */
export function boundsRadiusM(bounds: GeoBounds): number {
  const midLat = ((bounds.south + bounds.north) / 2) * (Math.PI / 180);
  const widthM = Math.abs(bounds.east - bounds.west) * M_PER_DEG_LON_EQUATOR * Math.cos(midLat);
  const heightM = Math.abs(bounds.north - bounds.south) * M_PER_DEG_LAT;
  return Math.hypot(widthM, heightM) / 2;
}

/**
 * Range (metres from the target) at which a circle of `radiusM` around the target fits the
 * view. `flat`: the circle lies on the ground, so an oblique look foreshortens it vertically by
 * sin(|pitch|); otherwise it is a sphere (a tileset's bounding sphere) and needs its full height.
 */
export function rangeToFit(radiusM: number, camera: HomeCamera, flat = true, minRangeM = MIN_HOME_RANGE_M): number {
  if (!(radiusM >= 0) || !(camera.fovRad > 0 && camera.fovRad < Math.PI) || !(camera.aspect > 0)) {
    throw new RangeError(`home view: need a radius ≥ 0, a field of view in (0, π) and an aspect > 0 (got ${radiusM}, ${camera.fovRad}, ${camera.aspect})`);
  }
  const tanHalf = Math.tan(camera.fovRad / 2);
  const tanH = camera.aspect >= 1 ? tanHalf : tanHalf * camera.aspect;
  const tanV = camera.aspect >= 1 ? tanHalf / Math.min(camera.aspect, MAX_FIT_ASPECT) : tanHalf;
  const vertical = flat ? radiusM * Math.abs(Math.sin(camera.pitchRad)) : radiusM;
  return Math.max(minRangeM, MARGIN * Math.max(radiusM / tanH, vertical / tanV));
}
