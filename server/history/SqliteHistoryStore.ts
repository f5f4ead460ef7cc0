/**
 * Device history in SQLite: its own file (history.db) beside the case database, in WAL mode so
 * queries read while a batch commits. `synchronous = NORMAL`: a committed batch survives the
 * process being killed (the WAL is written before the commit returns); only a power cut may lose
 * the last commits. Raw readings and rollups are WITHOUT ROWID tables keyed (series, t), so a
 * series' range is one index range and each row is stored once.
 *
 * better-sqlite3 is synchronous, so batches are committed on a thread of their own
 * (sqliteWriterThread.ts) with its own connection: a second's batch at the ingest's top rates is
 * tens of thousands of rows, which on the event loop held up the live path. This connection
 * creates the schema and answers the queries; WAL lets it read while the thread commits.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Alarm } from '../../domain/live';
import type { AlarmHistoryBucket, AlarmHistoryGroup, AlarmHistoryStep, HistoryPoint } from '../../domain/history';
import { numbered, type SqlValue } from '../storage/rows';
import type { FieldBucket, HistoryBatch, HistoryStore, LastValue, StatusBucket } from './HistoryStore';
import * as sql from './historySql';
import type { Retention, RollupStep } from './rollup';
import { configureHistoryConnection, packBatch, SeriesKeys, SqliteHistoryWriter } from './sqliteHistoryWriter';
import { SqliteWriterThread } from './sqliteWriterThread';

const ph = (n: number): string => `?${n}`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hist_series (id INTEGER PRIMARY KEY, terminal_id TEXT NOT NULL, field TEXT NOT NULL, UNIQUE (terminal_id, field));
CREATE TABLE IF NOT EXISTS hist_raw (series INTEGER NOT NULL, t INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hist_r1m (series INTEGER NOT NULL, t INTEGER NOT NULL, count INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
  sum REAL NOT NULL, last REAL NOT NULL, last_t INTEGER NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hist_r1h (series INTEGER NOT NULL, t INTEGER NOT NULL, count INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
  sum REAL NOT NULL, last REAL NOT NULL, last_t INTEGER NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hist_alarms (id TEXT NOT NULL, raised_at INTEGER NOT NULL, cleared_at INTEGER, kind TEXT NOT NULL, grid TEXT,
  department TEXT, body TEXT NOT NULL, PRIMARY KEY (id, raised_at));
CREATE INDEX IF NOT EXISTS hist_alarms_raised ON hist_alarms (raised_at, kind, grid, department);
CREATE INDEX IF NOT EXISTS hist_alarms_cleared ON hist_alarms (cleared_at, raised_at, kind, grid, department);
${sql.ALARM_ROLLUP_SCHEMA('INTEGER')} WITHOUT ROWID;
`;

export class SqliteHistoryStore implements HistoryStore {
  readonly kind = 'sqlite' as const;
  /** The server's connection: schema, reads, size. Batches and pruning go to the writer thread. */
  private readonly db: Database.Database;
  private readonly thread: SqliteWriterThread;
  /** `writeSync`'s writer on this connection (the benchmark's), made on first use. */
  private inline: { writer: SqliteHistoryWriter; keys: SeriesKeys } | undefined;

  constructor(readonly path: string) {
    this.db = new Database(path);
    configureHistoryConnection(this.db);
    const hadAlarmRollups = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hist_alarm_r1h'").get() !== undefined;
    this.db.exec(SCHEMA);
    if (!hadAlarmRollups) this.db.exec(sql.alarmRollupBackfillSql());
    this.thread = new SqliteWriterThread(path);
  }

  /** The batch in one transaction, committed on the writer thread: the event loop only packs it. */
  write(batch: HistoryBatch): Promise<void> {
    return this.thread.write(batch);
  }

  /** The batch in one transaction on this thread (for the benchmark, which measures the engine without the thread hop). */
  writeSync(batch: HistoryBatch): void {
    this.inline ??= { writer: new SqliteHistoryWriter(this.db), keys: new SeriesKeys() };
    this.inline.writer.write(packBatch(batch, this.inline.keys));
  }

  async raw(terminalId: string, field: string, from: number, to: number, limit: number): Promise<HistoryPoint[]> {
    return this.db.prepare<[Record<number, SqlValue>], { t: number; value: number }>(sql.rawSql(ph)).all(numbered([terminalId, field, from, to, limit])).map(sql.rawPoint);
  }

  async rollup(step: RollupStep, terminalId: string, field: string, from: number, to: number): Promise<HistoryPoint[]> {
    return this.db.prepare<[Record<number, SqlValue>], sql.BucketSqlRow>(sql.rollupSql(step, ph)).all(numbered([terminalId, field, from, to])).map(sql.toPoint);
  }

  async lastValues(field: string, at: number): Promise<LastValue[]> {
    const rows = this.db.prepare<[Record<number, SqlValue>], { terminal_id: string; value: number | null }>(sql.lastValuesSql(ph)).all(numbered([field, at]));
    return rows.filter((r) => r.value !== null).map((r): LastValue => [r.terminal_id, r.value!]);
  }

  async lastPerHour(field: string, from: number, to: number): Promise<StatusBucket[]> {
    const rows = this.db.prepare<[Record<number, SqlValue>], { terminal_id: string; t: number; last: number }>(sql.lastPerHourSql(ph)).all(numbered([field, from, to]));
    return rows.map((r) => ({ terminalId: r.terminal_id, t: r.t, last: r.last }));
  }

  async fieldRollups(step: RollupStep, field: string, from: number, to: number): Promise<FieldBucket[]> {
    // Millions of rows for a city-wide day: read them as arrays, one object per bucket.
    const rows = this.db.prepare<[Record<number, SqlValue>], [string, number, number, number, number]>(sql.fieldRollupsSql(step, ph)).raw(true).iterate(numbered([field, from, to]));
    const out: FieldBucket[] = [];
    for (const [terminalId, t, count, sum, last] of rows) out.push({ terminalId, t, mean: sum / count, last });
    return out;
  }

  async alarmCounts(step: AlarmHistoryStep, groupBy: AlarmHistoryGroup, from: number, to: number): Promise<AlarmHistoryBucket[]> {
    return this.db
      .prepare<[Record<number, SqlValue>], sql.AlarmCountSqlRow>(sql.alarmCountsSql(step, ph))
      .all(numbered([groupBy, sql.hourOf(from), to]))
      .map(sql.toAlarmBucket);
  }

  async openAlarmsAt(at: number): Promise<Alarm[]> {
    return this.db.prepare<[Record<number, SqlValue>], { body: string }>(sql.openAlarmsAtSql(ph)).all(numbered([at])).map(sql.parseAlarm);
  }

  prune(now: number, retention: Retention): Promise<void> {
    return this.thread.prune(now, retention);
  }

  async sizeBytes(): Promise<number> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(this.path).size;
  }

  async close(): Promise<void> {
    await this.thread.close();
    if (this.db.open) this.db.close();
  }
}
