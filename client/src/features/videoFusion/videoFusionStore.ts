import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { useSceneStore } from '../../twin/sceneStore';
import { useSelectionStore } from '../selection/selectionStore';
import { loadCameras, type ClientCamera } from './cameraRegistry';
import { addFused, clampOpacity, DEFAULT_OPACITY, frustumsToDraw, removeFused, withOpacity, type FusedCamera } from './core/fusionList';
import { VideoFusion } from './VideoFusion';
import { testPatternSource, videoElementSource, type VideoSource } from './videoSources';
import { useVideoStore } from '../video/videoStore';

/** Where a fused camera's pictures come from: its live stream, or the alignment test pattern. */
export type FusionSourceKind = 'stream' | 'test-pattern';

/** Opens a camera's live stream as a fusion source. */
export type StreamOpener = (cameraId: string) => Promise<VideoSource>;
/** By default the live view's player (features/video/cameraVideo.ts: HLS or HTTP-FLV, token renewal). */
let streamOpener: StreamOpener = async (cameraId) => {
  const { openCameraVideo } = await import('../video/cameraVideo');
  const opened = await openCameraVideo(cameraId);
  if (!opened.video) throw new Error(opened.reason === 'unsupported' ? 'no stream this player can play' : 'the camera has no stream');
  return videoElementSource(opened.video, opened.close);
};

/** Replaces how fusion opens a camera's stream (another player, another protocol). */
export function registerStreamOpener(open: StreamOpener): void {
  streamOpener = open;
}

/**
 * Video fusion: the cameras whose video is projected onto the twin, their opacity, and the
 * frustums drawn (fused cameras, the open live views, the selected pole's cameras).
 */
export const useVideoFusionStore = defineStore('videoFusion', () => {
  const sceneStore = useSceneStore();
  const selection = useSelectionStore();
  const fused = ref<FusedCamera[]>([]);
  const sources = new Map<string, FusionSourceKind>();
  /** Cameras whose live view is open (the video feature's live views): their frustums are drawn. */
  const videoStore = useVideoStore();
  const cameras = shallowRef<ReadonlyMap<string, ClientCamera>>(new Map());
  const error = ref('');
  let fusion: VideoFusion | undefined;

  const selectedPoleCameras = computed(() => {
    const s = selection.selection;
    if (s?.kind !== 'pole') return [];
    return [...cameras.value.values()].filter((c) => c.poleId === s.id).map((c) => c.id);
  });

  function engine(): VideoFusion | undefined {
    const scene = sceneStore.scene;
    if (!scene) return undefined;
    fusion ??= new VideoFusion(scene.widget.scene);
    return fusion;
  }

  async function ensureCameras(): Promise<ReadonlyMap<string, ClientCamera>> {
    if (cameras.value.size === 0) cameras.value = await loadCameras();
    return cameras.value;
  }

  async function openSource(cameraId: string, kind: FusionSourceKind): Promise<VideoSource> {
    if (kind === 'test-pattern') return testPatternSource(cameraId);
    return streamOpener(cameraId);
  }

  /** Projects a camera's video onto the twin; false (with `error` set) when it cannot. */
  async function fuse(cameraId: string, kind: FusionSourceKind = 'stream', opacity = DEFAULT_OPACITY): Promise<boolean> {
    error.value = '';
    try {
      const camera = (await ensureCameras()).get(cameraId);
      if (!camera) throw new Error(`camera "${cameraId}" has no pose`);
      const target = engine();
      if (!target) throw new Error('the 3D view is not open');
      const source = await openSource(cameraId, kind);
      const next = addFused(fused.value, cameraId, opacity);
      for (const id of next.dropped) unfuse(id);
      target.fuse(cameraId, camera, source, clampOpacity(opacity));
      sources.set(cameraId, kind);
      fused.value = next.list;
      return true;
    } catch (err) {
      error.value = `${cameraId}: ${(err as Error).message}`;
      return false;
    }
  }

  function unfuse(cameraId: string): void {
    fusion?.unfuse(cameraId);
    sources.delete(cameraId);
    fused.value = removeFused(fused.value, cameraId);
  }

  function unfuseAll(): void {
    for (const c of [...fused.value]) unfuse(c.cameraId);
  }

  function setOpacity(cameraId: string, opacity: number): void {
    fused.value = withOpacity(fused.value, cameraId, opacity);
    fusion?.setOpacity(cameraId, clampOpacity(opacity));
  }

  function sourceOf(cameraId: string): FusionSourceKind | undefined {
    return sources.get(cameraId);
  }

  function framesOf(cameraId: string): number | undefined {
    return fusion?.framesOf(cameraId);
  }

  // The selected pole's cameras and the live views' frustums need the registry.
  watch(
    () => [selection.selection, videoStore.liveIds] as const,
    ([s, live]) => {
      if (s?.kind === 'pole' || live.length > 0) void ensureCameras().catch(() => undefined);
    },
  );
  watch(
    () => [fused.value, videoStore.liveIds, selectedPoleCameras.value, cameras.value, sceneStore.scene] as const,
    () => {
      const target = engine();
      if (!target) return;
      const all = cameras.value;
      target.showFrustums(
        frustumsToDraw(fused.value, videoStore.liveIds, selectedPoleCameras.value).flatMap(({ id, fused: isFused }) => {
          const camera = all.get(id);
          return camera ? [{ id, placed: camera, fused: isFused }] : [];
        }),
      );
    },
  );
  watch(
    () => sceneStore.scene,
    (scene, previous) => {
      if (previous && scene !== previous) {
        fusion?.destroy();
        fusion = undefined;
        fused.value = [];
        sources.clear();
      }
    },
  );

  const frustumCount = (): number => fusion?.frustumCount ?? 0;

  return { fused, cameras, error, selectedPoleCameras, fuse, unfuse, unfuseAll, setOpacity, sourceOf, framesOf, frustumCount, ensureCameras };
});
