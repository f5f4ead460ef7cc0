import { defineStore } from 'pinia';
import { markRaw, shallowRef } from 'vue';
import type { TwinScene } from './TwinScene';

/** The live 3D scene, for views and the page's automation API; never made deeply reactive. */
export const useSceneStore = defineStore('scene', () => {
  const scene = shallowRef<TwinScene | null>(null);

  function attach(next: TwinScene | null): void {
    scene.value = next ? markRaw(next) : null;
  }

  return { scene, attach };
});
