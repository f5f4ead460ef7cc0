/**
 * Device history in SQLite: its own file (history.db) beside the case database, in WAL mode so
 * queries read while a batch commits. `synchronous = NORMAL`: a committed batch survives the
 * process being killed (the WAL is written before the commit returns); only a power cut may lose
 * the last commits. Raw readings and rollups are WITHOUT ROWID tables keyed (series, t), so a
 * series' range is one index range and each row is stored once.
 *
 * better-sqlite3 is synchronous: a batch of a second (a few thousand rows) commits in
 * milliseconds, on the event loop but off the message path (the recorder only queues).
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Alarm } from '../../domain/live';
import type { AlarmHistoryBucket, AlarmHistoryGroup, AlarmHistoryStep, HistoryPoint } from '../../domain/history';
import type { SqlValue } from '../storage/rows';
import type { FieldBucket, HistoryBatch, HistoryStore, LastValue, StatusBucket } from './HistoryStore';
import { numbered } from '../storage/SqliteStorage';
import * as sql from './historySql';
import { ROLLUP_STEPS, type Retention, type RollupStep } from './rollup';

const ph = (n: number): string => `?${n}`;
/** Statements run between two turns of the event loop while a batch is written. */
const CHUNK_ROWS = 500;

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

/** Merges a partial bucket into the stored one (rollup.ts mergeBucket, in SQL). */
const upsertRollup = (table: string): string =>
  `INSERT INTO ${table} (series, t, count, min, max, sum, last, last_t) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (series, t) DO UPDATE SET count = count + excluded.count, min = MIN(min, excluded.min), max = MAX(max, excluded.max),
   sum = sum + excluded.sum, last = CASE WHEN excluded.last_t >= last_t THEN excluded.last ELSE last END, last_t = MAX(last_t, excluded.last_t)`;

