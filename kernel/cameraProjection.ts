/**
 * The one camera model of citytwin: a pinhole camera at a pose (domain/cameras.ts), angles in
 * Cesium's heading/pitch convention, no roll, no lens distortion. Everything that maps the world
 * to a camera's picture uses it, so they agree pixel for pixel:
 *   - the embedded video renderer drawing roads and vehicles into a camera's stream,
 *   - video fusion projecting that stream back onto the 3D twin,
 *   - the frustum drawn in 3D and "which cameras see this point".
 *
 * Frames. A pose's heading and pitch are measured in the east-north-up frame at the camera's foot
 * (its lon/lat on the ground); the lens is `heightM` above that ground. The camera looks along
 *   forward = (sin h·cos p, cos h·cos p, sin p)     (east, north, up)
 *   right   = (cos h, −sin h, 0)
 *   up      = right × forward
 * which is what Cesium's `Camera.setView({ orientation: { heading, pitch, roll: 0 } })` does.
 *
 * Picture. Normalised image coordinates x, y ∈ [0, 1] with the origin at the top-left corner (as
 * video pixels are stored), x to the right, y down. The horizontal field of view spans x ∈ [0, 1];
 * the vertical one follows from the aspect: tan(vfov/2) = tan(hfov/2) / aspect (square pixels).
 * `depthM` is the distance along the optical axis; the frustum's far plane is `depthM = rangeM`.
 */
import type { CameraPose } from '../domain/cameras';
import { EnuFrame, geodeticToEcef, type Vec3 } from './geodesy';

const DEG = Math.PI / 180;

/** Nearest depth a camera draws, metres (the lens housing): points nearer are not in its picture. */
export const CAMERA_NEAR_M = 0.5;

/** Where a point lands in a camera's picture. */
export interface ImagePoint {
  /** 0 at the left edge, 1 at the right. */
  x: number;
  /** 0 at the top edge, 1 at the bottom. */
  y: number;
  /** Distance along the optical axis, metres. */
  depthM: number;
}

/** A camera's axes in the east-north-up frame at its foot. */
export interface CameraAxes {
  forward: Vec3;
  right: Vec3;
  up: Vec3;
}

/** tan of half the horizontal and vertical fields of view. */
export function halfFovTangents(pose: Pick<CameraPose, 'hfovDeg' | 'aspect'>): { tanH: number; tanV: number } {
  const tanH = Math.tan((pose.hfovDeg * DEG) / 2);
  return { tanH, tanV: tanH / pose.aspect };
}

/** Vertical field of view, degrees. */
export function verticalFovDeg(pose: Pick<CameraPose, 'hfovDeg' | 'aspect'>): number {
  return (2 * Math.atan(halfFovTangents(pose).tanV)) / DEG;
}

/**
 * The field of view Cesium's PerspectiveFrustum takes for this pose, radians: it applies `fov` to
 * the larger side (horizontal when aspect ≥ 1, vertical otherwise).
 */
export function cesiumFovRad(pose: Pick<CameraPose, 'hfovDeg' | 'aspect'>): number {
  return pose.aspect >= 1 ? pose.hfovDeg * DEG : verticalFovDeg(pose) * DEG;
}

/** The camera's forward, right and up unit vectors in ENU at its foot. */
export function cameraAxesEnu(pose: Pick<CameraPose, 'headingDeg' | 'pitchDeg'>): CameraAxes {
  const h = pose.headingDeg * DEG;
  const p = pose.pitchDeg * DEG;
  const forward: Vec3 = [Math.sin(h) * Math.cos(p), Math.cos(h) * Math.cos(p), Math.sin(p)];
  const right: Vec3 = [Math.cos(h), -Math.sin(h), 0];
  // up = right × forward
  const up: Vec3 = [
    right[1] * forward[2] - right[2] * forward[1],
    right[2] * forward[0] - right[0] * forward[2],
    right[0] * forward[1] - right[1] * forward[0],
  ];
  return { forward, right, up };
}

/**
 * Projects a point given in metres east, north and up of the camera's foot (the ground under
 * the lens; the lens is at (0, 0, heightM)). Null when the point is not in front of the lens
 * (depth below CAMERA_NEAR_M). The point may land outside [0, 1]²: see `inPicture`.
 */
export function projectEnu(pose: CameraPose, e: number, n: number, u: number, axes = cameraAxesEnu(pose), out?: ImagePoint): ImagePoint | null {
  return projectRelative(e, n, u - pose.heightM, axes, halfFovTangents(pose), out);
}

