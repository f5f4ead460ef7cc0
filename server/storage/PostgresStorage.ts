/**
 * PostgreSQL adapter (pg): the same tables and queries as SQLite (rows.ts), for centres that run
 * a database server. Changes run in one transaction on one pooled connection; with the default
 * `synchronous_commit = on` COMMIT returns only after the WAL is flushed, so an acknowledged
 * change is durable. 64-bit integers (times, event numbers) are read as JavaScript numbers: ms
 * timestamps and sequence values stay far below 2^53.
 *
 * `withLock` is a session advisory lock on a second, small pool: a waiter holds one of its
 * connections, never one the locked work needs, and a connection that dies ends its session,
 * which releases the lock on the server.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Case, CaseEvent, CaseReport } from '../../domain/cases/case';
import type { CommandRecord } from '../../domain/commands';
import type { LampSchedule } from '../../domain/lampSchedules';
import type { Scenario } from '../../domain/scenarios';
import type { KpiRow } from '../cases/kpis';
import * as cmd from './commandRows';
import type { CommandListQuery } from './commandStorage';
import type { EmergencyPlan, EmergencyResponse } from '../../domain/emergency';
import * as emg from './emergencyRows';
import type { KpiEventRow } from '../cases/kpiSeries';
import { MIGRATIONS } from './migrations';
import { NamedMutex } from './NamedMutex';
import { pgTransaction } from './pgTransaction';
import * as shared from './rows';
import * as sc from './scenarioRows';
import { SCENARIO_FILE_PART_BYTES, type ScenarioHeartbeat, type ScenarioListQuery, type StoredScenarioFile } from './scenarioStorage';
import {
  VersionConflict,
  formatCaseId,
  type CaseFilter,
  type CaseWrite,
  type IdempotentAnswer,
  type NearQuery,
  type Storage,
  type StoredUser,
  type StoredPhoto,
} from './Storage';
import { uniqueViolationOf } from './uniqueViolation';

const ph = (n: number): string => `$${n}`;
const INT8_OID = 20;
type DataRow = { data: string };

/** Serialises migrations of several servers starting on one database at once. */
const MIGRATION_LOCK = 0x63747769;
/** Makes the queued-scenario count and the insert one step across servers. */
const SCENARIO_QUEUE_LOCK = 0x63747771;
/** Connections for advisory locks: distinct names locked at once by one process, beyond which callers wait. */
const LOCK_CONNECTIONS = 4;

/** A lock name as a signed 64-bit advisory lock key (the first 8 bytes of its SHA-256). */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/** How long a request waits for a new database connection. */
const CONNECT_TIMEOUT_MS = 5000;

export function newPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A database that does not answer fails the request (503, server/errors.ts) instead of hanging it.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

export class PostgresStorage implements Storage {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly lockPool: pg.Pool;
  private readonly locks = new NamedMutex();

  private constructor(url: string) {
    this.pool = newPool(url, 8);
    this.lockPool = newPool(url, LOCK_CONNECTIONS);
  }

