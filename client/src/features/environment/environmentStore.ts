import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Season } from './core/sun';
import { DEFAULT_ENVIRONMENT, type EnvironmentSettings } from './Environment';

/** Time of day, season, shadows, rain and fog chosen by the user (or the tour). */
export const useEnvironmentStore = defineStore('environment', () => {
  const settings = ref<EnvironmentSettings>({ ...DEFAULT_ENVIRONMENT });

  function set(next: Partial<EnvironmentSettings>): void {
    settings.value = { ...settings.value, ...next };
  }

  function setSeason(season: Season): void {
    set({ season });
  }

  return { settings, set, setSeason };
});
