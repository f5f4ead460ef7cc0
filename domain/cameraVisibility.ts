/**
 * "Which cameras see this point" as both sides speak it: `GET /api/cameras/visible` answers with
 * a VisibleCamerasAnswer (server/cameraVisibility computes it; the incident drill-in and coverage
 * planning read it).
 */

export interface VisibleCamera {
  cameraId: string;
  poleId: string;
  /** Straight-line distance from the lens, metres. */
  distanceM: number;
  /** Where the point is in the camera's picture (0..1, origin top-left; kernel/cameraProjection.ts). */
  image: { x: number; y: number };
}

export interface VisibilityAnswer {
  /** Cameras that see the point, nearest first. */
  cameras: VisibleCamera[];
  /** Cameras whose range reaches the point. */
  inRange: number;
  /** Cameras with the point in their frustum (before occlusion). */
  inFrustum: number;
  /** Cameras with the point in their frustum whose view a building blocks. */
  occluded: Array<{ cameraId: string; buildingId: string }>;
  /** Whether buildings were tested at all (false: the package has no footprints). */
  occlusionTested: boolean;
}

/** The API's answer: the point tested (height in metres above the ellipsoid) and who sees it. */
export interface VisibleCamerasAnswer extends VisibilityAnswer {
  lon: number;
  lat: number;
  height: number;
}
