/**
 * The green-wave panel's state: which run is shown, its plan and before/after figures (fetched
 * once per run from the scenario's result files), and submitting new runs on the twin.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { BeforeAfter } from '../../../../simulations/greenwave/greenWaveStudy';
import type { GreenWaveResult } from '../../../../simulations/greenwave/planGreenWave';
import { getScenarioJson } from '../scenarios/scenariosApi';
import { useScenariosStore } from '../scenarios/scenariosStore';
import { isAccessDenied } from '../scenarios/useScenarioAccess';

export interface GreenWaveRunParams {
  network: 'twin' | 'corridor';
  cycleRangeSeconds: [number, number] | null;
  speedRangeMps: [number, number] | null;
  throughVehPerHour: number;
}

export const useGreenWaveStore = defineStore('greenwave', () => {
  const scenarios = useScenariosStore();
  const selectedId = ref<string | undefined>();
  // Results are plain JSON read once: no deep reactivity needed over thousands of intervals.
  const result = shallowRef<GreenWaveResult | undefined>();
  const beforeAfter = shallowRef<BeforeAfter | null | undefined>();
  const error = ref<string | undefined>();
  const loadedId = ref<string | undefined>();

  const runs = computed(() => scenarios.ofKind('greenwave'));
  const selected = computed(() => runs.value.find((s) => s.id === selectedId.value));

  async function load(id: string): Promise<void> {
    const scenario = scenarios.byId.get(id);
    if (!scenario || scenario.status !== 'done' || loadedId.value === id) return;
    loadedId.value = id;
    try {
      result.value = await getScenarioJson<GreenWaveResult>(id, 'result.json');
      beforeAfter.value = scenario.files?.includes('before-after.json') ? await getScenarioJson<BeforeAfter>(id, 'before-after.json') : null;
      error.value = undefined;
    } catch (err) {
      loadedId.value = undefined;
      error.value = (err as Error).message;
    }
  }

  /** Shows a run; its results load as soon as it is done (see `refresh`). */
  async function select(id: string): Promise<void> {
    selectedId.value = id;
    result.value = undefined;
    beforeAfter.value = undefined;
    loadedId.value = undefined;
    await load(id);
  }

  /** Called when scenario events arrive: loads the selected run once it has finished. */
  async function refresh(): Promise<void> {
    if (!selectedId.value && runs.value[0]) selectedId.value = runs.value[0].id;
    if (selectedId.value) await load(selectedId.value);
  }

  async function run(name: string, params: GreenWaveRunParams): Promise<void> {
    try {
      const scenario = await scenarios.submit('greenwave', name, params);
      error.value = undefined;
      await select(scenario.id);
    } catch (err) {
      // A refused run is explained by the panel's sign-in hint, not as an error.
      error.value = isAccessDenied(err) ? undefined : (err as Error).message;
    }
  }

  return { selectedId, selected, runs, result, beforeAfter, error, select, refresh, run };
});