/** The projection itself, for a vector from the lens in the same frame as `axes`. */
function projectRelative(dx: number, dy: number, dz: number, axes: CameraAxes, tan: { tanH: number; tanV: number }, out?: ImagePoint): ImagePoint | null {
  const { forward: f, right: r, up: u } = axes;
  const depthM = dx * f[0] + dy * f[1] + dz * f[2];
  if (!(depthM >= CAMERA_NEAR_M)) return null;
  const xs = (dx * r[0] + dy * r[1] + dz * r[2]) / (depthM * tan.tanH);
  const ys = (dx * u[0] + dy * u[1] + dz * u[2]) / (depthM * tan.tanV);
  const result = out ?? { x: 0, y: 0, depthM: 0 };
  result.x = 0.5 + 0.5 * xs;
  result.y = 0.5 - 0.5 * ys;
  result.depthM = depthM;
  return result;
}

/** True when an image point is inside the picture and not beyond the camera's range. */
export function inPicture(p: ImagePoint | null, pose: Pick<CameraPose, 'rangeM'>): p is ImagePoint {
  return p !== null && p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1 && p.depthM <= pose.rangeM;
}

/** Direction (unit, ENU at the foot) of the ray from the lens through image point (x, y). */
export function rayEnu(pose: CameraPose, x: number, y: number, axes = cameraAxesEnu(pose)): Vec3 {
  const { tanH, tanV } = halfFovTangents(pose);
  const a = (2 * x - 1) * tanH;
  const b = (1 - 2 * y) * tanV;
  const d: Vec3 = [0, 0, 0];
  for (let i = 0; i < 3; i++) d[i] = axes.forward[i]! + a * axes.right[i]! + b * axes.up[i]!;
  const len = Math.hypot(d[0], d[1], d[2]);
  return [d[0] / len, d[1] / len, d[2] / len];
}

/**
 * The frustum as drawn: the lens and where the rays through the picture's four corners (top-left,
 * top-right, bottom-right, bottom-left) end — on the ground (u = 0 at the foot) when they reach it
 * before the far plane, on the far plane otherwise. ENU metres at the camera's foot.
 */
export function frustumOutlineEnu(pose: CameraPose): { apex: Vec3; corners: [Vec3, Vec3, Vec3, Vec3] } {
  const axes = cameraAxesEnu(pose);
  const apex: Vec3 = [0, 0, pose.heightM];
  const corner = (x: number, y: number): Vec3 => {
    const d = rayEnu(pose, x, y, axes);
    const alongAxis = d[0] * axes.forward[0] + d[1] * axes.forward[1] + d[2] * axes.forward[2];
    let t = pose.rangeM / alongAxis;
    // A ray that goes down meets the ground at t = heightM / −d_up.
    if (d[2] < 0) t = Math.min(t, pose.heightM / -d[2]);
    return [d[0] * t, d[1] * t, pose.heightM + d[2] * t];
  };
  return { apex, corners: [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1)] };
}

/**
 * A camera placed on the globe: projects geodetic or Earth-centred points into its picture.
 * Built once per camera (a few hundred flops), then allocation-free per point with `out`.
 */
export class CameraProjector {
  /** The lens, ECEF metres. */
  readonly lensEcef: Vec3;
  /** The camera's axes in ECEF. */
  readonly axesEcef: CameraAxes;
  /** The east-north-up frame at the camera's foot (ground under the lens). */
  readonly foot: EnuFrame;
  private readonly tan: { tanH: number; tanV: number };
  private readonly scratch: Vec3 = [0, 0, 0];

  /** `groundHeight`: the ground under the lens, metres above the ellipsoid (the pole's base). */
  constructor(
    readonly pose: CameraPose,
    readonly groundHeight: number,
  ) {
    this.foot = new EnuFrame(pose.lon, pose.lat, groundHeight);
    this.lensEcef = this.foot.toEcef(0, 0, pose.heightM);
    const enu = cameraAxesEnu(pose);
    const toEcef = (v: Vec3): Vec3 => {
      const out: Vec3 = [0, 0, 0];
      for (let i = 0; i < 3; i++) out[i] = v[0] * this.foot.east[i]! + v[1] * this.foot.north[i]! + v[2] * this.foot.up[i]!;
      return out;
    };
    this.axesEcef = { forward: toEcef(enu.forward), right: toEcef(enu.right), up: toEcef(enu.up) };
    this.tan = halfFovTangents(pose);
  }

  /** An ECEF point in the picture; null behind the lens. */
  projectEcef(x: number, y: number, z: number, out?: ImagePoint): ImagePoint | null {
    return projectRelative(x - this.lensEcef[0], y - this.lensEcef[1], z - this.lensEcef[2], this.axesEcef, this.tan, out);
  }

  /** A geodetic point (degrees, metres above the ellipsoid) in the picture; null behind the lens. */
  project(lon: number, lat: number, height: number, out?: ImagePoint): ImagePoint | null {
    const p = geodeticToEcef(lon, lat, height, this.scratch);
    return this.projectEcef(p[0], p[1], p[2], out);
  }

  /** Image point → pixel in a picture of `width` × `height` pixels (pixel centres at +0.5). */
  static toPixel(p: ImagePoint, width: number, height: number): { px: number; py: number } {
    return { px: p.x * width, py: p.y * height };
  }
}
