import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { defaultToggles, layerVisibility, levelFiles, levelSource, LEVELS, type LayerId, type Level, type LevelFiles } from '../features/levels/core/levels';
import type { Measurement, MeasureMode } from '../features/measure/MeasureTool';
import { useTwinStore } from './twinStore';

/** What the twin shows: level, layer toggles, 3D or 2D, the interior's floors, the measure tool. */
export const useViewStore = defineStore('view', () => {
  const twin = useTwinStore();
  const level = ref<Level>('L2');
  const toggles = ref<Record<LayerId, boolean>>(defaultToggles());
  const mode = ref<'3d' | '2d'>('3d');
  const explode = ref(0);
  const isolatedFloor = ref<number | null>(null);
  const measureMode = ref<MeasureMode | null>(null);
  const measurement = ref<Measurement | null>(null);
  /** The building whose interior L5 shows. */
  const interiorBuildingId = ref<string | null>(null);

  const files = computed<LevelFiles>(() =>
    twin.manifest ? levelFiles(twin.manifest) : { architectureTileset: null, componentsTileset: null, interiors: null, pipesTileset: null },
  );
  const visibility = computed(() => layerVisibility(level.value, toggles.value, files.value));
  const sources = computed(() => Object.fromEntries(LEVELS.map((l) => [l, levelSource(l, files.value)])) as Record<Level, ReturnType<typeof levelSource>>);

  function setLevel(next: Level): void {
    level.value = next;
    if (next !== 'L5') {
      interiorBuildingId.value = null;
      isolatedFloor.value = null;
      explode.value = 0;
    }
  }

  function toggle(id: LayerId, on: boolean): void {
    toggles.value = { ...toggles.value, [id]: on };
  }

  return { level, toggles, mode, explode, isolatedFloor, measureMode, measurement, interiorBuildingId, files, visibility, sources, setLevel, toggle };
});
