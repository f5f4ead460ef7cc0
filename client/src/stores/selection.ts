import { defineStore } from 'pinia';
import { ref } from 'vue';

/** What the user picked in the twin; the attribute panel shows it, the scene highlights it. */
export type Selection =
  | { kind: 'building'; id: string; properties: Record<string, string | number | boolean | null> }
  | { kind: 'pole'; id: string };

export const useSelectionStore = defineStore('selection', () => {
  const selection = ref<Selection | null>(null);

  function select(next: Selection | null): void {
    selection.value = next;
  }

  return { selection, select };
});
