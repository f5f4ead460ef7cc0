/**
 * The demo cameras' renderers, built on demand from the twin (camera pose + roads layer) and
 * kept in a small least-recently-used cache: a renderer's ground is ray-cast once (a few hundred
 * milliseconds), then shared by the camera's encoder and the snapshots of its alarms.
 */
import type { CameraInfo } from '../../domain/cameras';
import { fnv1a } from '../../kernel/hash';
import { buildCameraScene, type RoadSource } from './cameraScene';
import { FrameRenderer } from './FrameRenderer';

const CACHE_SIZE = 16;

export class CameraScenes {
  private readonly cache = new Map<string, FrameRenderer>();

  constructor(
    private readonly cameraOf: (id: string) => CameraInfo | undefined,
    private readonly roads: () => Promise<readonly RoadSource[]>,
    readonly width: number,
    readonly height: number,
  ) {}

  async renderer(cameraId: string): Promise<FrameRenderer> {
    const hit = this.cache.get(cameraId);
    if (hit) {
      // Most recently used last.
      this.cache.delete(cameraId);
      this.cache.set(cameraId, hit);
      return hit;
    }
    const camera = this.cameraOf(cameraId);
    if (!camera) throw new RangeError(`${cameraId} is not a camera with a pose`);
    const scene = buildCameraScene(cameraId, camera.pose, await this.roads(), fnv1a(cameraId));
    const renderer = new FrameRenderer(scene, this.width, this.height);
    this.cache.set(cameraId, renderer);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return renderer;
  }
}