export class SqliteHistoryStore implements HistoryStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly seriesIds = new Map<string, number>();
  private readonly stmt;

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache: a second's batch touches a page of every series' raw and rollup trees.
    this.db.pragma('cache_size = -65536');
    const hadAlarmRollups = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hist_alarm_r1h'").get() !== undefined;
    this.db.exec(SCHEMA);
    if (!hadAlarmRollups) this.db.exec(sql.alarmRollupBackfillSql());
    this.stmt = {
      findSeries: this.db.prepare<[string, string], { id: number }>('SELECT id FROM hist_series WHERE terminal_id = ? AND field = ?'),
      addSeries: this.db.prepare<[string, string]>('INSERT INTO hist_series (terminal_id, field) VALUES (?, ?)'),
      raw: this.db.prepare<[number, number, number]>('INSERT OR REPLACE INTO hist_raw (series, t, value) VALUES (?, ?, ?)'),
      rollup: { '1m': this.db.prepare(upsertRollup('hist_r1m')), '1h': this.db.prepare(upsertRollup('hist_r1h')) },
      openAlarm: this.db.prepare(
        'INSERT INTO hist_alarms (id, raised_at, cleared_at, kind, grid, department, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, raised_at) DO NOTHING',
      ),
      closeAlarm: this.db.prepare<[Record<number, SqlValue>], sql.ClosedAlarmRow>(sql.closeAlarmSql(ph)),
      alarmRollup: this.db.prepare<[Record<number, SqlValue>]>(sql.upsertAlarmRollupSql(ph)),
    };
  }

  /** The id of a series, created on first sight. */
  private series(terminalId: string, field: string): number {
    const key = `${terminalId}\n${field}`;
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      id = this.stmt.findSeries.get(terminalId, field)?.id ?? Number(this.stmt.addSeries.run(terminalId, field).lastInsertRowid);
      this.seriesIds.set(key, id);
    }
    return id;
  }

  /**
   * The batch in one transaction, in chunks of CHUNK_ROWS rows with the event loop free between
   * them: a second's batch at 2,000 msg/s is several thousand statements, which in one go would
   * hold up the live path behind it. Flushes never overlap (the recorder chains them), and reads
   * in between see the batch's rows early, which no answer depends on.
   */
  async write(batch: HistoryBatch): Promise<void> {
    const rows: Array<() => void> = [];
    for (const r of batch.readings) rows.push(() => this.stmt.raw.run(this.series(r.terminalId, r.field), r.t, r.value));
    for (const step of ROLLUP_STEPS) {
      const stmt = this.stmt.rollup[step];
      for (const b of batch.rollups[step]) rows.push(() => stmt.run(this.series(b.terminalId, b.field), b.t, b.count, b.min, b.max, b.sum, b.last, b.lastT));
    }
    if (rows.length <= CHUNK_ROWS) return this.writeSync(batch);
    this.db.exec('BEGIN');
    try {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        for (const row of rows.slice(i, i + CHUNK_ROWS)) row();
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.writeAlarms(batch);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The batch in one transaction (exposed for the benchmark, which measures the engine without the event loop). */
  writeSync(batch: HistoryBatch): void {
    this.db.transaction(() => {
      for (const r of batch.readings) this.stmt.raw.run(this.series(r.terminalId, r.field), r.t, r.value);
      for (const step of ROLLUP_STEPS) {
        const stmt = this.stmt.rollup[step];
        for (const b of batch.rollups[step]) stmt.run(this.series(b.terminalId, b.field), b.t, b.count, b.min, b.max, b.sum, b.last, b.lastT);
      }
      this.writeAlarms(batch);
    })();
  }

  /** Raises and closes, each counted in the hourly rows only when it changed a row (a rewritten batch counts nothing twice). */
  private writeAlarms(batch: HistoryBatch): void {
    const changes: sql.AlarmRollupRow[] = [];
    const count = (rows: sql.AlarmRollupRow[]): void => {
      changes.push(...rows);
    };
    const close = (id: string, at: number): void => {
      for (const r of this.stmt.closeAlarm.all(numbered([id, at]))) count(sql.alarmClosedRows(r, Number(r.raised_at), at));
    };
    for (const { alarm, department, clearedAt } of batch.alarmsOpened) {
      const keys = { kind: alarm.kind, grid: alarm.gridCode ?? null, department: department ?? null };
      const added = this.stmt.openAlarm.run(alarm.id, alarm.raisedAt, null, keys.kind, keys.grid, keys.department, JSON.stringify(alarm)).changes;
      if (added > 0) count(sql.alarmOpenedRows(keys, alarm.raisedAt));
      if (clearedAt !== undefined) close(alarm.id, clearedAt);
    }
    for (const c of batch.alarmsClosed) close(c.id, c.at);
    for (const row of sql.mergeAlarmRollupRows(changes)) this.stmt.alarmRollup.run(numbered(row));
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

  async prune(now: number, retention: Retention): Promise<void> {
    // Per series, so each delete is one range of the (series, t) key rather than a table scan.
    const ids = this.db.prepare<[], { id: number }>('SELECT id FROM hist_series').all().map((r) => r.id);
    const limits: Array<[string, number]> = [
      ['hist_raw', now - retention.rawMs],
      ['hist_r1m', now - retention['1mMs']],
      ['hist_r1h', now - retention['1hMs']],
    ];
    for (const [table, before] of limits) {
      const del = this.db.prepare(`DELETE FROM ${table} WHERE series = ? AND t < ?`);
      this.db.transaction(() => {
        for (const id of ids) del.run(id, before);
      })();
    }
    this.db.prepare('DELETE FROM hist_alarms WHERE raised_at < ? AND cleared_at IS NOT NULL').run(now - retention['1hMs']);
    this.db.prepare('DELETE FROM hist_alarm_r1h WHERE t < ?').run(now - retention['1hMs']);
  }

  async sizeBytes(): Promise<number> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(this.path).size;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
