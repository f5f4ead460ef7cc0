import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { CaseListResponse, CaseStreamEvent, KpiStreamEvent } from '../../../../domain/cases/api';
import type { Case } from '../../../../domain/cases/case';
import { OPEN_STATUSES } from '../../../../domain/cases/stages';
import { getJson } from '../../shared/http';
import { onResync, onServerEvent } from '../live/serverEvents';
import { currentSession, onSessionChange } from '../../shared/session';

/** A case as the map and the wings need it. */
export interface CasePoint {
  id: string;
  lon: number;
  lat: number;
  open: boolean;
}

const OPEN = new Set<string>(OPEN_STATUSES);

/**
 * Case-work figures for the leader's screens: cases (from GET /api/cases when a user is signed
 * in, and from `case` events on the live socket) and the KPI totals (`kpi` events).
 * `casesApi` says whether the cases API answered, so the map can fall back to alarms.
 */
export const useOperationsStore = defineStore('operations', () => {
  const cases = shallowRef(markRaw(new Map<string, CasePoint>()));
  const version = ref(0);
  const kpi = shallowRef<KpiStreamEvent | null>(null);
  const casesApi = ref<'unknown' | 'available' | 'unavailable'>('unknown');
  let started = false;

  function put(c: Case): void {
    cases.value.set(c.id, { id: c.id, lon: c.lon, lat: c.lat, open: OPEN.has(c.status) });
  }

  async function fetchCases(): Promise<void> {
    // Reading cases needs a signed-in user; without one the socket's case events are the source.
    if (!currentSession()) {
      casesApi.value = cases.value.size > 0 ? 'available' : 'unavailable';
      return;
    }
    try {
      const list = await getJson<CaseListResponse>('/api/cases?limit=500');
      for (const c of list.items) put(c);
      casesApi.value = 'available';
      version.value++;
    } catch {
      casesApi.value = cases.value.size > 0 ? 'available' : 'unavailable';
    }
    try {
      kpi.value = markRaw(await getJson<KpiStreamEvent>('/api/kpis?by=department'));
    } catch {
      // KPIs need a leader's or dispatcher's token; the wings show a dash without them.
    }
  }

  function start(): void {
    if (started) return;
    started = true;
    onServerEvent('case', (data) => {
      const event = data as CaseStreamEvent;
      if (!event?.case) return;
      put(event.case);
      casesApi.value = 'available';
      version.value++;
    });
    onServerEvent('kpi', (data) => {
      kpi.value = markRaw(data as KpiStreamEvent);
    });
    onSessionChange(() => void fetchCases());
    onResync(() => void fetchCases());
    void fetchCases();
  }

  function openCount(): number {
    let n = 0;
    for (const c of cases.value.values()) if (c.open) n++;
    return n;
  }

  return { cases, version, kpi, casesApi, start, openCount };
});
