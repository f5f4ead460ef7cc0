import { defineStore } from 'pinia';
import { ref } from 'vue';

type Properties = Record<string, string | number | boolean | null>;

/**
 * What the user picked, in the 3D twin, the 2D map or the search box; the attribute panel shows
 * it, both views highlight it. `origin` says where it was picked so a view does not re-fly to
 * what the user just clicked in it.
 */
export type Selection =
  | { kind: 'building'; id: string; properties: Properties }
  | { kind: 'pole'; id: string }
  | { kind: 'component'; id: string; properties: Properties }
  | { kind: 'room'; id: string; buildingId: string; properties: Properties }
  /** A third-party tileset's feature: its class as its metadata names it (null: none declared). */
  | { kind: 'feature'; id: string; className: string | null; properties: Properties };

export type SelectionOrigin = '3d' | '2d' | 'search' | 'tour' | 'automation' | 'panel';

export const useSelectionStore = defineStore('selection', () => {
  const selection = ref<Selection | null>(null);
  const origin = ref<SelectionOrigin>('3d');

  function select(next: Selection | null, from: SelectionOrigin = '3d'): void {
    origin.value = from;
    selection.value = next;
  }

  return { selection, origin, select };
});
