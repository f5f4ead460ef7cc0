/**
 * The flood panel's state: saved flood scenarios, the one shown (its depth frames and what it
 * hits, fetched once per run) and up to two ticked for side-by-side comparison.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PipeRun } from '../../../../simulations/drainage/pipeResults';
import type { DepthFramesMeta } from '../../../../simulations/flood/io/depthFrames';
import type { FloodImpacts } from '../../../../simulations/flood/twin/floodImpacts';
import { getScenarioBytes, getScenarioJson } from '../scenarios/scenariosApi';
import { useScenariosStore } from '../scenarios/scenariosStore';
import { isAccessDenied } from '../scenarios/useScenarioAccess';
import { decodeDepthFrames, type DepthFrames } from './core/depthFrames';

/** What the flood scenario's summary holds (server/scenarios/flood.ts). */
export interface FloodRunSummary {
  grid: { ncols: number; nrows: number; cellSizeM: number };
  volumeInM3: { initial: number; rain: number; inflow: number; outflow: number; drainage: number; final: number };
  massBalanceError: number;
  maxDepthM: number;
  maxLandDepthM: number;
  wetAreaM2: number;
  /** Land under at least the hit depth at some time (absent in runs saved before it existed). */
  floodedLandAreaM2?: number;
  wallSeconds: number;
  hit: { buildings: number; roads: number; roadLengthM: number; components: number; drains?: number };
  /** Runs with a drainage network (docs/drainage.md); the pipe run itself is drainage.json. */
  drainage?: { nodes: number; links: number; overloadedLinks: number; spillingNodes: number; uncoupledNodes?: number };
}

/** What the client reads of a run's drainage.json (FloodResult.drainage). */
export interface FloodDrainage {
  pipes: Pick<PipeRun, 'links' | 'nodes'>;
}

export interface FloodRunParams {
  rain: { storm: { returnPeriodYears: number; durationMinutes: number; peakRatio: number } };
  drainageMmPerHour: number;
  durationSeconds: number;
  snapshotEverySeconds: number;
  /** A pipe network coupled to the surface: an EPA SWMM 5 .inp text or the twin's storm network (simulations/flood/scenarioParams.ts). */
  drainageNetwork?: 'twin' | { twin: { outfalls: string[] } } | { inp: string };
}

export const useFloodStore = defineStore('flood', () => {
  const scenarios = useScenariosStore();
  const selectedId = ref<string | undefined>();
  const compareIds = ref<string[]>([]);
  // Large result data: kept out of deep reactivity.
  const frames = shallowRef<DepthFrames | undefined>();
  const impacts = shallowRef<FloodImpacts | undefined>();
  const drainage = shallowRef<FloodDrainage | undefined>();
  const error = ref<string | undefined>();
  let loadedId: string | undefined;

  const runs = computed(() => scenarios.ofKind('flood'));
  const selected = computed(() => runs.value.find((s) => s.id === selectedId.value));
  const summaryOf = (id: string): FloodRunSummary | undefined => {
    const s = scenarios.byId.get(id);
    return s?.status === 'done' ? (s.summary as unknown as FloodRunSummary | undefined) : undefined;
  };
  const summary = computed(() => (selectedId.value ? summaryOf(selectedId.value) : undefined));
  const compared = computed(() => compareIds.value.flatMap((id) => {
    const s = scenarios.byId.get(id);
    const sum = summaryOf(id);
    return s && sum ? [{ scenario: s, summary: sum }] : [];
  }));

  async function load(id: string): Promise<void> {
    const scenario = scenarios.byId.get(id);
    if (!scenario || scenario.status !== 'done' || loadedId === id) return;
    loadedId = id;
    try {
      const coupled = summaryOf(id)?.drainage !== undefined;
      const [meta, bytes, hit, pipes] = await Promise.all([
        getScenarioJson<DepthFramesMeta>(id, 'frames.json'),
        getScenarioBytes(id, 'frames.bin'),
        getScenarioJson<FloodImpacts>(id, 'impacts.json'),
        coupled ? getScenarioJson<FloodDrainage>(id, 'drainage.json') : undefined,
      ]);
      if (selectedId.value !== id) return;
      frames.value = decodeDepthFrames(meta, bytes);
      impacts.value = hit;
      drainage.value = pipes;
      error.value = undefined;
    } catch (err) {
      loadedId = undefined;
      error.value = (err as Error).message;
    }
  }

  function select(id: string): void {
    if (selectedId.value !== id) {
      frames.value = undefined;
      impacts.value = undefined;
      drainage.value = undefined;
      loadedId = undefined;
    }
    selectedId.value = id;
    void load(id);
  }

  /** Newest run selected when nothing is; results loaded when the selected run finishes. */
  async function refresh(): Promise<void> {
    if (!selectedId.value && runs.value[0]) selectedId.value = runs.value[0].id;
    if (selectedId.value) await load(selectedId.value);
  }

  function toggleCompare(id: string): void {
    const ids = compareIds.value.filter((x) => x !== id);
    if (ids.length === compareIds.value.length) ids.push(id);
    compareIds.value = ids.slice(-2);
  }

  async function run(name: string, params: FloodRunParams): Promise<void> {
    try {
      const scenario = await scenarios.submit('flood', name, params);
      error.value = undefined;
      select(scenario.id);
    } catch (err) {
      // A refused run is explained by the panel's sign-in hint, not as an error.
      error.value = isAccessDenied(err) ? undefined : (err as Error).message;
    }
  }

  async function remove(id: string): Promise<void> {
    await scenarios.remove(id);
    compareIds.value = compareIds.value.filter((x) => x !== id);
    if (selectedId.value === id) {
      selectedId.value = undefined;
      frames.value = undefined;
      impacts.value = undefined;
      drainage.value = undefined;
      loadedId = undefined;
    }
  }

  return { runs, selectedId, selected, summary, compareIds, compared, frames, impacts, drainage, error, select, refresh, toggleCompare, run, remove };
});
