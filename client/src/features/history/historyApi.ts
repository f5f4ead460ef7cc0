/** Calls to the history API (issue 16), with the session's bearer token like every API call. */
import type {
  AlarmHistory,
  AlarmHistoryGroup,
  AlarmHistoryStep,
  DeviceHealthHistory,
  HistorySnapshot,
  HistoryStep,
  KpiSeries,
  TerminalHistory,
} from '../../../../domain/history';
import { getJson } from '../../shared/http';
import type { TimeWindow } from './core/timeWindow';

const query = (params: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export const historyApi = {
  terminal: (terminalId: string, field: string, window: TimeWindow, step: HistoryStep, signal?: AbortSignal) =>
    getJson<TerminalHistory>(`/api/terminals/${encodeURIComponent(terminalId)}/history?${query({ field, ...window, step })}`, signal),
  alarms: (window: TimeWindow, step: AlarmHistoryStep, groupBy: AlarmHistoryGroup, signal?: AbortSignal) =>
    getJson<AlarmHistory>(`/api/history/alarms?${query({ ...window, step, groupBy })}`, signal),
  devices: (window: TimeWindow, step: AlarmHistoryStep, signal?: AbortSignal) =>
    getJson<DeviceHealthHistory>(`/api/history/devices?${query({ ...window, step })}`, signal),
  snapshot: (at: number, signal?: AbortSignal) => getJson<HistorySnapshot>(`/api/history/snapshot?${query({ at })}`, signal),
  kpis: (window: TimeWindow, by: 'department' | 'grid', signal?: AbortSignal) =>
    getJson<KpiSeries>(`/api/kpis/series?${query({ ...window, step: '1d', by })}`, signal),
};
