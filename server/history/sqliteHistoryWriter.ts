/**
 * What writes device history into SQLite, and the compact form a batch travels in to the thread
 * that runs it (SqliteHistoryStore.ts starts that thread; sqliteWriterWorker.ts is its entry).
 *
 * Why a thread: better-sqlite3 is synchronous, and a second's batch at the ingest's top rates
 * (tens of thousands of rows) held the event loop for about a fifth of the server's busy time
 * (issue 14's ingest profile), time the live path then lacked. The thread has its own connection
 * to the same WAL file; the server's connection only reads.
 *
 * The packed batch: each (terminal, field) gets a small integer key on the sending side the first
 * time it is seen (`SeriesKeys`), and readings and rollup rows travel as numbers in transferable
 * Float64Arrays — no object per reading is cloned. The writer maps a key to the series' row id,
 * creating the series on first sight, and folds the readings into the 1m/1h buckets here, on
 * the thread, rather than per reading on the server's event loop.
 */
import type Database from 'better-sqlite3';
import { numbered, type SqlValue } from '../storage/rows';
import * as sql from './historySql';
import type { AlarmClosed, AlarmOpened, HistoryBatch } from './HistoryStore';
import { ROLLUP_STEPS, SeriesRollups, type Retention, type RollupStep } from './rollup';

const ph = (n: number): string => `?${n}`;

/** Numbers per packed reading (key, t, value) and per packed rollup row. */
export const READING_WIDTH = 3;
export const ROLLUP_WIDTH = 8;

export interface PackedBatch {
  /** Series first seen since the last batch: key `firstKey + i` is `newSeries[i]`. */
  firstKey: number;
  newSeries: Array<[terminalId: string, field: string]>;
  /** key, t, value per reading. */
  readings: Float64Array;
  /** key, t, count, min, max, sum, last, lastT per partial bucket. */
  rollups: Record<RollupStep, Float64Array>;
  alarmsOpened: AlarmOpened[];
  alarmsClosed: AlarmClosed[];
}

/** The sending side's keys: terminal → field → key, numbered from 0 in order of first sight. */
export class SeriesKeys {
  private readonly byTerminal = new Map<string, Map<string, number>>();
  private next = 0;
  private fresh: Array<[string, string]> = [];
  private freshFrom = 0;

  keyOf(terminalId: string, field: string): number {
    let fields = this.byTerminal.get(terminalId);
    if (!fields) this.byTerminal.set(terminalId, (fields = new Map()));
    let key = fields.get(field);
    if (key === undefined) {
      key = this.next++;
      fields.set(field, key);
      this.fresh.push([terminalId, field]);
    }
    return key;
  }

  /** The series first seen since the last call, and the key of the first of them. */
  takeNew(): { firstKey: number; newSeries: Array<[string, string]> } {
    const out = { firstKey: this.freshFrom, newSeries: this.fresh };
    this.fresh = [];
    this.freshFrom = this.next;
    return out;
  }
}

export function packBatch(batch: HistoryBatch, keys: SeriesKeys): PackedBatch {
  const readings = new Float64Array(batch.readings.length * READING_WIDTH);
  let i = 0;
  for (const r of batch.readings) {
    readings[i++] = keys.keyOf(r.terminalId, r.field);
    readings[i++] = r.t;
    readings[i++] = r.value;
  }
  const rollups = {} as Record<RollupStep, Float64Array>;
  for (const step of ROLLUP_STEPS) {
    const rows = batch.rollups[step];
    const packed = new Float64Array(rows.length * ROLLUP_WIDTH);
    let j = 0;
    for (const b of rows) {
      packed[j++] = keys.keyOf(b.terminalId, b.field);
      packed[j++] = b.t;
      packed[j++] = b.count;
      packed[j++] = b.min;
      packed[j++] = b.max;
      packed[j++] = b.sum;
      packed[j++] = b.last;
      packed[j++] = b.lastT;
    }
    rollups[step] = packed;
  }
  return { ...keys.takeNew(), readings, rollups, alarmsOpened: batch.alarmsOpened, alarmsClosed: batch.alarmsClosed };
}

/** Merges a partial bucket into the stored one (rollup.ts mergeBucket, in SQL). */
const upsertRollup = (table: string): string =>
  `INSERT INTO ${table} (series, t, count, min, max, sum, last, last_t) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (series, t) DO UPDATE SET count = count + excluded.count, min = MIN(min, excluded.min), max = MAX(max, excluded.max),
   sum = sum + excluded.sum, last = CASE WHEN excluded.last_t >= last_t THEN excluded.last ELSE last END, last_t = MAX(last_t, excluded.last_t)`;

