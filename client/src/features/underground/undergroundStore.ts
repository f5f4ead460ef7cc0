import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ClearanceResult, UnderRoadGroup } from '../../../../domain/pipes';
import { getJson } from '../../shared/http';
import { clampSide, type CutBox } from './core/cutBox';
import type { UndergroundSettings } from './UndergroundMode';

/**
 * The underground mode (see-through ground, excavation box) and the planner's pipe checks:
 * clearances between networks and what lies under a road, from /api/pipes.
 */
export const useUndergroundStore = defineStore('underground', () => {
  const settings = ref<UndergroundSettings>({ on: false, groundOpacity: 0.35, cut: null });
  const clearances = shallowRef<ClearanceResult | null>(null);
  const underRoad = shallowRef<{ roadId: string; networks: UnderRoadGroup[] } | null>(null);
  const error = ref('');

  function set(next: Partial<UndergroundSettings>): void {
    const merged = { ...settings.value, ...next };
    merged.groundOpacity = Math.min(1, Math.max(0, merged.groundOpacity));
    if (merged.cut) merged.cut = { ...merged.cut, widthM: clampSide(merged.cut.widthM), lengthM: clampSide(merged.cut.lengthM) };
    settings.value = merged;
  }

  function cutAt(lon: number, lat: number, size: Partial<Pick<CutBox, 'widthM' | 'lengthM' | 'headingDeg'>> = {}): void {
    const previous = settings.value.cut;
    set({ on: true, cut: { lon, lat, widthM: size.widthM ?? previous?.widthM ?? 40, lengthM: size.lengthM ?? previous?.lengthM ?? 60, headingDeg: size.headingDeg ?? previous?.headingDeg ?? 0 } });
  }

  async function checkClearances(crossingM: number, parallelM: number): Promise<void> {
    error.value = '';
    try {
      clearances.value = await getJson<ClearanceResult>(`/api/pipes/clearances?crossingM=${crossingM}&parallelM=${parallelM}&limit=100`);
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function loadUnderRoad(roadId: string): Promise<void> {
    error.value = '';
    try {
      underRoad.value = await getJson<{ roadId: string; networks: UnderRoadGroup[] }>(`/api/pipes/under-road/${encodeURIComponent(roadId)}`);
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  return { settings, clearances, underRoad, error, set, cutAt, checkClearances, loadUnderRoad };
});
