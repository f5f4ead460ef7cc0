/**
 * DuckDB under the history workload, for the engine comparison in bench/history.ts only (the
 * product stores are server/history/): the same tables and the same queries as the SQLite store
 * (server/history/historySql.ts), raw readings through DuckDB's appender, rollups merged by an
 * `INSERT … ON CONFLICT DO UPDATE` from an appended staging table — the fastest fair path we found
 * for each.
 */
import { statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { HistoryPoint } from '../../domain/history';
import type { HistoryBatch, Reading } from '../../server/history/HistoryStore';
import * as sql from '../../server/history/historySql';
import { batchRollups, type RollupRow, type RollupStep, type StartedBucket } from '../../server/history/rollup';

const ph = (n: number): string => `$${n}`;
const ROLLUP = 'series INTEGER NOT NULL, t BIGINT NOT NULL, count INTEGER NOT NULL, min DOUBLE NOT NULL, max DOUBLE NOT NULL, sum DOUBLE NOT NULL, last DOUBLE NOT NULL, last_t BIGINT NOT NULL';

export class DuckdbHistoryBench {
  private readonly ids = new Map<string, number>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<DuckdbHistoryBench> {
    const instance = await DuckDBInstance.create(path);
    const db = await instance.connect();
    for (const statement of [
      'CREATE TABLE hist_series (id INTEGER PRIMARY KEY, terminal_id VARCHAR NOT NULL, field VARCHAR NOT NULL)',
      'CREATE TABLE hist_raw (series INTEGER NOT NULL, t BIGINT NOT NULL, value DOUBLE NOT NULL)',
      `CREATE TABLE hist_r1m (${ROLLUP}, PRIMARY KEY (series, t))`,
      `CREATE TABLE hist_r1h (${ROLLUP}, PRIMARY KEY (series, t))`,
      `CREATE TABLE stage (${ROLLUP})`,
      'CREATE TABLE hist_alarms (id VARCHAR NOT NULL, raised_at BIGINT NOT NULL, cleared_at BIGINT, kind VARCHAR NOT NULL, grid VARCHAR, department VARCHAR, body VARCHAR NOT NULL)',
      sql.ALARM_ROLLUP_SCHEMA('BIGINT'),
    ]) {
      await db.run(statement);
    }
    return new DuckdbHistoryBench(instance, db, path);
  }

  private async series(rows: Iterable<{ terminalId: string; field: string }>): Promise<void> {
    let appender: DuckDBAppender | undefined;
    for (const r of rows) {
      const key = `${r.terminalId}\n${r.field}`;
      if (this.ids.has(key)) continue;
      const id = this.ids.size + 1;
      this.ids.set(key, id);
      appender ??= await this.db.createAppender('hist_series');
      appender.appendInteger(id);
      appender.appendVarchar(r.terminalId);
      appender.appendVarchar(r.field);
      appender.endRow();
    }
    appender?.closeSync();
  }

  private id(terminalId: string, field: string): number {
    return this.ids.get(`${terminalId}\n${field}`)!;
  }

  async appendRaw(readings: readonly Reading[]): Promise<void> {
    await this.series(readings);
    const a = await this.db.createAppender('hist_raw');
    for (const r of readings) {
      a.appendInteger(this.id(r.terminalId, r.field));
      a.appendBigInt(BigInt(r.t));
      a.appendDouble(r.value);
      a.endRow();
    }
    a.closeSync();
    // The hourly counts the product stores keep as they write, built here in one statement.
    await this.db.run(sql.alarmRollupBackfillSql());
  }

  private async appendBuckets(table: string, rows: ReadonlyArray<readonly [number, StartedBucket]>): Promise<void> {
    const a = await this.db.createAppender(table);
    for (const [series, b] of rows) {
      a.appendInteger(series);
      a.appendBigInt(BigInt(b.t));
      a.appendInteger(b.count);
      a.appendDouble(b.min);
      a.appendDouble(b.max);
      a.appendDouble(b.sum);
      a.appendDouble(b.last);
      a.appendBigInt(BigInt(b.lastT));
      a.endRow();
    }
    a.closeSync();
  }

  /** Seeds 1-hour buckets directly (no merge: the seed writes each bucket once). */
  async seedHours(rows: readonly RollupRow[]): Promise<void> {
    await this.series(rows);
    await this.appendBuckets('hist_r1h', rows.map((r) => [this.id(r.terminalId, r.field), r] as const));
  }

  async seedAlarms(alarms: HistoryBatch['alarmsOpened']): Promise<void> {
    const a = await this.db.createAppender('hist_alarms');
    for (const { alarm, department, clearedAt } of alarms) {
      a.appendVarchar(alarm.id);
      a.appendBigInt(BigInt(alarm.raisedAt));
      if (clearedAt === undefined) a.appendNull();
      else a.appendBigInt(BigInt(clearedAt));
      a.appendVarchar(alarm.kind);
      a.appendVarchar(alarm.gridCode ?? '');
      a.appendVarchar(department ?? '');
      a.appendVarchar(JSON.stringify(alarm));
      a.endRow();
    }
    a.closeSync();
    // The hourly counts the product stores keep as they write, built here in one statement.
    await this.db.run(sql.alarmRollupBackfillSql());
  }

  /** One recorder batch: raw appended, each step's buckets (folded as the product stores fold them) merged into the stored ones. */
  async write(batch: HistoryBatch): Promise<void> {
    await this.series([...batch.rollups['1m'], ...batch.rollups['1h']]);
    await this.db.run('BEGIN TRANSACTION');
    await this.appendRaw(batch.readings);
    const folded = batchRollups(batch.readings, batch.rollups, (terminalId, field) => this.id(terminalId, field));
    for (const step of ['1m', '1h'] as const) {
      await this.appendBuckets('stage', folded[step]);
      await this.db.run(
        `INSERT INTO ${sql.ROLLUP_TABLE[step]} SELECT * FROM stage ON CONFLICT (series, t) DO UPDATE SET count = count + excluded.count,
         min = least(min, excluded.min), max = greatest(max, excluded.max), sum = sum + excluded.sum,
         last = CASE WHEN excluded.last_t >= last_t THEN excluded.last ELSE last END, last_t = greatest(last_t, excluded.last_t)`,
      );
      await this.db.run('DELETE FROM stage');
    }
    await this.db.run('COMMIT');
  }

  async raw(terminalId: string, field: string, from: number, to: number, limit: number): Promise<HistoryPoint[]> {
    const r = await this.db.runAndReadAll(sql.rawSql(ph), [terminalId, field, BigInt(from), BigInt(to), limit]);
    return r.getRowObjectsJS().map((row) => sql.rawPoint(row as { t: number; value: number }));
  }

  async rollup(step: RollupStep, terminalId: string, field: string, from: number, to: number): Promise<HistoryPoint[]> {
    const r = await this.db.runAndReadAll(sql.rollupSql(step, ph), [terminalId, field, BigInt(from), BigInt(to)]);
    return r.getRowObjectsJS().map((row) => sql.toPoint(row as unknown as sql.BucketSqlRow));
  }

  async alarmCounts(from: number, to: number): Promise<number> {
    const r = await this.db.runAndReadAll(sql.alarmCountsSql('1h', ph), ['kind', BigInt(sql.hourOf(from)), BigInt(to)]);
    return r.getRows().length;
  }

  async sizeBytes(): Promise<number> {
    await this.db.run('CHECKPOINT');
    return statSync(this.path).size;
  }

  close(): void {
    this.db.closeSync();
    this.instance.closeSync();
  }
}
