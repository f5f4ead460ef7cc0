/**
 * The figures of the leader dashboard ("city vital signs", 城市体征) and the arc screen's wings,
 * over the last VITALS_DAYS days: device online rate per hour, alarms opened per day by kind and
 * in all, the grid cells with most alarms, case intake/handling/on-time per day and department,
 * and — asked separately, it costs one history request per lamp — the lamps' energy per day.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { AlarmHistory, DeviceHealthHistory, KpiSeries } from '../../../../domain/history';
import type { CaseMeta } from '../../../../domain/cases/api';
import type { TerminalRecord } from '../../../../domain/twinPackage';
import { getJson } from '../../shared/http';
import { twinUrl } from '../../shared/twinApi';
import { useTwinStore } from '../../twin/twinStore';
import { casesApi } from '../cases/casesApi';
import { historyApi, mapLimited } from './historyApi';
import { DAY_MS, lastWindow, utcDays, type TimeWindow } from './core/timeWindow';
import { dailyEnergyKwh } from './core/vitals';

export const VITALS_DAYS = 7;
/** Lamp histories asked for at once when adding up energy. */
const ENERGY_CONCURRENCY = 6;

/** One part of the dashboard: its data, or why there is none. */
export interface Part<T> {
  data: T | null;
  loading: boolean;
  error: string;
}

const part = <T>(): Part<T> => ({ data: null, loading: false, error: '' });

export const useVitalsStore = defineStore('vitals', () => {
  const twin = useTwinStore();
  const range = ref<TimeWindow>(vitalsWindow(Date.now()));
  const days = ref<number[]>(utcDays(range.value.from, range.value.to));
  const devices = shallowRef(part<DeviceHealthHistory>());
  const alarmsByKind = shallowRef(part<AlarmHistory>());
  const alarmsTotal = shallowRef(part<AlarmHistory>());
  const alarmsByGrid = shallowRef(part<AlarmHistory>());
  const kpis = shallowRef(part<KpiSeries>());
  const energyKwh = shallowRef(part<number[]>());
  const energyProgress = ref({ done: 0, lamps: 0 });
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
    ]);
  }

  /** Energy per day, integrated from every lamp's hourly mean power (the history API is per terminal). */
  async function loadEnergy(): Promise<void> {
    const w = range.value;
    const dayList = days.value;
    await fill(energyKwh, async () => {
      const manifest = twin.manifest;
      if (!manifest) throw new Error('twin not loaded');
      const terminals = await getJson<TerminalRecord[]>(twinUrl(manifest.files.terminals));
      const lamps = terminals.filter((t) => t.type === 'lamp');
      energyProgress.value = { done: 0, lamps: lamps.length };
      const series = await mapLimited(
        lamps,
        ENERGY_CONCURRENCY,
        async (lamp) => (await historyApi.terminal(lamp.id, 'powerW', w, '1h')).points,
        (done) => (energyProgress.value = { done, lamps: lamps.length }),
      );
      return dailyEnergyKwh(series, dayList);
    });
  }

  return { range, days, devices, alarmsByKind, alarmsTotal, alarmsByGrid, kpis, energyKwh, energyProgress, departments, loadWings, loadDashboard, loadEnergy };
});

/** From the start of the UTC day VITALS_DAYS − 1 days ago up to now: whole days and today so far. */
function vitalsWindow(now: number): TimeWindow {
  const to = lastWindow(now, 0).to;
  return { from: Math.floor(now / DAY_MS) * DAY_MS - (VITALS_DAYS - 1) * DAY_MS, to };
}
