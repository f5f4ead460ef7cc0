/**
 * Stage 7, comprehensive evaluation: handling rate, on-time rate, rework rate and satisfaction
 * per department or per grid cell. Pure: folds the few fields of each case that count.
 *
 * Over the cases created in the window: dispatched = ever sent to a department; handled = its
 * department reported it done and it is still handled, closed or evaluated (a reopened case is
 * not); on time = handled before its handling deadline; rework = handled cases reopened at least
 * once; satisfaction = mean rating of rated cases.
 */
import type { Kpi } from '../../domain/cases/api';
import type { CaseStatus } from '../../domain/cases/stages';
import { OPEN_STATUSES } from '../../domain/cases/stages';

/** The fields of a case the KPIs need (storage returns only these). */
export interface KpiRow {
  status: CaseStatus;
  departmentId?: string;
  gridCode?: string;
  dispatched: boolean;
  handledLate?: boolean;
  reopenCount: number;
  rating?: number;
  overdue: boolean;
}

const HANDLED: readonly CaseStatus[] = ['handled', 'closed', 'evaluated'];
/** Key for cases without a department or grid cell. */
export const UNASSIGNED = '(none)';

interface Tally {
  dispatched: number;
  handled: number;
  onTime: number;
  reworked: number;
  ratingSum: number;
  ratings: number;
  overdueOpen: number;
}

const emptyTally = (): Tally => ({ dispatched: 0, handled: 0, onTime: 0, reworked: 0, ratingSum: 0, ratings: 0, overdueOpen: 0 });

function add(t: Tally, row: KpiRow): void {
  if (row.dispatched) t.dispatched += 1;
  if (row.dispatched && HANDLED.includes(row.status)) {
    t.handled += 1;
    if (row.handledLate === false) t.onTime += 1;
    if (row.reopenCount > 0) t.reworked += 1;
  }
  if (row.rating !== undefined) {
    t.ratingSum += row.rating;
    t.ratings += 1;
  }
  if (row.overdue && OPEN_STATUSES.includes(row.status)) t.overdueOpen += 1;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

function toKpi(key: string, t: Tally): Kpi {
  return {
    key,
    dispatched: t.dispatched,
    handled: t.handled,
    handlingRate: ratio(t.handled, t.dispatched),
    onTimeRate: ratio(t.onTime, t.handled),
    reworkRate: ratio(t.reworked, t.handled),
    satisfaction: ratio(t.ratingSum, t.ratings),
    ratings: t.ratings,
    overdueOpen: t.overdueOpen,
  };
}

/** KPIs per key (sorted) and over everything. */
export function computeKpis(rows: Iterable<KpiRow>, by: 'department' | 'grid'): { items: Kpi[]; total: Kpi } {
  const tallies = new Map<string, Tally>();
  const total = emptyTally();
  for (const row of rows) {
    const key = (by === 'department' ? row.departmentId : row.gridCode) ?? UNASSIGNED;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = emptyTally()));
    add(t, row);
    add(total, row);
  }
  const items = [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, t]) => toKpi(key, t));
  return { items, total: toKpi('all', total) };
}
