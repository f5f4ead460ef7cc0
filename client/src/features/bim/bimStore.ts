import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import { DEFAULT_CATEGORIES, type BimRow, type BimViewCategory, type StoreyInfo } from './core/bimView';

/** What tests and the panel ask the open viewer (three.js stays in its own chunk; this is its face). */
export interface BimProbe {
  /** Canvas position (CSS px) of an element's centre, or null when it is hidden or off screen. */
  screenPointOf(globalId: string): { x: number; y: number } | null;
  /** Storeys with something drawn; categories with something drawn. */
  visibleStoreys(): number[];
  visibleCategories(): BimViewCategory[];
  /** The camera's position, metres east, up and south of the building's base. */
  camera(): [number, number, number];
}

/**
 * The indoor/BIM viewer (three.js) for one building: which building is open, what it shows, and
 * the element last picked. Opened from the twin (the interior's controls, `?bim=<buildingId>`,
 * window.citytwinBim.open) and closed back to it; a pick becomes the twin's room selection.
 */
export const useBimStore = defineStore('bim', () => {
  const buildingId = ref<string | null>(new URLSearchParams(location.search).get('bim'));
  const status = ref<'closed' | 'loading' | 'ready' | 'error'>(buildingId.value ? 'loading' : 'closed');
  const error = ref('');
  const storeys = shallowRef<StoreyInfo[]>([]);
  const isolated = ref<number | null>(null);
  const explode = ref(0);
  const categories = ref<BimViewCategory[]>([...DEFAULT_CATEGORIES]);
  const walking = ref(false);
  const picked = shallowRef<BimRow | null>(null);
  const elements = ref(0);
  const probe = shallowRef<BimProbe | null>(null);

  function open(id: string): void {
    buildingId.value = id;
    status.value = 'loading';
    error.value = '';
    isolated.value = null;
    explode.value = 0;
    walking.value = false;
    picked.value = null;
  }

  function close(): void {
    buildingId.value = null;
    status.value = 'closed';
    probe.value = null;
    walking.value = false;
  }

  function setProbe(p: BimProbe | null): void {
    probe.value = p ? markRaw(p) : null;
  }

  return { buildingId, status, error, storeys, isolated, explode, categories, walking, picked, elements, probe, open, close, setProbe };
});
