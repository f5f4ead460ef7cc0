/**
 * A camera terminal's pose (domain/cameras.ts) as a picture of `width` × `height` pixels, in local
 * metres around the camera's foot: x east, y north, z up from the ground. It projects world points
 * to pixels and casts pixel rays onto the ground plane. The camera model — axes, fields of view —
 * is kernel/cameraProjection.ts's, the one video fusion projects with, so a road drawn here lands
 * where fusion puts it; this class only restates it per pixel, allocation-free, for the renderer's
 * inner loops. No roll: street cameras are levelled on their mounts, so the horizon is one row.
 */
import type { CameraPose } from '../../domain/cameras';
import { CAMERA_NEAR_M, cameraAxesEnu, halfFovTangents } from '../../kernel/cameraProjection';
import { MEAN_EARTH_RADIUS_M } from '../../kernel/geodesy';

const DEG = Math.PI / 180;
/** Metres per degree of latitude on the mean sphere; local metres within a camera's range. */
const M_PER_DEG = MEAN_EARTH_RADIUS_M * DEG;

export class CameraView {
  /** Focal lengths in pixels, across and down (equal when the picture has the pose's aspect). */
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  /** Unit forward, right and up vectors of the camera in local metres. */
  readonly fwd: readonly [number, number, number];
  readonly right: readonly [number, number, number];
  readonly up: readonly [number, number, number];
  private readonly cosLat: number;

  constructor(
    readonly pose: CameraPose,
    readonly width: number,
    readonly height: number,
  ) {
    const { tanH, tanV } = halfFovTangents(pose);
    this.fx = width / 2 / tanH;
    this.fy = height / 2 / tanV;
    this.cx = width / 2;
    this.cy = height / 2;
    const axes = cameraAxesEnu(pose);
    this.fwd = axes.forward;
    this.right = axes.right;
    this.up = axes.up;
    this.cosLat = Math.cos(pose.lat * DEG);
  }

  /** Lon/lat → local metres east, north of the camera. */
  local(lon: number, lat: number): [number, number] {
    return [(lon - this.pose.lon) * M_PER_DEG * this.cosLat, (lat - this.pose.lat) * M_PER_DEG];
  }

  /**
   * Pixel of a world point (x, y east/north of the camera, z above the ground) into `out`
   * as [column, row, depth along the optical axis]; false when it is behind the near plane.
   */
  project(x: number, y: number, z: number, out: [number, number, number]): boolean {
    const dz = z - this.pose.heightM;
    const depth = x * this.fwd[0] + y * this.fwd[1] + dz * this.fwd[2];
    if (depth < CAMERA_NEAR_M) return false;
    const sx = x * this.right[0] + y * this.right[1] + dz * this.right[2];
    const sy = x * this.up[0] + y * this.up[1] + dz * this.up[2];
    out[0] = this.cx + (sx / depth) * this.fx;
    out[1] = this.cy - (sy / depth) * this.fy;
    out[2] = depth;
    return true;
  }

  /** Vertical component of the ray through image row `row` (per unit of forward). */
  rayZ(row: number): number {
    return this.fwd[2] - ((row + 0.5 - this.cy) / this.fy) * this.up[2];
  }

  /**
   * Where the ray through pixel (col, row) meets the ground, into `out` as [x, y, distance];
   * false when it looks at or above the horizon.
   */
  ground(col: number, row: number, out: [number, number, number]): boolean {
    const a = (col + 0.5 - this.cx) / this.fx;
    const b = -(row + 0.5 - this.cy) / this.fy;
    const dx = this.fwd[0] + a * this.right[0] + b * this.up[0];
    const dy = this.fwd[1] + a * this.right[1] + b * this.up[1];
    const dz = this.fwd[2] + a * this.right[2] + b * this.up[2];
    if (dz > -1e-4) return false;
    const t = this.pose.heightM / -dz;
    out[0] = dx * t;
    out[1] = dy * t;
    out[2] = t * Math.sqrt(dx * dx + dy * dy + dz * dz);
    return true;
  }
}
