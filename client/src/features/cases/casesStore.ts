/**
 * Case work for the signed-in user: the session, the list with its filters, the open case's
 * detail and the actions the server says this user may take. Changes from anyone arrive as
 * `case` events on the live socket and refresh what is shown.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CaseActionRequest } from '../../../../domain/cases/actions';
import type { CaseDetail, CaseListQuery, CaseMeta, CaseStreamEvent, CreateCaseRequest, KpiResponse } from '../../../../domain/cases/api';
import type { Case } from '../../../../domain/cases/case';
import { onResync, onServerEvent } from '../live/serverEvents';
import { currentSession, onSessionChange, setSession, type Session } from '../../shared/session';
import { casesApi, idempotencyKey } from './casesApi';

export type CaseFilters = Pick<CaseListQuery, 'status' | 'categoryId' | 'departmentId' | 'source' | 'urgency' | 'overdue' | 'q'>;

export const useCasesStore = defineStore('cases', () => {
  const session = shallowRef<Session | null>(currentSession());
  const meta = shallowRef<CaseMeta | null>(null);
  const items = shallowRef<Case[]>([]);
  const total = ref(0);
  const filters = ref<CaseFilters>({});
  const detail = shallowRef<CaseDetail | null>(null);
  const kpis = shallowRef<KpiResponse | null>(null);
  const busy = ref(false);
  const error = ref<string | undefined>();
  let started = false;
  /** The key of an action that failed on the network, reused if the user presses again. */
  let pending: { signature: string; key: string } | undefined;

  const user = computed(() => session.value?.user ?? null);
  const canCreate = computed(() => user.value?.role === 'dispatcher' || user.value?.role === 'inspector');
  const canSeeKpis = computed(() => ['leader', 'dispatcher', 'planner', 'admin'].includes(user.value?.role ?? ''));

  async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = undefined;
    try {
      return await work();
    } catch (err) {
      error.value = (err as Error).message;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function refresh(): Promise<void> {
    if (!session.value) return;
    await guarded(async () => {
      meta.value ??= await casesApi.meta();
      const list = await casesApi.list({ ...filters.value, limit: 200 });
      items.value = list.items;
      total.value = list.total;
      if (canSeeKpis.value) kpis.value = await casesApi.kpis('department');
    });
  }

  /** Coalesces a burst of live events (an alarm storm) into one refresh at a time. */
  let refreshing = false;
  let refreshAgain = false;
  function refreshSoon(): void {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    void refresh().finally(() => {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        refreshSoon();
      }
    });
  }

  function start(): void {
    if (started) return;
    started = true;
    onSessionChange((next) => {
      session.value = next;
      if (!next) {
        items.value = [];
        detail.value = null;
        kpis.value = null;
      }
    });
    onServerEvent('case', (data) => {
      const { case: changed } = data as CaseStreamEvent;
      if (!changed || !session.value) return;
      const at = items.value.findIndex((c) => c.id === changed.id);
      // Without filters a listed case stays listed: swap it in place. With filters the change may
      // move it out of (or into) the list, which only the server can say.
      const filtered = Object.values(filters.value).some((v) => v !== undefined && v !== '');
      if (at >= 0 && !filtered) items.value = items.value.map((c, i) => (i === at ? changed : c));
      else refreshSoon();
      if (detail.value?.case.id === changed.id) void open(changed.id);
    });
    onServerEvent('kpi', (data) => {
      if (canSeeKpis.value) kpis.value = data as KpiResponse;
    });
    // Case events missed while the live socket was down: reload the list and the open case.
    onResync(() => {
      if (!session.value) return;
      refreshSoon();
      if (detail.value) void open(detail.value.case.id);
    });
    void refresh();
  }

  async function login(username: string, password: string): Promise<boolean> {
    const answer = await guarded(() => casesApi.login({ username, password }));
    if (!answer) return false;
    setSession(answer);
    await refresh();
    return true;
  }

  function logout(): void {
    setSession(null);
  }

  async function open(id: string): Promise<void> {
    const next = await guarded(() => casesApi.detail(id));
    if (next) detail.value = next;
  }

  function close(): void {
    detail.value = null;
  }

  /** Sends an action; a retry after a network failure reuses the key, so it applies once. */
  async function act(id: string, request: CaseActionRequest): Promise<boolean> {
    const signature = JSON.stringify([id, request]);
    const key = pending?.signature === signature ? pending.key : idempotencyKey();
    pending = { signature, key };
    const answer = await guarded(() => casesApi.act(id, { ...request, expectedVersion: detail.value?.case.version }, key));
    if (!answer) return false;
    pending = undefined;
    await open(id);
    return true;
  }

  async function create(request: CreateCaseRequest): Promise<Case | undefined> {
    const answer = await guarded(() => casesApi.create(request, idempotencyKey()));
    if (!answer) return undefined;
    await refresh();
    return answer.case;
  }

  return { session, user, meta, items, total, filters, detail, kpis, busy, error, canCreate, canSeeKpis, start, refresh, login, logout, open, close, act, create };
});
