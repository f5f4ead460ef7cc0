/** The command and lamp-schedule SQL shared by the SQLite and PostgreSQL adapters (commandStorage.ts). */
import type { CommandRecord } from '../../domain/commands';
import type { LampSchedule } from '../../domain/lampSchedules';
import type { CommandListQuery } from './commandStorage';
import type { Placeholder, SqlValue } from './rows';

export function upsertCommandSql(ph: Placeholder): string {
  return `INSERT INTO commands (id, terminal_id, status, group_id, issued_by, created_at, updated_at, data)
    VALUES (${[1, 2, 3, 4, 5, 6, 7, 8].map(ph).join(', ')})
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, data = excluded.data`;
}

export function commandValues(r: CommandRecord): SqlValue[] {
  return [r.id, r.terminalId, r.status, r.groupId ?? null, r.issuedBy.userId, r.createdAt, r.updatedAt, JSON.stringify(r)];
}

export function listCommandsSql(query: CommandListQuery, ph: Placeholder): { sql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: (p: string) => string, value: SqlValue): void => {
    params.push(value);
    where.push(clause(ph(params.length)));
  };
  if (query.terminalId !== undefined) add((p) => `terminal_id = ${p}`, query.terminalId);
  if (query.status !== undefined) add((p) => `status = ${p}`, query.status);
  if (query.from !== undefined) add((p) => `created_at >= ${p}`, query.from);
  if (query.to !== undefined) add((p) => `created_at < ${p}`, query.to);
  params.push(query.limit);
  const sql = `SELECT data FROM commands ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${ph(params.length)}`;
  return { sql, params };
}

export function upsertScheduleSql(ph: Placeholder): string {
  return `INSERT INTO lamp_schedules (id, updated_at, data) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)})
    ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`;
}

export function scheduleValues(s: LampSchedule): SqlValue[] {
  return [s.id, s.updatedAt, JSON.stringify(s)];
}
