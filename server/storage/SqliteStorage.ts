/**
 * The embedded default: one SQLite file (better-sqlite3) in the data folder.
 *
 * Journal WAL with synchronous=FULL: every commit is fsynced to the WAL before `commit` returns,
 * so an acknowledged change survives a process kill and a power cut. (NORMAL would survive a
 * process kill but could lose the last commits on power loss — not acceptable for a success
 * answer that promised "stored".) better-sqlite3 is synchronous, so one transaction runs at a
 * time and the async interface only wraps it. One server process uses a file, so `withLock` is
 * an in-process queue per name.
 */
import Database from 'better-sqlite3';
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

/** SQLite's numbered parameters (`?1`), so the shared SQL can name a parameter out of order. */
const ph = (n: number): string => `?${n}`;
type DataRow = { data: string };
const { numbered } = shared;

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly locks = new NamedMutex();

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Wait for a lock instead of failing when a second process (a CLI tool) holds it briefly.
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const done = new Set((this.all('SELECT version FROM schema_migrations', []) as Array<{ version: number }>).map((r) => r.version));
    MIGRATIONS.sqlite.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)', [version, Date.now()]);
      }).immediate();
    });
  }

  /** better-sqlite3 binds numbered parameters (`?1`) from an object keyed by number. */
  private run(sql: string, params: readonly shared.SqlValue[]): Database.RunResult {
    return this.db.prepare(sql).run(numbered(params));
  }

  private get(sql: string, params: readonly shared.SqlValue[]): unknown {
    return this.db.prepare(sql).get(numbered(params));
  }

  private all(sql: string, params: readonly shared.SqlValue[]): unknown[] {
    return this.db.prepare(sql).all(numbered(params));
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Runs raw SQL; for tests that check what the database itself refuses. */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(name, fn);
  }

  async countUsers(): Promise<number> {
    return (this.get('SELECT COUNT(*) AS n FROM users', []) as { n: number }).n;
  }

  async insertUser(user: StoredUser): Promise<void> {
    try {
      this.run('INSERT INTO users (id, username, data) VALUES (?1, ?2, ?3)', shared.userValues(user));
    } catch (err) {
      throw uniqueViolationOf(err) ?? err;
    }
  }

  async updateUser(user: StoredUser): Promise<void> {
    const [id, username, data] = shared.userValues(user);
    try {
      this.run('UPDATE users SET username = ?1, data = ?2 WHERE id = ?3', [username, data, id]);
    } catch (err) {
      throw uniqueViolationOf(err) ?? err;
    }
  }

  async getUser(id: string): Promise<StoredUser | undefined> {
    const row = this.get('SELECT data FROM users WHERE id = ?1', [id]) as DataRow | undefined;
    return row && shared.parseData<StoredUser>(row);
  }

  async getUserByUsername(username: string): Promise<StoredUser | undefined> {
    const row = this.get('SELECT data FROM users WHERE username = ?1', [username]) as DataRow | undefined;
    return row && shared.parseData<StoredUser>(row);
  }

  async listUsers(): Promise<StoredUser[]> {
    return (this.all('SELECT data FROM users ORDER BY username', []) as DataRow[]).map((r) => shared.parseData<StoredUser>(r));
  }

  async nextCaseId(): Promise<string> {
    const row = this.get("UPDATE counters SET value = value + 1 WHERE name = 'case' RETURNING value", []) as { value: number };
    return formatCaseId(row.value);
  }

  async commit(write: CaseWrite): Promise<CaseEvent[]> {
    const run = this.db.transaction((): CaseEvent[] => {
      if (write.expectedVersion === undefined) {
        this.run(shared.insertCaseSql(ph), shared.caseValues(write.case));
      } else {
        const result = this.run(shared.updateCaseSql(ph), [...shared.caseValues(write.case), write.expectedVersion]);
        if (result.changes === 0) throw new VersionConflict(write.case.id);
      }
      for (const report of write.reports ?? []) {
        this.run(shared.upsertReportSql(ph), shared.reportValues(report));
      }
      const events = write.events.map((e) => shared.toEvent(this.get(shared.insertEventSql(ph), shared.eventValues(e)) as shared.EventRow));
      if (write.idempotency) {
        const answer = write.idempotency.answer(events);
        this.run(shared.insertIdempotencySql(ph), [write.idempotency.key, answer.statusCode, JSON.stringify(answer.body), Date.now(), write.idempotency.requestHash ?? null]);
      }
      return events;
    });
    try {
      return run.immediate();
    } catch (err) {
      throw uniqueViolationOf(err) ?? err;
    }
  }

  async getCase(id: string): Promise<Case | undefined> {
    const row = this.get('SELECT data FROM cases WHERE id = ?1', [id]) as DataRow | undefined;
    return row && shared.parseData<Case>(row);
  }

  async listCases(filter: CaseFilter): Promise<{ total: number; items: Case[] }> {
    const { where, params } = shared.caseWhere(filter, ph);
    const total = (this.get(`SELECT COUNT(*) AS n FROM cases ${where}`, params) as { n: number }).n;
    const n = params.length;
    const page = `SELECT data FROM cases ${where} ORDER BY created_at DESC, id DESC LIMIT ?${n + 1} OFFSET ?${n + 2}`;
    const rows = this.all(page, [...params, filter.limit, filter.offset]) as DataRow[];
    return { total, items: rows.map((r) => shared.parseData<Case>(r)) };
  }

  async findOpenNear(query: NearQuery): Promise<Case[]> {
    const { sql, params } = shared.nearSql(query, ph);
    return (this.all(sql, params) as DataRow[]).map((r) => shared.parseData<Case>(r));
  }

  async listDue(now: number, limit: number): Promise<Case[]> {
    return (this.all(shared.dueSql(ph), [now, limit]) as DataRow[]).map((r) => shared.parseData<Case>(r));
  }

  async kpiRows(from: number, to: number): Promise<KpiRow[]> {
    const rows = this.all(`SELECT ${shared.KPI_COLUMNS} FROM cases WHERE created_at >= ?1 AND created_at < ?2`, [from, to]) as shared.KpiSqlRow[];
    return rows.map(shared.toKpiRow);
  }

  async kpiEvents(from: number, to: number): Promise<KpiEventRow[]> {
    return (this.all(shared.kpiEventsSql(ph), [from, to]) as shared.KpiEventSqlRow[]).map(shared.toKpiEventRow);
  }

  async getReports(caseId: string): Promise<CaseReport[]> {
    const rows = this.all('SELECT data FROM reports WHERE case_id = ?1 ORDER BY reported_at, id', [caseId]) as DataRow[];
    return rows.map((r) => shared.parseData<CaseReport>(r));
  }

  async getReportByTrackingCode(code: string): Promise<CaseReport | undefined> {
    const row = this.get('SELECT data FROM reports WHERE tracking_code = ?1', [code]) as DataRow | undefined;
    return row && shared.parseData<CaseReport>(row);
  }

  async getReportByAlarmId(alarmId: string): Promise<CaseReport | undefined> {
    const row = this.get('SELECT data FROM reports WHERE alarm_id = ?1', [alarmId]) as DataRow | undefined;
    return row && shared.parseData<CaseReport>(row);
  }

  async getEvents(caseId: string): Promise<CaseEvent[]> {
    return (this.all('SELECT * FROM case_events WHERE case_id = ?1 ORDER BY seq', [caseId]) as shared.EventRow[]).map(shared.toEvent);
  }

  async getIdempotent(key: string): Promise<IdempotentAnswer | undefined> {
    const row = this.get('SELECT status_code, body, request_hash FROM idempotency WHERE key = ?1', [key]) as shared.IdempotencyRow | undefined;
    return row && shared.toIdempotentAnswer(row);
  }

  async pruneIdempotent(before: number): Promise<number> {
    return this.run('DELETE FROM idempotency WHERE created_at < ?1', [before]).changes;
  }

  async saveCommands(records: readonly CommandRecord[]): Promise<void> {
    const upsert = this.db.prepare(cmd.upsertCommandSql(ph));
    this.db.transaction(() => {
      for (const r of records) upsert.run(numbered(cmd.commandValues(r)));
    }).immediate();
  }

  async getCommand(id: string): Promise<CommandRecord | undefined> {
    const row = this.get('SELECT data FROM commands WHERE id = ?1', [id]) as DataRow | undefined;
    return row && shared.parseData<CommandRecord>(row);
  }

  async listCommands(query: CommandListQuery): Promise<CommandRecord[]> {
    const { sql, params } = cmd.listCommandsSql(query, ph);
    return (this.all(sql, params) as DataRow[]).map((row) => shared.parseData<CommandRecord>(row));
  }

  async saveLampSchedule(schedule: LampSchedule): Promise<void> {
    this.run(cmd.upsertScheduleSql(ph), cmd.scheduleValues(schedule));
  }

  async listLampSchedules(): Promise<LampSchedule[]> {
    return (this.all('SELECT data FROM lamp_schedules ORDER BY id', []) as DataRow[]).map((row) => shared.parseData<LampSchedule>(row));
  }

  async deleteLampSchedule(id: string): Promise<boolean> {
    return this.run('DELETE FROM lamp_schedules WHERE id = ?1', [id]).changes > 0;
  }
  async saveEmergencyPlan(plan: EmergencyPlan): Promise<void> {
    this.run(emg.upsertPlanSql(ph), emg.planValues(plan));
  }

  async listEmergencyPlans(): Promise<EmergencyPlan[]> {
    return (this.all('SELECT data FROM emergency_plans ORDER BY id', []) as DataRow[]).map((row) => shared.parseData<EmergencyPlan>(row));
  }

  async deleteEmergencyPlan(id: string): Promise<boolean> {
    return this.run('DELETE FROM emergency_plans WHERE id = ?1', [id]).changes > 0;
  }

  async saveEmergencyResponse(response: EmergencyResponse): Promise<void> {
    this.run(emg.upsertResponseSql(ph), emg.responseValues(response));
  }

  async getEmergencyResponse(id: string): Promise<EmergencyResponse | undefined> {
    const row = this.get('SELECT data FROM emergency_responses WHERE id = ?1', [id]) as DataRow | undefined;
    return row && shared.parseData<EmergencyResponse>(row);
  }

  async listEmergencyResponses(limit: number): Promise<EmergencyResponse[]> {
    return (this.all('SELECT data FROM emergency_responses ORDER BY created_at DESC, id DESC LIMIT ?1', [limit]) as DataRow[]).map((row) => shared.parseData<EmergencyResponse>(row));
  }


  async insertPhoto(photo: StoredPhoto): Promise<void> {
    this.run('INSERT INTO photos (id, type, bytes) VALUES (?1, ?2, ?3)', [photo.id, photo.type, photo.bytes]);
  }

  async getPhoto(id: string): Promise<StoredPhoto | undefined> {
    return this.get('SELECT id, type, bytes FROM photos WHERE id = ?1', [id]) as StoredPhoto | undefined;
  }

  async insertScenario(scenario: Scenario, maxQueued: number): Promise<boolean> {
    const insert = this.db.transaction((): boolean => {
      if ((this.get(sc.QUEUED_COUNT_SQL, []) as { n: number }).n >= maxQueued) return false;
      this.run(sc.insertScenarioSql(ph), sc.insertScenarioValues(scenario));
      return true;
    });
    return insert.immediate();
  }

  async updateScenario(scenario: Scenario, claimedBy?: string): Promise<boolean> {
    return this.run(sc.updateScenarioSql(ph, claimedBy !== undefined), sc.updateScenarioValues(scenario, claimedBy)).changes > 0;
  }

  async getScenario(id: string): Promise<Scenario | undefined> {
    const row = this.get('SELECT * FROM scenarios WHERE id = ?1', [id]) as sc.ScenarioRow | undefined;
    return row && sc.toScenario(row);
  }

  async listScenarios(query: ScenarioListQuery): Promise<Scenario[]> {
    const params = query.kind === undefined ? [query.limit] : [query.limit, query.kind];
    return (this.all(sc.listScenariosSql(ph, query.kind !== undefined), params) as sc.ScenarioRow[]).map(sc.toScenario);
  }

  async deleteScenario(id: string): Promise<boolean> {
    return this.run('DELETE FROM scenarios WHERE id = ?1', [id]).changes > 0;
  }

  async claimNextScenario(instanceId: string, now: number, kinds: readonly string[]): Promise<Scenario | undefined> {
    if (kinds.length === 0) return undefined;
    // One statement is one write transaction: no second claimer sees the row still queued.
    const row = this.get(sc.claimScenarioSql(ph, kinds.length, ''), [instanceId, now, ...kinds]) as sc.ScenarioRow | undefined;
    return row && sc.toScenario(row);
  }

  async heartbeatScenario(id: string, instanceId: string, now: number, progress: number, message?: string): Promise<ScenarioHeartbeat | undefined> {
    const row = this.get(sc.heartbeatSql(ph), [id, instanceId, now, progress, message ?? null]) as { cancel_requested: number } | undefined;
    return row && { cancelRequested: row.cancel_requested === 1 };
  }

  async requestScenarioCancel(id: string, now: number): Promise<Scenario | undefined> {
    this.run(sc.cancelQueuedSql(ph), [id, now]);
    this.run(sc.cancelFlagSql(ph), [id]);
    return this.getScenario(id);
  }

  async expireScenarios(staleBefore: number, now: number): Promise<Scenario[]> {
    const expire = this.db.transaction((): sc.ScenarioRow[] => {
      const rows = this.all(sc.expireScenariosSql(ph), [staleBefore, now]) as sc.ScenarioRow[];
      for (const row of rows) this.run('DELETE FROM scenario_files WHERE scenario_id = ?1', [row.id]);
      return rows;
    });
    return expire.immediate().map(sc.toScenario);
  }

  async putScenarioFile(id: string, name: string, parts: AsyncIterable<Uint8Array>): Promise<number> {
    this.run('DELETE FROM scenario_files WHERE scenario_id = ?1 AND name = ?2', [id, name]);
    return sc.storeParts(parts, SCENARIO_FILE_PART_BYTES, async (part, bytes) => {
      this.run(sc.insertFilePartSql(ph), [id, name, part, bytes]);
    });
  }

  async getScenarioFile(id: string, name: string): Promise<StoredScenarioFile | undefined> {
    const { parts, size } = this.get(sc.fileSizeSql(ph), [id, name]) as { parts: number; size: number | null };
    if (parts === 0) return undefined;
    const read = async (part: number): Promise<Buffer | undefined> => (this.get(sc.filePartSql(ph), [id, name, part]) as { bytes: Buffer } | undefined)?.bytes;
    return { size: size ?? 0, parts: sc.readParts(`${id}/${name}`, parts, read) };
  }

  async deleteScenarioFiles(id: string): Promise<void> {
    this.run('DELETE FROM scenario_files WHERE scenario_id = ?1', [id]);
  }
}
