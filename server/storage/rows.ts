/**
 * Row mapping and query building shared by the SQLite and PostgreSQL adapters: the two differ
 * only in placeholders (`?` vs `$n`) and in how they run statements.
 */
import type { Case, CaseEvent, CaseReport } from '../../domain/cases/case';
import { CATEGORY_BY_ID } from '../../domain/cases/categories';
import { OPEN_STATUSES } from '../../domain/cases/stages';
import type { KpiRow } from '../cases/kpis';
import type { KpiEventRow } from '../cases/kpiSeries';
import type { CaseFilter, IdempotentAnswer, NearQuery, NewEvent, StoredUser } from './Storage';

/** Blobs (scenario result parts) bind as Buffers in both drivers. */
export type SqlValue = string | number | null | Buffer;

/** SQLite's numbered parameters (`?1`) from a list, so the shared SQL can name a parameter out of order. */
export function numbered(params: readonly SqlValue[]): Record<number, SqlValue> {
  const bound: Record<number, SqlValue> = {};
  params.forEach((v, i) => (bound[i + 1] = v));
  return bound;
}

/** Placeholder for the n-th parameter (1-based). */
export type Placeholder = (n: number) => string;

export const CASE_COLUMNS = [
  'id', 'status', 'kind', 'category_id', 'department_id', 'grid_code', 'source', 'urgency', 'overdue', 'escalation', 'due_at',
  'created_at', 'lon', 'lat', 'component_code', 'dispatched', 'handled_late', 'reopen_count', 'rating', 'search', 'version', 'data',
] as const;

const flag = (b: boolean | undefined): number | null => (b === undefined ? null : b ? 1 : 0);

export function caseValues(c: Case): SqlValue[] {
  const category = CATEGORY_BY_ID.get(c.categoryId);
  // Lower-cased text the `q` filter searches: id, category names, component code, description.
  const search = [c.id, c.categoryId, category?.zh, category?.en, c.componentCode, c.description].filter(Boolean).join(' ').toLowerCase();
  return [
    c.id, c.status, c.kind, c.categoryId, c.departmentId ?? null, c.gridCode ?? null, c.source, c.urgency, flag(c.overdue), c.escalation,
    c.dueAt ?? null, c.createdAt, c.lon, c.lat, c.componentCode ?? null, flag(c.dispatchedAt !== undefined), flag(c.handledLate),
    c.reopenCount, c.rating ?? null, search, c.version, JSON.stringify(c),
  ];
}

/** `INSERT INTO cases (…) VALUES (…)`. */
export function insertCaseSql(ph: Placeholder): string {
  return `INSERT INTO cases (${CASE_COLUMNS.join(', ')}) VALUES (${list(CASE_COLUMNS.length, ph)})`;
}

/** `UPDATE cases SET … WHERE id = … AND version = …`; parameters: caseValues then the expected version. */
export function updateCaseSql(ph: Placeholder): string {
  const sets = CASE_COLUMNS.slice(1).map((col, i) => `${col} = ${ph(i + 2)}`);
  return `UPDATE cases SET ${sets.join(', ')} WHERE id = ${ph(1)} AND version = ${ph(CASE_COLUMNS.length + 1)}`;
}

export function reportValues(r: CaseReport): SqlValue[] {
  return [r.id, r.caseId, r.trackingCode ?? null, r.alarmId ?? null, r.reportedAt, JSON.stringify(r)];
}

export function eventValues(e: NewEvent): SqlValue[] {
  return [e.caseId, e.at, JSON.stringify(e.actor), e.action, e.from ?? null, e.to, e.note ?? null, e.data ? JSON.stringify(e.data) : null];
}

const list = (n: number, ph: Placeholder): string => Array.from({ length: n }, (_, i) => ph(i + 1)).join(', ');

/** Inserts a report, or replaces the data of the one with the same id. */
export function upsertReportSql(ph: Placeholder): string {
  return `INSERT INTO reports (id, case_id, tracking_code, alarm_id, reported_at, data) VALUES (${list(6, ph)})
    ON CONFLICT (id) DO UPDATE SET data = excluded.data`;
}

export function insertEventSql(ph: Placeholder): string {
  return `INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, data) VALUES (${list(8, ph)}) RETURNING *`;
}

export function insertIdempotencySql(ph: Placeholder): string {
  return `INSERT INTO idempotency (key, status_code, body, created_at, request_hash) VALUES (${list(5, ph)})`;
}

export interface IdempotencyRow {
  status_code: number;
  body: string;
  request_hash: string | null;
}

/** A stored idempotent answer as the storage interface gives it. */
export function toIdempotentAnswer(row: IdempotencyRow): IdempotentAnswer {
  return { statusCode: row.status_code, body: JSON.parse(row.body) as unknown, ...(row.request_hash ? { requestHash: row.request_hash } : {}) };
}

export interface EventRow {
  seq: number | string;
  case_id: string;
  at: number | string;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
  data: string | null;
}

