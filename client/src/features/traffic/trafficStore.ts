/**
 * The traffic panel's state: saved traffic scenarios, the one shown, and its results — summary,
 * network (links, signals), per-link speeds and the playback frames — fetched once per run.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Network } from '../../../../simulations/traffic/network';
import type { LinkSeries } from '../../../../simulations/traffic/runTraffic';
import { getScenarioBytes, getScenarioJson } from '../scenarios/scenariosApi';
import { useScenariosStore } from '../scenarios/scenariosStore';
import { decodePlayback, type Playback } from './core/playback';
import { isAccessDenied } from '../scenarios/useScenarioAccess';

export type DemandKind = 'peak' | 'holiday';

export interface TrafficRunParams {
  demand: DemandKind;
  vehicles: number;
  durationSeconds: number;
}

/** What the traffic scenario's summary holds (server/scenarios/traffic.ts). */
export interface TrafficRunSummary {
  demand: string;
  trips: number;
  vehiclesArrived: number;
  meanTravelTimeSeconds: number | null;
  meanDelaySeconds: number | null;
  meanStops: number | null;
  vehicleUpdatesPerSecond: number;
  losCounts: Record<string, number>;
}

export interface TrafficRunData {
  network: Network;
  links: { intervalSeconds: number; series: LinkSeries[] };
  playback: Playback | null;
}

export const useTrafficStore = defineStore('traffic', () => {
  const scenarios = useScenariosStore();
  const selectedId = ref<string | undefined>();
  // Large result files: kept out of deep reactivity.
  const data = shallowRef<TrafficRunData | undefined>();
  const error = ref<string | undefined>();
  let loadedId: string | undefined;

  const runs = computed(() => scenarios.ofKind('traffic'));
  const selected = computed(() => runs.value.find((s) => s.id === selectedId.value));
  const summary = computed(() => (selected.value?.status === 'done' ? (selected.value.summary as unknown as TrafficRunSummary | undefined) : undefined));

  async function load(id: string): Promise<void> {
    const scenario = scenarios.byId.get(id);
    if (!scenario || scenario.status !== 'done' || loadedId === id) return;
    loadedId = id;
    try {
      const [network, links, frames] = await Promise.all([
        getScenarioJson<Network>(id, 'network.json'),
        getScenarioJson<TrafficRunData['links']>(id, 'links.json'),
        scenario.files?.includes('frames.bin') ? getScenarioBytes(id, 'frames.bin') : Promise.resolve(null),
      ]);
      if (selectedId.value !== id) return;
      data.value = { network, links, playback: frames ? decodePlayback(frames) : null };
      error.value = undefined;
    } catch (err) {
      loadedId = undefined;
      error.value = (err as Error).message;
    }
  }

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    data.value = undefined;
    loadedId = undefined;
    await load(id);
  }

  /** Called when scenario events arrive: loads the selected run once it has finished. */
  async function refresh(): Promise<void> {
    if (!selectedId.value && runs.value[0]) selectedId.value = runs.value[0].id;
    if (selectedId.value) await load(selectedId.value);
  }

  async function run(name: string, params: TrafficRunParams): Promise<void> {
    try {
      const scenario = await scenarios.submit('traffic', name, params);
      error.value = undefined;
      await select(scenario.id);
    } catch (err) {
      // A refused run is explained by the panel's sign-in hint, not as an error.
      error.value = isAccessDenied(err) ? undefined : (err as Error).message;
    }
  }

  async function remove(id: string): Promise<void> {
    await scenarios.remove(id);
    if (selectedId.value === id) {
      selectedId.value = undefined;
      data.value = undefined;
      loadedId = undefined;
    }
  }

  return { selectedId, selected, runs, summary, data, error, select, refresh, run, remove };
});
