import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { OneMap } from './OneMap';

export type DensitySource = 'cases' | 'alarms';

/** The 2D analysis view's instance (for automation) and its layer choices. */
export const useOneMapStore = defineStore('oneMap', () => {
  const map = shallowRef<OneMap | null>(null);
  const densitySource = ref<DensitySource>('cases');
  const show = ref({ density: true, coverage: true, traffic: true });

  function attach(next: OneMap | null): void {
    map.value = next ? markRaw(next) : null;
  }

  return { map, densitySource, show, attach };
});
