/**
 * The fusion list on a scene: the cameras whose video is projected now, each a VideoProjection,
 * plus the frustums drawn. Uploads new video frames before each render and asks for a render on
 * each new frame (the twin renders on demand).
 */
import type { Scene } from 'cesium';
import { CameraFrustumLayer } from './CameraFrustumLayer';
import { VideoProjection, type PlacedPose } from './VideoProjection';
import type { VideoSource } from './videoSources';

export class VideoFusion {
  private readonly projections = new Map<string, { projection: VideoProjection; stopListening: () => void }>();
  private readonly frustums: CameraFrustumLayer;
  private readonly removePreRender: () => void;

  constructor(private readonly scene: Scene) {
    this.frustums = new CameraFrustumLayer(scene);
    this.removePreRender = scene.preRender.addEventListener(() => {
      for (const { projection } of this.projections.values()) projection.preRender();
    });
  }

  /** Projects `source` from the camera's pose (replacing what that camera projected before). */
  fuse(cameraId: string, placed: PlacedPose, source: VideoSource, opacity: number): void {
    this.unfuse(cameraId);
    const projection = new VideoProjection(this.scene, cameraId, placed, source, opacity);
    const stopListening = source.onFrame(() => this.scene.requestRender());
    this.projections.set(cameraId, { projection, stopListening });
    this.scene.requestRender();
  }

  unfuse(cameraId: string): void {
    const entry = this.projections.get(cameraId);
    if (!entry) return;
    entry.stopListening();
    entry.projection.destroy();
    this.projections.delete(cameraId);
    this.scene.requestRender();
  }

  setOpacity(cameraId: string, opacity: number): void {
    const entry = this.projections.get(cameraId);
    if (!entry) return;
    entry.projection.opacity = opacity;
    this.scene.requestRender();
  }

  /** Frames uploaded so far per fused camera (what tests watch to know the video moves). */
  framesOf(cameraId: string): number | undefined {
    return this.projections.get(cameraId)?.projection.source.frame();
  }

  showFrustums(cameras: ReadonlyArray<{ id: string; placed: PlacedPose; fused: boolean }>): void {
    this.frustums.show(cameras);
  }

  get frustumCount(): number {
    return this.frustums.count;
  }

  destroy(): void {
    for (const id of [...this.projections.keys()]) this.unfuse(id);
    this.removePreRender();
    this.frustums.destroy();
  }
}
