import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { RoadProps } from '../../../domain/citySource';
import type { BuildingRecord, PoleRecord, TwinManifest } from '../../../domain/twinPackage';

export interface RoadName {
  name: string;
  nameEn?: string;
}
import { getJson } from '../shared/http';
import { loadManifest, loadPoles, twinUrl } from '../shared/twinApi';

/** The loaded twin package: manifest, poles, and the building index (fetched when first needed). */
export const useTwinStore = defineStore('twin', () => {
  const state = ref<'loading' | 'ready' | 'error'>('loading');
  const error = ref<string>('');
  const manifest = shallowRef<TwinManifest | null>(null);
  // Large arrays stay out of Vue's deep reactivity: they never change after loading.
  const poles = shallowRef<readonly PoleRecord[]>([]);
  const poleById = shallowRef<ReadonlyMap<string, PoleRecord>>(new Map());
  let buildingIndex: Promise<Map<string, BuildingRecord>> | undefined;
  let roadIndex: Promise<Map<string, RoadName>> | undefined;

  async function load(): Promise<void> {
    state.value = 'loading';
    try {
      const m = await loadManifest();
      const p = await loadPoles(m);
      manifest.value = markRaw(m);
      poles.value = markRaw(p);
      poleById.value = markRaw(new Map(p.map((pole) => [pole.id, pole])));
      state.value = 'ready';
    } catch (err) {
      error.value = (err as Error).message;
      state.value = 'error';
    }
  }

  function buildings(): Promise<Map<string, BuildingRecord>> {
    const m = manifest.value;
    if (!m) return Promise.reject(new Error('twin not loaded'));
    buildingIndex ??= getJson<BuildingRecord[]>(twinUrl(m.files.buildings)).then(
      (records) => new Map(records.map((b) => [b.id, b])),
    );
    return buildingIndex;
  }

  function roadNames(): Promise<Map<string, RoadName>> {
    const m = manifest.value;
    if (!m) return Promise.reject(new Error('twin not loaded'));
    roadIndex ??= getJson<{ features: Array<{ properties: RoadProps }> }>(twinUrl(m.files.roads)).then(
      (roads) => new Map(roads.features.map((f) => [f.properties.id, { name: f.properties.name, nameEn: f.properties.nameEn }])),
    );
    return roadIndex;
  }

  return { state, error, manifest, poles, poleById, load, buildings, roadNames };
});
