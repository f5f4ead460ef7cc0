/**
 * A pinhole camera at a camera terminal's pose (domain/cameras.ts), in local metres around the
 * camera's foot: x east, y north, z up from the ground. It projects world points to pixels and
 * casts pixel rays onto the ground plane. No roll: street cameras are levelled on their mounts,
 * so the horizon is one image row.
 */
import type { CameraPose } from '../../domain/cameras';

const DEG = Math.PI / 180;
/** Metres per degree of latitude on the mean sphere; local metres within a camera's range. */
const M_PER_DEG = 6_371_008.8 * DEG;

export class CameraView {
  /** Focal length in pixels. */
  readonly f: number;
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
    this.f = width / 2 / Math.tan((pose.hfovDeg * DEG) / 2);
    this.cx = width / 2;
    this.cy = height / 2;
    const h = pose.headingDeg * DEG;
    const p = pose.pitchDeg * DEG;
    this.fwd = [Math.sin(h) * Math.cos(p), Math.cos(h) * Math.cos(p), Math.sin(p)];
    this.right = [Math.cos(h), -Math.sin(h), 0];
    // up = right × fwd
    const [rx, ry, rz] = this.right;
    const [fx, fy, fz] = this.fwd;
    this.up = [ry * fz - rz * fy, rz * fx - rx * fz, rx * fy - ry * fx];
    this.cosLat = Math.cos(pose.lat * DEG);
  }

  /** Lon/lat → local metres east, north of the camera. */
  local(lon: number, lat: number): [number, number] {
    return [(lon - this.pose.lon) * M_PER_DEG * this.cosLat, (lat - this.pose.lat) * M_PER_DEG];
  }

  /**
   * Pixel of a world point (x, y east/north of the camera, z above the ground) into `out`
   * as [column, row, depth along the optical axis]; false when it is behind the lens.
   */
  project(x: number, y: number, z: number, out: [number, number, number]): boolean {
    const dz = z - this.pose.heightM;
    const depth = x * this.fwd[0] + y * this.fwd[1] + dz * this.fwd[2];
    if (depth < 0.5) return false;
    const sx = x * this.right[0] + y * this.right[1];
    const sy = x * this.up[0] + y * this.up[1] + dz * this.up[2];
    out[0] = this.cx + (sx / depth) * this.f;
    out[1] = this.cy - (sy / depth) * this.f;
    out[2] = depth;
    return true;
  }

  /** Vertical component of the ray through image row `row` (per unit of forward). */
  rayZ(row: number): number {
    return this.fwd[2] - ((row + 0.5 - this.cy) / this.f) * this.up[2];
  }

  /**
   * Where the ray through pixel (col, row) meets the ground, into `out` as [x, y, distance];
   * false when it looks at or above the horizon.
   */
  ground(col: number, row: number, out: [number, number, number]): boolean {
    const a = (col + 0.5 - this.cx) / this.f;
    const b = -(row + 0.5 - this.cy) / this.f;
    const dx = this.fwd[0] + a * this.right[0] + b * this.up[0];
    const dy = this.fwd[1] + a * this.right[1] + b * this.up[1];
    const dz = this.fwd[2] + b * this.up[2];
    if (dz > -1e-4) return false;
    const t = this.pose.heightM / -dz;
    out[0] = dx * t;
    out[1] = dy * t;
    out[2] = t * Math.sqrt(dx * dx + dy * dy + dz * dz);
    return true;
  }
}
