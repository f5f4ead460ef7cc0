/**
 * Cases, the one store that fetches them and listens to their events. Two consumers:
 * - case work for the signed-in user (`start()`, the cases panel and the inspector): the session,
 *   the list with its filters, the open case's detail and the actions the server says this user
 *   may take;
 * - the overview for the leader's screens (`startOverview()`, the 2D map and the wings): every
 *   case as a point (from GET /api/cases when a user is signed in, and from `case` events) and the
 *   KPI totals (`kpi` events). `availability` says whether the cases API answered, so the map can
 *   fall back to alarms.
 * Changes from anyone arrive as `case` events on the live socket and refresh what is shown.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { CaseActionRequest } from '../../../../domain/cases/actions';
import type { CaseDetail, CaseListQuery, CaseListResponse, CaseMeta, CaseStreamEvent, CreateCaseRequest, KpiResponse, KpiStreamEvent } from '../../../../domain/cases/api';
import type { Case } from '../../../../domain/cases/case';
import { OPEN_STATUSES } from '../../../../domain/cases/stages';
import { KPI_ROLES } from '../../../../domain/users';
import { getJson } from '../../shared/http';
import { onResync, onServerEvent } from '../live/serverEvents';
import { currentSession, onSessionChange, setSession, type Session } from '../../shared/session';
import { casesApi, idempotencyKey } from './casesApi';

/** A case as the map and the wings need it. */
export interface CasePoint {
  id: string;
  lon: number;
  lat: number;
  open: boolean;
}

const OPEN = new Set<string>(OPEN_STATUSES);

/** Whether `next` is a later version of the case than `shown` (every change bumps the version). */
const isNewer = (next: Case, shown: Case): boolean => next.version > shown.version;

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
  /** The overview's points, KPI totals and whether the cases API answered. */
  const points = shallowRef(markRaw(new Map<string, CasePoint>()));
  const pointsVersion = ref(0);
  const overviewKpi = shallowRef<KpiStreamEvent | null>(null);
  const availability = ref<'unknown' | 'available' | 'unavailable'>('unknown');
  let overviewStarted = false;
  let listening = false;
  /** The key of an action that failed on the network, reused if the user presses again. */
  let pending: { signature: string; key: string } | undefined;

  const user = computed(() => session.value?.user ?? null);
  const canCreate = computed(() => user.value?.role === 'dispatcher' || user.value?.role === 'inspector');
  const canSeeKpis = computed(() => user.value !== null && KPI_ROLES.includes(user.value.role));

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

  function putPoint(c: Case): void {
    points.value.set(c.id, { id: c.id, lon: c.lon, lat: c.lat, open: OPEN.has(c.status) });
  }

  async function fetchOverview(): Promise<void> {
    // Reading cases needs a signed-in user; without one the socket's case events are the source.
    const signedIn = currentSession();
    if (!signedIn) {
      availability.value = points.value.size > 0 ? 'available' : 'unavailable';
      return;
    }
    try {
      const list = await getJson<CaseListResponse>('/api/cases?limit=500');
      for (const c of list.items) putPoint(c);
      availability.value = 'available';
      pointsVersion.value++;
    } catch {
      availability.value = points.value.size > 0 ? 'available' : 'unavailable';
    }
    // Only the KPI roles may read KPIs: asking with another role's token is refused (a 403 the
    // browser logs as an error), and the wings show a dash without them.
    if (!KPI_ROLES.includes(signedIn.user.role)) {
      overviewKpi.value = null;
      return;
    }
    try {
      overviewKpi.value = markRaw(await getJson<KpiStreamEvent>('/api/kpis?by=department'));
    } catch {
      // Refused after all (the session expired, say): the wings show a dash.
    }
  }

  function onCaseEvent(event: CaseStreamEvent): void {
    if (overviewStarted && event?.case) {
      putPoint(event.case);
      availability.value = 'available';
      pointsVersion.value++;
    }
    if (!started) return;
    const { case: changed } = event;
    if (!changed || !session.value) return;
    const at = items.value.findIndex((c) => c.id === changed.id);
    // Without filters a listed case stays listed: swap it in place. With filters the change may
    // move it out of (or into) the list, which only the server can say.
    const filtered = Object.values(filters.value).some((v) => v !== undefined && v !== '');
    if (at >= 0 && !filtered) {
      // Events relayed from another instance may overtake this instance's own: keep the newer.
      if (isNewer(changed, items.value[at]!)) items.value = items.value.map((c, i) => (i === at ? changed : c));
    } else refreshSoon();
    const shown = detail.value?.case;
    if (shown?.id === changed.id && isNewer(changed, shown)) void open(changed.id);
  }

  /** One set of listeners on the live socket and the session, whichever consumer starts first. */
  function listen(): void {
    if (listening) return;
    listening = true;
    onSessionChange((next) => {
      if (started) {
        session.value = next;
        if (!next) {
          items.value = [];
          detail.value = null;
          kpis.value = null;
        }
      }
      if (overviewStarted) void fetchOverview();
    });
    onServerEvent('case', (data) => onCaseEvent(data as CaseStreamEvent));
    onServerEvent('kpi', (data) => {
      if (overviewStarted) overviewKpi.value = markRaw(data as KpiStreamEvent);
      if (started && canSeeKpis.value) kpis.value = data as KpiResponse;
    });
    // Case events missed while the live socket was down: reload the points, the list and the open case.
    onResync(() => {
      if (overviewStarted) void fetchOverview();
      if (!started || !session.value) return;
      refreshSoon();
      if (detail.value) void open(detail.value.case.id);
    });
  }

  /** Case work: the list, the detail and the actions. */
  function start(): void {
    if (started) return;
    started = true;
    listen();
    void refresh();
  }

  /** The overview's points and KPI totals, for the map and the wings. */
  function startOverview(): void {
    if (overviewStarted) return;
    overviewStarted = true;
    listen();
    void fetchOverview();
  }

  function openCount(): number {
    let n = 0;
    for (const c of points.value.values()) if (c.open) n++;
    return n;
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

  /** Counts `open` calls, so an answer for a case the user has since left is dropped. */
  let opened = 0;
  async function open(id: string): Promise<void> {
    const call = ++opened;
    const next = await guarded(() => casesApi.detail(id));
    if (!next) return;
    // Live events start fetches that overlap: one answered late must not put back an older version.
    const shown = detail.value?.case;
    if (shown?.id === id ? !isNewer(shown, next.case) : call === opened) detail.value = next;
  }

  function close(): void {
    opened++;
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

  return {
    session, user, meta, items, total, filters, detail, kpis, busy, error, canCreate, canSeeKpis, start, refresh, login, logout, open, close, act, create,
    points, pointsVersion, overviewKpi, availability, startOverview, openCount,
  };
});
