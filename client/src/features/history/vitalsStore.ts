/**
 * The figures of the leader dashboard ("city vital signs", 城市体征) and the arc screen's wings,
 * over the last VITALS_DAYS days: device online rate per hour, alarms opened per day by kind and
 * in all, the grid cells with most alarms, case intake/handling/on-time per day and department,
 * and the street lamps' energy: per night and tonight by road (the energy API, one request each).
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { AlarmHistory, DeviceHealthHistory, KpiSeries } from '../../../../domain/history';
import type { CaseMeta } from '../../../../domain/cases/api';
import type { LampEnergy } from '../../../../domain/energy';
import { casesApi } from '../cases/casesApi';
import { energyApi } from '../energy/energyApi';
import { historyApi } from './historyApi';
import { DAY_MS, lastWindow, utcDays, type TimeWindow } from './core/timeWindow';

export const VITALS_DAYS = 7;

/** One part of the dashboard: its data, or why there is none. */
export interface Part<T> {
  data: T | null;
  loading: boolean;
  error: string;
}

const part = <T>(): Part<T> => ({ data: null, loading: false, error: '' });

export const useVitalsStore = defineStore('vitals', () => {
  const range = ref<TimeWindow>(vitalsWindow(Date.now()));
  const days = ref<number[]>(utcDays(range.value.from, range.value.to));
  const devices = shallowRef(part<DeviceHealthHistory>());
  const alarmsByKind = shallowRef(part<AlarmHistory>());
  const alarmsTotal = shallowRef(part<AlarmHistory>());
  const alarmsByGrid = shallowRef(part<AlarmHistory>());
  const kpis = shallowRef(part<KpiSeries>());
  const energyKwh = shallowRef(part<number[]>());
  const energyTonight = shallowRef(part<LampEnergy>());
  const departments = shallowRef<CaseMeta['departments']>([]);

  async function fill<T>(target: { value: Part<T> }, load: () => Promise<T>): Promise<void> {
    target.value = { ...target.value, loading: true, error: '' };
    try {
      target.value = { data: markRaw(await load() as object) as T, loading: false, error: '' };
    } catch (err) {
      target.value = { data: null, loading: false, error: (err as Error).message };
    }
  }

  function refreshWindow(): TimeWindow {
    range.value = vitalsWindow(Date.now());
    days.value = utcDays(range.value.from, range.value.to);
    return range.value;
  }

  let wingsLoading: Promise<void> | undefined;

  /** What the wings show: online rate and alarms per day (both wings ask; one load serves them). */
  function loadWings(): Promise<void> {
    const w = refreshWindow();
    wingsLoading ??= Promise.all([fill(devices, () => historyApi.devices(w, '1h')), fill(alarmsTotal, () => historyApi.alarms(w, '1d', 'none'))]).then(() => {
      wingsLoading = undefined;
    });
    return wingsLoading;
  }

  /** Everything the dashboard panel shows but the energy. */
  async function loadDashboard(): Promise<void> {
    const w = refreshWindow();
    if (departments.value.length === 0) casesApi.meta().then((m) => (departments.value = m.departments), () => undefined);
    await Promise.all([
      fill(devices, () => historyApi.devices(w, '1h')),
      fill(alarmsTotal, () => historyApi.alarms(w, '1d', 'none')),
      fill(alarmsByKind, () => historyApi.alarms(w, '1d', 'kind')),
      fill(alarmsByGrid, () => historyApi.alarms(w, '1d', 'grid')),
      fill(kpis, () => historyApi.kpis(w, 'department')),
      loadEnergy(),
    ]);
  }

  /**
   * The lamps' energy per night (the server integrates every lamp's power readings; a lamp's day runs
   * noon to noon, so the last bar is tonight so far) and tonight per road.
   */
  async function loadEnergy(): Promise<void> {
    await Promise.all([
      fill(energyKwh, async () => (await energyApi.cityDays(VITALS_DAYS)).days.map((d) => d.kwh)),
      fill(energyTonight, () => energyApi.byGroup('road')),
    ]);
  }

  return { range, days, devices, alarmsByKind, alarmsTotal, alarmsByGrid, kpis, energyKwh, energyTonight, departments, loadWings, loadDashboard, loadEnergy };
});

/** From the start of the UTC day VITALS_DAYS − 1 days ago up to now: whole days and today so far. */
function vitalsWindow(now: number): TimeWindow {
  const to = lastWindow(now, 0).to;
  return { from: Math.floor(now / DAY_MS) * DAY_MS - (VITALS_DAYS - 1) * DAY_MS, to };
}
