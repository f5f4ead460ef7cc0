/**
 * Walking through at eye height: a first-person camera on a storey's floor, turned by dragging
 * and moved by the arrow/WASD keys in the horizontal plane. Three.js axes (y up; the interior glb
 * is east, up, −north), angles in radians; pure, so the viewer only copies the pose to its camera.
 */

export const EYE_HEIGHT_M = 1.6;
/** Turn per dragged pixel (rad). */
export const LOOK_RAD_PER_PX = 0.004;
/** Walking speed (m/s). */
export const WALK_SPEED_MS = 1.4;
const MAX_PITCH = (85 * Math.PI) / 180;

export interface WalkPose {
  position: [number, number, number];
  /** Heading about y: 0 looks along −z (north), positive turns left (towards −x, west). */
  yaw: number;
  pitch: number;
}

/** Standing at (x, z) on a floor at `floorY`, looking north. */
export function standAt(x: number, floorY: number, z: number): WalkPose {
  return { position: [x, floorY + EYE_HEIGHT_M, z], yaw: 0, pitch: 0 };
}

/** Turns by a drag of (dx, dy) pixels: right turns right, down looks down. */
export function look(pose: WalkPose, dxPx: number, dyPx: number): WalkPose {
  const pitch = Math.max(-MAX_PITCH, Math.min(MAX_PITCH, pose.pitch - dyPx * LOOK_RAD_PER_PX));
  return { ...pose, yaw: pose.yaw - dxPx * LOOK_RAD_PER_PX, pitch };
}

/** Moves `forwardM` along the heading and `rightM` across it, never up or down. */
export function step(pose: WalkPose, forwardM: number, rightM: number): WalkPose {
  const fx = -Math.sin(pose.yaw);
  const fz = -Math.cos(pose.yaw);
  // Right of the heading: the forward vector turned clockwise seen from above.
  const rx = -fz;
  const rz = fx;
  const [x, y, z] = pose.position;
  return { ...pose, position: [x + fx * forwardM + rx * rightM, y, z + fz * forwardM + rz * rightM] };
}

/** Unit vector the camera looks along. */
export function lookDirection(pose: WalkPose): [number, number, number] {
  const c = Math.cos(pose.pitch);
  return [-Math.sin(pose.yaw) * c, Math.sin(pose.pitch), -Math.cos(pose.yaw) * c];
}

/** Keys held → (forward, right) in −1…1. */
export function walkIntent(keys: ReadonlySet<string>): { forward: number; right: number } {
  const has = (...k: string[]): boolean => k.some((x) => keys.has(x));
  return {
    forward: (has('w', 'ArrowUp') ? 1 : 0) - (has('s', 'ArrowDown') ? 1 : 0),
    right: (has('d', 'ArrowRight') ? 1 : 0) - (has('a', 'ArrowLeft') ? 1 : 0),
  };
}