export function toEvent(row: EventRow): CaseEvent {
  const event: CaseEvent = {
    seq: Number(row.seq),
    caseId: row.case_id,
    at: Number(row.at),
    actor: JSON.parse(row.actor) as CaseEvent['actor'],
    action: row.action as CaseEvent['action'],
    to: row.to_status as CaseEvent['to'],
  };
  if (row.from_status !== null) event.from = row.from_status as CaseEvent['from'];
  if (row.note !== null) event.note = row.note;
  if (row.data !== null) event.data = JSON.parse(row.data) as CaseEvent['data'];
  return event;
}

export const parseData = <T>(row: { data: string }): T => JSON.parse(row.data) as T;

export function userValues(u: StoredUser): SqlValue[] {
  return [u.id, u.username, JSON.stringify(u)];
}

export interface KpiSqlRow {
  status: string;
  department_id: string | null;
  grid_code: string | null;
  dispatched: number;
  handled_late: number | null;
  reopen_count: number;
  rating: number | null;
  overdue: number;
}

export const KPI_COLUMNS = 'status, department_id, grid_code, dispatched, handled_late, reopen_count, rating, overdue';

export function toKpiRow(r: KpiSqlRow): KpiRow {
  const row: KpiRow = { status: r.status as KpiRow['status'], dispatched: r.dispatched === 1, reopenCount: r.reopen_count, overdue: r.overdue === 1 };
  if (r.department_id !== null) row.departmentId = r.department_id;
  if (r.grid_code !== null) row.gridCode = r.grid_code;
  if (r.handled_late !== null) row.handledLate = r.handled_late === 1;
  if (r.rating !== null) row.rating = Number(r.rating);
  return row;
}

/** Cases created in [$1, $2) and events reaching handled or closed in the same window, with the case's keys. */
export const kpiEventsSql = (ph: Placeholder): string =>
  `SELECT created_at AS at, 'created' AS what, department_id, grid_code, handled_late FROM cases WHERE created_at >= ${ph(1)} AND created_at < ${ph(2)}
   UNION ALL
   SELECT e.at, e.to_status AS what, c.department_id, c.grid_code, c.handled_late FROM case_events e JOIN cases c ON c.id = e.case_id
   WHERE e.at >= ${ph(1)} AND e.at < ${ph(2)} AND e.to_status IN ('handled', 'closed')`;

export interface KpiEventSqlRow {
  at: number;
  what: string;
  department_id: string | null;
  grid_code: string | null;
  handled_late: number | null;
}

export function toKpiEventRow(r: KpiEventSqlRow): KpiEventRow {
  const row: KpiEventRow = { at: Number(r.at), what: r.what as KpiEventRow['what'] };
  if (r.department_id !== null) row.departmentId = r.department_id;
  if (r.grid_code !== null) row.gridCode = r.grid_code;
  if (r.handled_late !== null) row.handledLate = r.handled_late === 1;
  return row;
}

/** WHERE clause and parameters for a case list filter. */
export function caseWhere(f: CaseFilter, ph: Placeholder): { where: string; params: SqlValue[] } {
  const conds: string[] = [];
  const params: SqlValue[] = [];
  const eq = (col: string, v: string | number | undefined): void => {
    if (v === undefined) return;
    params.push(v);
    conds.push(`${col} = ${ph(params.length)}`);
  };
  eq('status', f.status);
  eq('kind', f.kind);
  eq('category_id', f.categoryId);
  eq('department_id', f.departmentId);
  eq('source', f.source);
  eq('urgency', f.urgency);
  if (f.overdue !== undefined) eq('overdue', f.overdue ? 1 : 0);
  if (f.gridCode !== undefined) {
    // A shorter code selects a whole street or community.
    params.push(`${escapeLike(f.gridCode)}%`);
    conds.push(`grid_code LIKE ${ph(params.length)} ESCAPE '\\'`);
  }
  if (f.statuses !== undefined) {
    const list = f.statuses.map((s) => {
      params.push(s);
      return ph(params.length);
    });
    conds.push(list.length ? `status IN (${list.join(', ')})` : '1 = 0');
  }
  for (const word of (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
    params.push(`%${escapeLike(word)}%`);
    conds.push(`search LIKE ${ph(params.length)} ESCAPE '\\'`);
  }
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
/** Statuses whose deadline the supervisor watches (open and not suspended). */
const WATCHED_LIST = OPEN_STATUSES.filter((s) => s !== 'suspended').map((s) => `'${s}'`).join(', ');

export function nearSql(q: NearQuery, ph: Placeholder): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [q.categoryId, q.since, q.south, q.north, q.west, q.east];
  let place = `(lat BETWEEN ${ph(3)} AND ${ph(4)} AND lon BETWEEN ${ph(5)} AND ${ph(6)})`;
  if (q.componentCode !== undefined) {
    params.push(q.componentCode);
    place = `(${place} OR component_code = ${ph(7)})`;
  }
  return {
    sql: `SELECT data FROM cases WHERE category_id = ${ph(1)} AND created_at >= ${ph(2)} AND status IN (${OPEN_LIST}) AND ${place}`,
    params,
  };
}

export function dueSql(ph: Placeholder): string {
  return `SELECT data FROM cases WHERE due_at <= ${ph(1)} AND escalation < 2 AND status IN (${WATCHED_LIST}) ORDER BY due_at LIMIT ${ph(2)}`;
}
