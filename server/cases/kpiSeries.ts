/**
 * Case KPIs over time (`GET /api/kpis/series`), pure: folds the day each case was created
 * (intake), reached `handled` (its department reported it done) and `closed`, per department or
 * grid cell. On time: closed and handled before its handling deadline. A case counts under its
 * current department and grid cell.
 */
import type { KpiSeriesBucket } from '../../domain/history';
import { UNASSIGNED } from './kpis';

/** One step in a case's life that the series counts (storage returns these). */
export interface KpiEventRow {
  at: number;
  what: 'created' | 'handled' | 'closed';
  departmentId?: string;
  gridCode?: string;
  /** handled late (true), on time (false), not handled (undefined). */
  handledLate?: boolean;
}

export const KPI_SERIES_DAY_MS = 86_400_000;

export function kpiSeries(rows: Iterable<KpiEventRow>, by: 'department' | 'grid'): KpiSeriesBucket[] {
  const buckets = new Map<string, KpiSeriesBucket>();
  for (const r of rows) {
    const t = Math.floor(r.at / KPI_SERIES_DAY_MS) * KPI_SERIES_DAY_MS;
    const group = (by === 'department' ? r.departmentId : r.gridCode) ?? UNASSIGNED;
    const key = `${t}\n${group}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { t, group, created: 0, handled: 0, closed: 0, onTime: 0, onTimeRate: null }));
    if (r.what === 'created') b.created += 1;
    else if (r.what === 'handled') b.handled += 1;
    else {
      b.closed += 1;
      if (r.handledLate === false) b.onTime += 1;
    }
  }
  const out = [...buckets.values()].sort((a, b) => a.t - b.t || a.group.localeCompare(b.group));
  for (const b of out) b.onTimeRate = b.closed === 0 ? null : b.onTime / b.closed;
  return out;
}