  static async open(url: string): Promise<PostgresStorage> {
    const storage = new PostgresStorage(url);
    try {
      await storage.migrate();
    } catch (err) {
      await storage.close();
      throw err;
    }
    return storage;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(rows.map((r) => r.version));
      for (const [i, sql] of MIGRATIONS.postgres.entries()) {
        if (done.has(i + 1)) continue;
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [i + 1, Date.now()]);
      }
    });
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      return await pgTransaction(this.pool, fn);
    } catch (err) {
      throw uniqueViolationOf(err) ?? err;
    }
  }


  private async rows<R extends pg.QueryResultRow>(sql: string, params: shared.SqlValue[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw uniqueViolationOf(err) ?? err;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.lockPool.end()]);
  }

  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const key = advisoryLockKey(name);
    return this.locks.run(name, async () => {
      const client = await this.lockPool.connect();
      // A checked-out client that loses its server emits 'error'; the failing query reports it.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]).catch((err: Error) => (broken = err));
        client.off('error', ignore);
        // A broken connection is discarded, not pooled: its session ended and the lock with it.
        client.release(broken);
      }
    });
  }

  /** Runs raw SQL; for tests that check what the database itself refuses. */
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async countUsers(): Promise<number> {
    return Number((await this.rows<{ n: string }>('SELECT COUNT(*) AS n FROM users'))[0]!.n);
  }

  async insertUser(user: StoredUser): Promise<void> {
    await this.rows('INSERT INTO users (id, username, data) VALUES ($1, $2, $3)', shared.userValues(user));
  }

  async updateUser(user: StoredUser): Promise<void> {
    await this.rows('UPDATE users SET username = $2, data = $3 WHERE id = $1', shared.userValues(user));
  }

  async getUser(id: string): Promise<StoredUser | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM users WHERE id = $1', [id]);
    return row && shared.parseData<StoredUser>(row);
  }

  async getUserByUsername(username: string): Promise<StoredUser | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM users WHERE username = $1', [username]);
    return row && shared.parseData<StoredUser>(row);
  }

  async listUsers(): Promise<StoredUser[]> {
    return (await this.rows<DataRow>('SELECT data FROM users ORDER BY username')).map((r) => shared.parseData<StoredUser>(r));
  }

  async nextCaseId(): Promise<string> {
    const [row] = await this.rows<{ n: number }>("SELECT nextval('case_number') AS n");
    return formatCaseId(row!.n);
  }

  async commit(write: CaseWrite): Promise<CaseEvent[]> {
    return this.transaction(async (client) => {
      if (write.expectedVersion === undefined) {
        await client.query(shared.insertCaseSql(ph), shared.caseValues(write.case));
      } else {
        const result = await client.query(shared.updateCaseSql(ph), [...shared.caseValues(write.case), write.expectedVersion]);
        if (result.rowCount === 0) throw new VersionConflict(write.case.id);
      }
      for (const report of write.reports ?? []) {
        await client.query(shared.upsertReportSql(ph), shared.reportValues(report));
      }
      const events: CaseEvent[] = [];
      for (const e of write.events) {
        const { rows } = await client.query<shared.EventRow>(shared.insertEventSql(ph), shared.eventValues(e));
        events.push(shared.toEvent(rows[0]!));
      }
      if (write.idempotency) {
        const answer = write.idempotency.answer(events);
        await client.query(shared.insertIdempotencySql(ph), [write.idempotency.key, answer.statusCode, JSON.stringify(answer.body), Date.now(), write.idempotency.requestHash ?? null]);
      }
      return events;
    });
  }

  async getCase(id: string): Promise<Case | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM cases WHERE id = $1', [id]);
    return row && shared.parseData<Case>(row);
  }

  async listCases(filter: CaseFilter): Promise<{ total: number; items: Case[] }> {
    const { where, params } = shared.caseWhere(filter, ph);
    const [count] = await this.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM cases ${where}`, params);
    const n = params.length;
    const rows = await this.rows<DataRow>(
      `SELECT data FROM cases ${where} ORDER BY created_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { total: count!.n, items: rows.map((r) => shared.parseData<Case>(r)) };
  }

  async findOpenNear(query: NearQuery): Promise<Case[]> {
    const { sql, params } = shared.nearSql(query, ph);
    return (await this.rows<DataRow>(sql, params)).map((r) => shared.parseData<Case>(r));
  }

  async listDue(now: number, limit: number): Promise<Case[]> {
    return (await this.rows<DataRow>(shared.dueSql(ph), [now, limit])).map((r) => shared.parseData<Case>(r));
  }

  async kpiRows(from: number, to: number): Promise<KpiRow[]> {
    const rows = await this.rows<shared.KpiSqlRow>(`SELECT ${shared.KPI_COLUMNS} FROM cases WHERE created_at >= $1 AND created_at < $2`, [from, to]);
    return rows.map(shared.toKpiRow);
  }

  async kpiEvents(from: number, to: number): Promise<KpiEventRow[]> {
    return (await this.rows<shared.KpiEventSqlRow>(shared.kpiEventsSql(ph), [from, to])).map(shared.toKpiEventRow);
  }

  async getReports(caseId: string): Promise<CaseReport[]> {
    const rows = await this.rows<DataRow>('SELECT data FROM reports WHERE case_id = $1 ORDER BY reported_at, id', [caseId]);
    return rows.map((r) => shared.parseData<CaseReport>(r));
  }

  async getReportByTrackingCode(code: string): Promise<CaseReport | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM reports WHERE tracking_code = $1', [code]);
    return row && shared.parseData<CaseReport>(row);
  }

  async getReportByAlarmId(alarmId: string): Promise<CaseReport | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM reports WHERE alarm_id = $1', [alarmId]);
    return row && shared.parseData<CaseReport>(row);
  }

  async getEvents(caseId: string): Promise<CaseEvent[]> {
    return (await this.rows<shared.EventRow>('SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId])).map(shared.toEvent);
  }

  async getIdempotent(key: string): Promise<IdempotentAnswer | undefined> {
    const [row] = await this.rows<shared.IdempotencyRow>('SELECT status_code, body, request_hash FROM idempotency WHERE key = $1', [key]);
    return row && shared.toIdempotentAnswer(row);
  }

  async pruneIdempotent(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM idempotency WHERE created_at < $1', [before])).rowCount ?? 0;
  }

  async saveCommands(records: readonly CommandRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.transaction(async (client) => {
      for (const r of records) await client.query(cmd.upsertCommandSql(ph), cmd.commandValues(r));
    });
  }

  async getCommand(id: string): Promise<CommandRecord | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM commands WHERE id = $1', [id]);
    return row && shared.parseData<CommandRecord>(row);
  }

  async listCommands(query: CommandListQuery): Promise<CommandRecord[]> {
    const { sql, params } = cmd.listCommandsSql(query, ph);
    return (await this.rows<DataRow>(sql, params)).map((row) => shared.parseData<CommandRecord>(row));
  }

  async saveLampSchedule(schedule: LampSchedule): Promise<void> {
    await this.rows(cmd.upsertScheduleSql(ph), cmd.scheduleValues(schedule));
  }

  async listLampSchedules(): Promise<LampSchedule[]> {
    return (await this.rows<DataRow>('SELECT data FROM lamp_schedules ORDER BY id')).map((row) => shared.parseData<LampSchedule>(row));
  }

  async deleteLampSchedule(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM lamp_schedules WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }
  async saveEmergencyPlan(plan: EmergencyPlan): Promise<void> {
    await this.rows(emg.upsertPlanSql(ph), emg.planValues(plan));
  }

  async listEmergencyPlans(): Promise<EmergencyPlan[]> {
    return (await this.rows<DataRow>('SELECT data FROM emergency_plans ORDER BY id')).map((row) => shared.parseData<EmergencyPlan>(row));
  }

  async deleteEmergencyPlan(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM emergency_plans WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async saveEmergencyResponse(response: EmergencyResponse): Promise<void> {
    await this.rows(emg.upsertResponseSql(ph), emg.responseValues(response));
  }

  async getEmergencyResponse(id: string): Promise<EmergencyResponse | undefined> {
    const [row] = await this.rows<DataRow>('SELECT data FROM emergency_responses WHERE id = $1', [id]);
    return row && shared.parseData<EmergencyResponse>(row);
  }

  async listEmergencyResponses(limit: number): Promise<EmergencyResponse[]> {
    return (await this.rows<DataRow>('SELECT data FROM emergency_responses ORDER BY created_at DESC, id DESC LIMIT $1', [limit])).map((row) => shared.parseData<EmergencyResponse>(row));
  }


  async insertPhoto(photo: StoredPhoto): Promise<void> {
    await this.rows('INSERT INTO photos (id, type, bytes) VALUES ($1, $2, $3)', [photo.id, photo.type, photo.bytes]);
  }

  async getPhoto(id: string): Promise<StoredPhoto | undefined> {
    const [row] = await this.rows<{ id: string; type: StoredPhoto['type']; bytes: Buffer }>('SELECT id, type, bytes FROM photos WHERE id = $1', [id]);
    return row;
  }

  async insertScenario(scenario: Scenario, maxQueued: number): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCENARIO_QUEUE_LOCK]);
      const { rows } = await client.query<{ n: number }>(sc.QUEUED_COUNT_SQL);
      if (rows[0]!.n >= maxQueued) return false;
      await client.query(sc.insertScenarioSql(ph), sc.insertScenarioValues(scenario));
      return true;
    });
  }

  async updateScenario(scenario: Scenario, claimedBy?: string): Promise<boolean> {
    const result = await this.pool.query(sc.updateScenarioSql(ph, claimedBy !== undefined), sc.updateScenarioValues(scenario, claimedBy));
    return (result.rowCount ?? 0) > 0;
  }

  async getScenario(id: string): Promise<Scenario | undefined> {
    const [row] = await this.rows<sc.ScenarioRow>('SELECT * FROM scenarios WHERE id = $1', [id]);
    return row && sc.toScenario(row);
  }

  async listScenarios(query: ScenarioListQuery): Promise<Scenario[]> {
    const params = query.kind === undefined ? [query.limit] : [query.limit, query.kind];
    return (await this.rows<sc.ScenarioRow>(sc.listScenariosSql(ph, query.kind !== undefined), params)).map(sc.toScenario);
  }

  async deleteScenario(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM scenarios WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async claimNextScenario(instanceId: string, now: number, kinds: readonly string[]): Promise<Scenario | undefined> {
    if (kinds.length === 0) return undefined;
    const [row] = await this.rows<sc.ScenarioRow>(sc.claimScenarioSql(ph, kinds.length, ' FOR UPDATE SKIP LOCKED'), [instanceId, now, ...kinds]);
    return row && sc.toScenario(row);
  }

  async heartbeatScenario(id: string, instanceId: string, now: number, progress: number, message?: string): Promise<ScenarioHeartbeat | undefined> {
    const [row] = await this.rows<{ cancel_requested: number }>(sc.heartbeatSql(ph), [id, instanceId, now, progress, message ?? null]);
    return row && { cancelRequested: row.cancel_requested === 1 };
  }

  async requestScenarioCancel(id: string, now: number): Promise<Scenario | undefined> {
    await this.pool.query(sc.cancelQueuedSql(ph), [id, now]);
    await this.pool.query(sc.cancelFlagSql(ph), [id]);
    return this.getScenario(id);
  }

  async expireScenarios(staleBefore: number, now: number): Promise<Scenario[]> {
    const rows = await this.transaction(async (client) => {
      const expired = (await client.query<sc.ScenarioRow>(sc.expireScenariosSql(ph), [staleBefore, now])).rows;
      if (expired.length) await client.query('DELETE FROM scenario_files WHERE scenario_id = ANY($1)', [expired.map((r) => r.id)]);
      return expired;
    });
    return rows.map(sc.toScenario);
  }

  async putScenarioFile(id: string, name: string, parts: AsyncIterable<Uint8Array>): Promise<number> {
    await this.pool.query('DELETE FROM scenario_files WHERE scenario_id = $1 AND name = $2', [id, name]);
    return sc.storeParts(parts, SCENARIO_FILE_PART_BYTES, async (part, bytes) => {
      await this.pool.query(sc.insertFilePartSql(ph), [id, name, part, bytes]);
    });
  }

  async getScenarioFile(id: string, name: string): Promise<StoredScenarioFile | undefined> {
    const [stat] = await this.rows<{ parts: number; size: string | number | null }>(sc.fileSizeSql(ph), [id, name]);
    if (!stat || stat.parts === 0) return undefined;
    const read = async (part: number): Promise<Buffer | undefined> =>
      (await this.rows<{ bytes: Buffer }>(sc.filePartSql(ph), [id, name, part]))[0]?.bytes;
    return { size: Number(stat.size ?? 0), parts: sc.readParts(`${id}/${name}`, stat.parts, read) };
  }

  async deleteScenarioFiles(id: string): Promise<void> {
    await this.pool.query('DELETE FROM scenario_files WHERE scenario_id = $1', [id]);
  }
}
