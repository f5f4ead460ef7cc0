/**
 * Saved scenarios of every kind, kept current by the server's "scenario" events, so a flood run
 * started on one screen shows its progress on every other.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { isFinished, type Scenario, type ScenarioKindName } from '../../../../domain/scenarios';
import { cancelScenario, deleteScenario, listScenarios, submitScenario } from './scenariosApi';
import { onResync, onServerEvent } from '../live/serverEvents';

export const useScenariosStore = defineStore('scenarios', () => {
  const byId = ref(new Map<string, Scenario>());
  const error = ref<string | undefined>();
  let unsubscribe: (() => void) | undefined;
  let stopResync: (() => void) | undefined;

  const all = computed(() => [...byId.value.values()].sort((a, b) => b.createdAt - a.createdAt));
  const ofKind = (kind: ScenarioKindName): Scenario[] => all.value.filter((s) => s.kind === kind);
  const finishedOfKind = (kind: ScenarioKindName): Scenario[] => ofKind(kind).filter((s) => s.status === 'done');
  const running = computed(() => all.value.filter((s) => !isFinished(s.status)));

  function put(scenario: Scenario): void {
    byId.value.set(scenario.id, scenario);
  }

  /** Loads the list once and follows changes from then on. */
  async function start(): Promise<void> {
    unsubscribe ??= onServerEvent('scenario', (data) => put(data as Scenario));
    // Progress missed while the live socket was down (a run may have finished meanwhile).
    stopResync ??= onResync(() => void load());
    await load();
  }

  async function load(): Promise<void> {
    try {
      for (const s of await listScenarios()) put(s);
      error.value = undefined;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function submit(kind: ScenarioKindName, name: string, params: unknown): Promise<Scenario> {
    const scenario = await submitScenario(kind, name, params);
    put(scenario);
    return scenario;
  }

  async function cancel(id: string): Promise<void> {
    put(await cancelScenario(id));
  }

  async function remove(id: string): Promise<void> {
    await deleteScenario(id);
    byId.value.delete(id);
  }

  return { byId, all, running, error, ofKind, finishedOfKind, start, submit, cancel, remove };
});
