/**
 * The section tools' state: off, a clipping plane or a section box, anchored at the district's
 * centre or at one building (its footprint sizes the box). The store owns the scene's SectionTool
 * so the cut stays while the panel is closed.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef, watch } from 'vue';
import { useSceneStore } from '../../twin/sceneStore';
import { useTwinStore } from '../../twin/twinStore';
import { loadFootprints } from '../sight/footprints';
import type { SectionMode } from './core/sectionPlanes';
import { SectionTool, type SectionState } from './SectionTool';

/** Around a building the box leaves this much room on each side, m. */
const BOX_MARGIN_M = 2;

export const useSectionStore = defineStore('section', () => {
  const sceneStore = useSceneStore();
  const twin = useTwinStore();
  const state = ref<SectionState>({
    mode: 'off',
    anchor: { lon: 0, lat: 0, height: 0 },
    plane: { orientation: 'vertical', headingDeg: 90, offsetM: 0, heightM: 30 },
    box: { centre: [0, 0, 30], size: [200, 200, 60], headingDeg: 0 },
  });
  /** The building the section is anchored at, or null for the district. */
  const buildingId = ref<string | null>(null);
  const tool = shallowRef<SectionTool | null>(null);

  watch(
    () => sceneStore.scene,
    (scene) => {
      tool.value?.destroy();
      tool.value = scene ? markRaw(new SectionTool(scene.widget.scene, (next) => (state.value = next))) : null;
      tool.value?.set(state.value);
    },
    { immediate: true },
  );
  watch(state, (s) => tool.value?.set(s), { deep: true });

  function setMode(mode: SectionMode): void {
    if (state.value.anchor.lon === 0 && state.value.anchor.lat === 0 && twin.manifest) state.value.anchor = { ...twin.manifest.center };
    state.value.mode = mode;
  }

  function set(next: Partial<SectionState>): void {
    state.value = { ...state.value, ...next };
  }

  /** Anchors at a building: the plane through its centre, the box around its footprint and height. */
  async function fitBuilding(id: string): Promise<boolean> {
    const manifest = twin.manifest;
    const record = (await twin.buildings()).get(id);
    if (!manifest || !record) return false;
    const footprint = (await (loadFootprints(manifest) ?? Promise.resolve([]))).find((f) => f.id === id);
    let half: [number, number] = [15, 15];
    if (footprint) {
      const ring = footprint.polygons[0]?.[0] ?? [];
      half = [Math.max(...ring.map(([x]) => Math.abs(x))), Math.max(...ring.map(([, y]) => Math.abs(y)))];
    }
    buildingId.value = id;
    state.value = {
      ...state.value,
      mode: state.value.mode === 'off' ? 'box' : state.value.mode,
      anchor: { lon: record.lon, lat: record.lat, height: record.groundHeight },
      plane: { ...state.value.plane, offsetM: 0, heightM: record.height / 2 },
      box: { centre: [0, 0, record.height / 2], size: [2 * (half[0] + BOX_MARGIN_M), 2 * (half[1] + BOX_MARGIN_M), record.height + BOX_MARGIN_M], headingDeg: 0 },
    };
    return true;
  }

  function fitDistrict(): void {
    if (!twin.manifest) return;
    buildingId.value = null;
    state.value = { ...state.value, anchor: { ...twin.manifest.center }, box: { centre: [0, 0, 30], size: [200, 200, 60], headingDeg: 0 } };
  }

  return { state, buildingId, tool, setMode, set, fitBuilding, fitDistrict };
});
