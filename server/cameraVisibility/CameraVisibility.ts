/**
 * "Which cameras see this point": a camera sees a point when the point is inside its frustum
 * (kernel/cameraProjection.ts: in the picture, nearer than its range) and the line of sight from
 * the lens does not pass through a building (buildingObstacles.ts). The incident drill-in asks it for
 * a case's site; coverage planning asks it for any point. Pure: cameras and prisms in, answers
 * out. Terrain does not occlude (the twin's districts are flat next to their buildings).
 */
import type { CameraPose } from '../../domain/cameras';
import type { VisibilityAnswer } from '../../domain/cameraVisibility';
import { CameraProjector, halfFovTangents, inPicture, type ImagePoint } from '../../kernel/cameraProjection';
import { geodeticToEcef, type EnuFrame, type Vec3 } from '../../kernel/geodesy';
import type { Obstacles } from '../../simulations/sight/obstacles';

/** A camera terminal with its pose and the ground under its pole. */
export interface PlacedCamera {
  id: string;
  poleId: string;
  pose: CameraPose;
  /** Ground under the pole, metres above the ellipsoid. */
  groundHeight: number;
}

/** The last metre before the target never blocks: the target stands on or against it. */
const TARGET_CLEARANCE_M = 1;

export class CameraVisibility {
  private readonly projectors: CameraProjector[];
  private readonly lensLocal: Vec3[];
  /** Per camera, the distance to its far plane's corners: the farthest point its frustum holds. */
  private readonly reachM: Float64Array;
  private readonly scratchEcef: Vec3 = [0, 0, 0];
  private readonly scratchImage: ImagePoint = { x: 0, y: 0, depthM: 0 };

  /** `frame`: the local frame the prisms are in (and the lenses are put in). */
  constructor(
    readonly cameras: readonly PlacedCamera[],
    private readonly prisms: Obstacles | undefined,
    private readonly frame: EnuFrame,
  ) {
    this.projectors = cameras.map((c) => new CameraProjector(c.pose, c.groundHeight));
    this.reachM = Float64Array.from(cameras, (c) => {
      const { tanH, tanV } = halfFovTangents(c.pose);
      return c.pose.rangeM * Math.sqrt(1 + tanH * tanH + tanV * tanV);
    });
    this.lensLocal = this.projectors.map((p) => frame.fromEcef(p.lensEcef[0], p.lensEcef[1], p.lensEcef[2]));
  }

  /** Cameras that see the point (degrees, metres above the ellipsoid), nearest first. */
  visibleFrom(lon: number, lat: number, height: number, limit = Infinity): VisibilityAnswer {
    const target = geodeticToEcef(lon, lat, height, this.scratchEcef);
    const targetLocal = this.frame.fromEcef(target[0], target[1], target[2]);
    // The building the target stands in (a case on a facade or a roof) does not hide it.
    const inside = this.prisms?.containing(targetLocal[0], targetLocal[1]) ?? [];
    const answer: VisibilityAnswer = { cameras: [], inRange: 0, inFrustum: 0, occluded: [], occlusionTested: this.prisms !== undefined };
    const from: Vec3 = [0, 0, 0];
    for (let i = 0; i < this.cameras.length; i++) {
      const camera = this.cameras[i]!;
      const projector = this.projectors[i]!;
      const lens = projector.lensEcef;
      const distanceM = Math.hypot(target[0] - lens[0], target[1] - lens[1], target[2] - lens[2]);
      // Nothing in the frustum is farther than its far corners: a cheap first cut.
      if (distanceM > this.reachM[i]!) continue;
      const image = projector.projectEcef(target[0], target[1], target[2], this.scratchImage);
      if (image && image.depthM <= camera.pose.rangeM) answer.inRange += 1;
      if (!inPicture(image, camera.pose)) continue;
      answer.inFrustum += 1;
      const imagePoint = { x: image.x, y: image.y };
      if (this.prisms) {
        const l = this.lensLocal[i]!;
        // Stop the sight line TARGET_CLEARANCE_M short of the target.
        const k = distanceM > TARGET_CLEARANCE_M ? TARGET_CLEARANCE_M / distanceM : 1;
        for (let j = 0; j < 3; j++) from[j] = targetLocal[j]! + (l[j]! - targetLocal[j]!) * k;
        const blocker = this.prisms.blocker(l[0], l[1], l[2], from[0], from[1], from[2], inside);
        if (blocker !== undefined) {
          answer.occluded.push({ cameraId: camera.id, buildingId: blocker });
          continue;
        }
      }
      answer.cameras.push({ cameraId: camera.id, poleId: camera.poleId, distanceM: Math.round(distanceM * 10) / 10, image: imagePoint });
    }
    answer.cameras.sort((a, b) => a.distanceM - b.distanceM);
    if (answer.cameras.length > limit) answer.cameras.length = limit;
    return answer;
  }
}
