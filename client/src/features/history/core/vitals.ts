/**
 * The leader dashboard's ("city vital signs") figures, from the history API's buckets: series per
 * group aligned on one time axis and the groups that weigh most (worst grid cells). The lamps'
 * energy comes integrated from the server (docs/energy.md).
 */
import type { KpiSeriesBucket } from '../../../../../domain/history';

/** Series of buckets pivoted to one row per group, each aligned on `times` (0 where a bucket is missing). */
export interface Pivot {
  times: number[];
  groups: string[];
  /** values[g][i]: group g at times[i]. */
  values: number[][];
}

export function pivot<B extends { t: number; group: string }>(buckets: readonly B[], value: (bucket: B) => number, times: readonly number[]): Pivot {
  const index = new Map(times.map((t, i) => [t, i]));
  const rows = new Map<string, number[]>();
  for (const b of buckets) {
    const i = index.get(b.t);
    if (i === undefined) continue;
    let row = rows.get(b.group);
    if (!row) rows.set(b.group, (row = times.map(() => 0)));
    row[i]! += value(b);
  }
  // Biggest groups first: a legend read from the left starts with what matters.
  const groups = [...rows.keys()].sort((a, b) => sum(rows.get(b)!) - sum(rows.get(a)!) || a.localeCompare(b));
  return { times: [...times], groups, values: groups.map((g) => rows.get(g)!) };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The `n` groups with the largest total of `value`, largest first (ties by name). */
export function topGroups<B extends { group: string }>(buckets: readonly B[], value: (bucket: B) => number, n: number): Array<{ group: string; total: number }> {
  const totals = new Map<string, number>();
  for (const b of buckets) totals.set(b.group, (totals.get(b.group) ?? 0) + value(b));
  return [...totals]
    .map(([group, total]) => ({ group, total }))
    .filter((g) => g.total > 0)
    .sort((a, b) => b.total - a.total || a.group.localeCompare(b.group))
    .slice(0, n);
}

/** Case KPIs of all groups together per bucket time: intake, handled, closed, on time and the rate. */
export interface KpiDay {
  t: number;
  created: number;
  handled: number;
  closed: number;
  onTime: number;
  onTimeRate: number | null;
}

export function kpiTotals(buckets: readonly KpiSeriesBucket[], times: readonly number[]): KpiDay[] {
  const days = new Map(times.map((t) => [t, { t, created: 0, handled: 0, closed: 0, onTime: 0, onTimeRate: null as number | null }]));
  for (const b of buckets) {
    const day = days.get(b.t);
    if (!day) continue;
    day.created += b.created;
    day.handled += b.handled;
    day.closed += b.closed;
    day.onTime += b.onTime;
  }
  for (const day of days.values()) day.onTimeRate = day.closed > 0 ? day.onTime / day.closed : null;
  return [...days.values()];
}

/** Per group over the whole range: the same figures, for the per-department bars. */
export function kpiByGroup(buckets: readonly KpiSeriesBucket[]): Array<Omit<KpiDay, 't'> & { group: string }> {
  const groups = new Map<string, Omit<KpiDay, 't'> & { group: string }>();
  for (const b of buckets) {
    let g = groups.get(b.group);
    if (!g) groups.set(b.group, (g = { group: b.group, created: 0, handled: 0, closed: 0, onTime: 0, onTimeRate: null }));
    g.created += b.created;
    g.handled += b.handled;
    g.closed += b.closed;
    g.onTime += b.onTime;
  }
  for (const g of groups.values()) g.onTimeRate = g.closed > 0 ? g.onTime / g.closed : null;
  return [...groups.values()].sort((a, b) => b.created - a.created || a.group.localeCompare(b.group));
}