/** Writes packed batches and prunes, on one connection whose schema already exists. */
export class SqliteHistoryWriter {
  /** Series row id by key. */
  private readonly seriesIds: number[] = [];
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      findSeries: db.prepare<[string, string], { id: number }>('SELECT id FROM hist_series WHERE terminal_id = ? AND field = ?'),
      addSeries: db.prepare<[string, string]>('INSERT INTO hist_series (terminal_id, field) VALUES (?, ?)'),
      raw: db.prepare<[number, number, number]>('INSERT OR REPLACE INTO hist_raw (series, t, value) VALUES (?, ?, ?)'),
      rollup: { '1m': db.prepare(upsertRollup('hist_r1m')), '1h': db.prepare(upsertRollup('hist_r1h')) },
      openAlarm: db.prepare(
        'INSERT INTO hist_alarms (id, raised_at, cleared_at, kind, grid, department, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, raised_at) DO NOTHING',
      ),
      closeAlarm: db.prepare<[Record<number, SqlValue>], sql.ClosedAlarmRow>(sql.closeAlarmSql(ph)),
      alarmRollup: db.prepare<[Record<number, SqlValue>]>(sql.upsertAlarmRollupSql(ph)),
    };
  }

  /** The batch's readings, buckets and alarms in one transaction: all of them are stored, or (on an error) none. */
  write(batch: PackedBatch): void {
    // New series are committed first, on their own: a batch that then fails and rolls back must
    // not take back rows whose ids are already known on both sides.
    this.db.transaction(() => {
      batch.newSeries.forEach(([terminalId, field], i) => {
        this.seriesIds[batch.firstKey + i] = this.stmt.findSeries.get(terminalId, field)?.id ?? Number(this.stmt.addSeries.run(terminalId, field).lastInsertRowid);
      });
    })();
    this.db.transaction(() => {
      const { readings } = batch;
      const buckets = new SeriesRollups<number>();
      for (let i = 0; i < readings.length; i += READING_WIDTH) {
        const series = this.series(readings[i]!);
        this.stmt.raw.run(series, readings[i + 1]!, readings[i + 2]!);
        buckets.add(series, readings[i + 1]!, readings[i + 2]!);
      }
      for (const step of ROLLUP_STEPS) {
        const rows = batch.rollups[step];
        for (let i = 0; i < rows.length; i += ROLLUP_WIDTH) {
          const [t, count, min, max, sum, last, lastT] = rows.subarray(i + 1, i + ROLLUP_WIDTH);
          buckets.merge(this.series(rows[i]!), step, { t: t!, count: count!, min: min!, max: max!, sum: sum!, last: last!, lastT: lastT! });
        }
      }
      const folded = buckets.drain();
      for (const step of ROLLUP_STEPS) {
        const stmt = this.stmt.rollup[step];
        for (const [series, b] of folded[step]) stmt.run(series, b.t, b.count, b.min, b.max, b.sum, b.last, b.lastT);
      }
      this.writeAlarms(batch);
    })();
  }

  private series(key: number): number {
    const id = this.seriesIds[key];
    if (id === undefined) throw new Error(`history writer: series key ${key} was never announced`);
    return id;
  }

  /** Raises and closes, each counted in the hourly rows only when it changed a row (a rewritten batch counts nothing twice). */
  private writeAlarms(batch: PackedBatch): void {
    const changes: sql.AlarmRollupRow[] = [];
    const close = (id: string, at: number): void => {
      for (const r of this.stmt.closeAlarm.all(numbered([id, at]))) changes.push(...sql.alarmClosedRows(r, Number(r.raised_at), at));
    };
    for (const { alarm, department, clearedAt } of batch.alarmsOpened) {
      const keys = { kind: alarm.kind, grid: alarm.gridCode ?? null, department: department ?? null };
      const added = this.stmt.openAlarm.run(alarm.id, alarm.raisedAt, null, keys.kind, keys.grid, keys.department, JSON.stringify(alarm)).changes;
      if (added > 0) changes.push(...sql.alarmOpenedRows(keys, alarm.raisedAt));
      if (clearedAt !== undefined) close(alarm.id, clearedAt);
    }
    for (const c of batch.alarmsClosed) close(c.id, c.at);
    for (const row of sql.mergeAlarmRollupRows(changes)) this.stmt.alarmRollup.run(numbered(row));
  }

  prune(now: number, retention: Retention): void {
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
}

/** Opens a connection to a history file as both sides use it: WAL, a committed batch survives a killed process. */
export function configureHistoryConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache: a second's batch touches a page of every series' raw and rollup trees.
  db.pragma('cache_size = -65536');
}
