/**
 * Emergency command in the client (`useEmergencyStore`): the twin's resources, the plans, the
 * proposal for the incident the operator picked and the responses under way, kept current by the
 * live stream's `emergency` events (units' positions and status). `version` moves whenever what
 * the map layers draw changes.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { EmergencyEventData, EmergencyPlan, EmergencyResponse, Incident, PlanBody, Proposal, ResourceRecord } from '../../../../domain/emergency';
import { currentSession, onSessionChange } from '../../shared/session';
import { onServerEvent } from '../live/serverEvents';
import * as api from './emergencyApi';
import { emergencyOverlay } from './core/incidents';

export const useEmergencyStore = defineStore('emergency', () => {
  const resources = shallowRef<ResourceRecord[]>([]);
  const plans = shallowRef<EmergencyPlan[]>([]);
  const responses = shallowRef(new Map<string, EmergencyResponse>());
  const proposal = shallowRef<Proposal | undefined>();
  const busy = ref(false);
  const error = ref<string | undefined>();
  const version = ref(0);
  let started = false;

  const take = (list: readonly EmergencyResponse[]): void => {
    const next = new Map(responses.value);
    for (const r of list) next.set(r.id, r);
    responses.value = next;
    version.value++;
  };
  onServerEvent('emergency', (data) => take((data as EmergencyEventData).responses));

  const responseList = computed(() => [...responses.value.values()].sort((a, b) => b.createdAt - a.createdAt));
  const overlay = computed(() => emergencyOverlay(responseList.value));

  async function guarded<T>(fn: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = undefined;
    try {
      return await fn();
    } catch (err) {
      error.value = (err as Error).message;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  // Every read needs a login: a new session loads again, a sign-out forgets.
  onSessionChange((session) => {
    started = false;
    if (session) void start();
  });

  /** Loads resources, plans and responses once a user is signed in (they then follow the live stream). */
  async function start(): Promise<void> {
    if (started || !currentSession()) return;
    started = true;
    const loaded = await guarded(() => Promise.all([api.getResources(), api.getPlans(), api.getResponses()]));
    if (!loaded) return void (started = false);
    [resources.value, plans.value] = [loaded[0], loaded[1]];
    take(loaded[2]);
  }

  async function propose(incident: Incident): Promise<void> {
    proposal.value = undefined;
    const p = await guarded(() => api.propose(incident));
    if (p) proposal.value = p;
  }

  async function dispatch(resourceIds: string[], evacuate: boolean): Promise<EmergencyResponse | undefined> {
    const current = proposal.value;
    if (!current) return undefined;
    const response = await guarded(() => api.dispatch({ incident: current.incident, resourceIds, evacuate }));
    if (response) {
      take([response]);
      proposal.value = undefined;
    }
    return response;
  }

  async function savePlan(body: PlanBody): Promise<boolean> {
    const saved = await guarded(() => api.savePlan(body));
    if (saved) plans.value = [...plans.value.filter((p) => p.id !== saved.id), saved].sort((a, b) => a.id.localeCompare(b.id));
    return saved !== undefined;
  }

  return { resources, plans, responses, responseList, proposal, busy, error, version, overlay, start, propose, dispatch, savePlan };
});
