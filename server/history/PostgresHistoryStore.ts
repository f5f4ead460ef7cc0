/**
 * Device history in PostgreSQL, in the database the cases use (DATABASE_URL), shared by every
 * instance of a cluster. Raw readings go into a table split by UTC day — native partitions, or a
 * TimescaleDB hypertable with 1-day chunks when the extension can be loaded (pgRawTable.ts) —
 * dropped whole when older than the raw retention, with a BRIN index on time; rollups and alarms
 * are plain tables with BRIN on time, pruned by DELETE. A batch is one transaction of set-based
 * `INSERT … SELECT unnest(…)` statements.
 */
import type pg from 'pg';
import type { Alarm } from '../../domain/live';
import type { AlarmHistoryBucket, AlarmHistoryGroup, AlarmHistoryStep, HistoryPoint } from '../../domain/history';
import { pgTransaction } from '../storage/pgTransaction';
import { newPool, advisoryLockKey } from '../storage/PostgresStorage';
import type { FieldBucket, HistoryBatch, HistoryStore, LastValue, StatusBucket } from './HistoryStore';
import * as sql from './historySql';
import { SIZE_SQL, maintainRawTable, openRawTable, type RawLayout, type RawTable, type TimescaleChoice } from './pgRawTable';
import { DAY_MS, ROLLUP_STEPS, batchRollups, bucketStart, type Retention, type RollupStep } from './rollup';

const ph = (n: number): string => `$${n}`;
const SCHEMA_LOCK = advisoryLockKey('citytwin-history-schema');
/** Raw partitions are created this many days ahead of today. */
const DAYS_AHEAD = 2;

const ROLLUP_COLUMNS = `series INTEGER NOT NULL, t BIGINT NOT NULL, count INTEGER NOT NULL, min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL,
  sum DOUBLE PRECISION NOT NULL, last DOUBLE PRECISION NOT NULL, last_t BIGINT NOT NULL, PRIMARY KEY (series, t)`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hist_series (id SERIAL PRIMARY KEY, terminal_id TEXT NOT NULL, field TEXT NOT NULL, UNIQUE (terminal_id, field));
CREATE TABLE IF NOT EXISTS hist_r1m (${ROLLUP_COLUMNS});
CREATE INDEX IF NOT EXISTS hist_r1m_t ON hist_r1m USING BRIN (t);
CREATE TABLE IF NOT EXISTS hist_r1h (${ROLLUP_COLUMNS});
CREATE INDEX IF NOT EXISTS hist_r1h_t ON hist_r1h USING BRIN (t);
CREATE TABLE IF NOT EXISTS hist_alarms (id TEXT NOT NULL, raised_at BIGINT NOT NULL, cleared_at BIGINT, kind TEXT NOT NULL, grid TEXT,
  department TEXT, body TEXT NOT NULL, PRIMARY KEY (id, raised_at));
CREATE INDEX IF NOT EXISTS hist_alarms_raised ON hist_alarms (raised_at, kind, grid, department);
CREATE INDEX IF NOT EXISTS hist_alarms_cleared ON hist_alarms (cleared_at, raised_at, kind, grid, department);
`;

const upsertRollup = (table: string): string =>
  `INSERT INTO ${table} AS r (series, t, count, min, max, sum, last, last_t)
   SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[])
   ON CONFLICT (series, t) DO UPDATE SET count = r.count + excluded.count, min = LEAST(r.min, excluded.min), max = GREATEST(r.max, excluded.max),
   sum = r.sum + excluded.sum, last = CASE WHEN excluded.last_t >= r.last_t THEN excluded.last ELSE r.last END, last_t = GREATEST(r.last_t, excluded.last_t)`;

export class PostgresHistoryStore implements HistoryStore {
  readonly kind = 'postgres' as const;
  private readonly seriesIds = new Map<string, number>();
  /** Days [first, end) raw readings are kept for (a partition each); readings outside are kept in the rollups only. */
  private partitioned: [number, number] = [0, 0];
  private rawTable: RawTable = { layout: 'partitions' };

  private constructor(private readonly pool: pg.Pool) {}

  /** How raw readings are split by day: native partitions or a TimescaleDB hypertable (pgRawTable.ts). */
  get layout(): RawLayout {
    return this.rawTable.layout;
  }

  /**
   * Opens (and creates or updates) the store. `timescale: 'off'` makes a new store natively
   * partitioned even where TimescaleDB could be loaded; an existing store keeps its layout.
   */
  static async open(url: string, now = Date.now(), rawRetentionMs = 7 * DAY_MS, opts: { timescale?: TimescaleChoice } = {}): Promise<PostgresHistoryStore> {
    const store = new PostgresHistoryStore(newPool(url, 4));
    try {
      await store.inLock(async (c) => {
        await c.query(SCHEMA);
        store.rawTable = await openRawTable(c, opts.timescale ?? 'auto');
        const { rows } = await c.query<{ t: string | null }>("SELECT to_regclass('hist_alarm_r1h')::text AS t");
        await c.query(sql.ALARM_ROLLUP_SCHEMA('BIGINT'));
        if (rows[0]?.t == null) await c.query(sql.alarmRollupBackfillSql());
      });
      await store.ensurePartitions(now, rawRetentionMs);
    } catch (err) {
      await store.pool.end();
      throw err;
    }
    return store;
  }

  /** Runs `fn` in a transaction holding the schema lock (instances starting at once create each table once). */
  private async inLock(fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    await pgTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await fn(c);
    });
  }

  /**
   * Raw days from the oldest kept to DAYS_AHEAD days ahead (partitions created; a hypertable's
   * chunks come as rows arrive); drops the days older than the retention. Both layouts keep the
   * same window, so they answer the same.
   */
  private async ensurePartitions(now: number, rawRetentionMs: number): Promise<void> {
    const first = bucketStart(now - rawRetentionMs, DAY_MS);
    const end = bucketStart(now, DAY_MS) + (DAYS_AHEAD + 1) * DAY_MS;
    await this.inLock((c) => maintainRawTable(c, this.rawTable, first, end, now - rawRetentionMs));
    this.partitioned = [first, end];
  }

  /**
   * Creates and caches the ids of series not seen yet, committed on their own before the batch's
   * transaction: a batch that fails and rolls back must not take back ids already cached.
   */
  private async resolveSeries(c: pg.Pool, keys: Iterable<[string, string]>): Promise<void> {
    const missing = new Map<string, [string, string]>();
    for (const [terminalId, field] of keys) {
      const key = `${terminalId}\n${field}`;
      if (!this.seriesIds.has(key)) missing.set(key, [terminalId, field]);
    }
    if (missing.size === 0) return;
    const terminals = [...missing.values()].map((k) => k[0]);
    const fields = [...missing.values()].map((k) => k[1]);
    await c.query('INSERT INTO hist_series (terminal_id, field) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [terminals, fields]);
    const { rows } = await c.query<{ id: number; terminal_id: string; field: string }>(
      'SELECT s.id, s.terminal_id, s.field FROM hist_series s JOIN unnest($1::text[], $2::text[]) AS k (terminal_id, field) USING (terminal_id, field)',
      [terminals, fields],
    );
    for (const r of rows) this.seriesIds.set(`${r.terminal_id}\n${r.field}`, r.id);
  }

  private id(terminalId: string, field: string): number {
    return this.seriesIds.get(`${terminalId}\n${field}`)!;
  }

  async write(batch: HistoryBatch): Promise<void> {
    await this.resolveSeries(this.pool, [...batch.readings, ...batch.rollups['1m'], ...batch.rollups['1h']].map((r): [string, string] => [r.terminalId, r.field]));
    await pgTransaction(this.pool, async (c) => {
      // One row per (series, t) in a statement: the last reading with a time wins, as in SQLite.
      const raw = new Map<string, [number, number, number]>();
      const [first, end] = this.partitioned;
      for (const r of batch.readings) {
        if (r.t < first || r.t >= end) continue;
        const id = this.id(r.terminalId, r.field);
        raw.set(`${id}:${r.t}`, [id, r.t, r.value]);
      }
      if (raw.size > 0) {
        const rows = [...raw.values()];
        await c.query(
          'INSERT INTO hist_raw (series, t, value) SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[]) ON CONFLICT (series, t) DO UPDATE SET value = excluded.value',
          [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
        );
      }
      const folded = batchRollups(batch.readings, batch.rollups, (terminalId, field) => this.id(terminalId, field));
      for (const step of ROLLUP_STEPS) {
        const rows = folded[step];
        if (rows.length === 0) continue;
        await c.query(upsertRollup(sql.ROLLUP_TABLE[step]), [
          rows.map(([series]) => series),
          rows.map(([, b]) => b.t),
          rows.map(([, b]) => b.count),
          rows.map(([, b]) => b.min),
          rows.map(([, b]) => b.max),
          rows.map(([, b]) => b.sum),
          rows.map(([, b]) => b.last),
          rows.map(([, b]) => b.lastT),
        ]);
      }
      // Raises and closes count in the hourly rows only when they changed a row (see SqliteHistoryStore).
      const changes: sql.AlarmRollupRow[] = [];
      const close = async (id: string, at: number): Promise<void> => {
        const { rows } = await c.query<sql.ClosedAlarmRow>(sql.closeAlarmSql(ph), [id, at]);
        for (const r of rows) changes.push(...sql.alarmClosedRows(r, Number(r.raised_at), at));
      };
      for (const { alarm, department, clearedAt } of batch.alarmsOpened) {
        const keys = { kind: alarm.kind, grid: alarm.gridCode ?? null, department: department ?? null };
        const added = await c.query(
          'INSERT INTO hist_alarms (id, raised_at, cleared_at, kind, grid, department, body) VALUES ($1, $2, NULL, $3, $4, $5, $6) ON CONFLICT (id, raised_at) DO NOTHING',
          [alarm.id, alarm.raisedAt, keys.kind, keys.grid, keys.department, JSON.stringify(alarm)],
        );
        if ((added.rowCount ?? 0) > 0) changes.push(...sql.alarmOpenedRows(keys, alarm.raisedAt));
        if (clearedAt !== undefined) await close(alarm.id, clearedAt);
      }
      for (const cl of batch.alarmsClosed) await close(cl.id, cl.at);
      for (const row of sql.mergeAlarmRollupRows(changes)) await c.query(sql.upsertAlarmRollupSql(ph), row);
    });
  }

  async raw(terminalId: string, field: string, from: number, to: number, limit: number): Promise<HistoryPoint[]> {
    const { rows } = await this.pool.query<{ t: string; value: number }>(sql.rawSql(ph), [terminalId, field, from, to, limit]);
    return rows.map(sql.rawPoint);
  }

  async rollup(step: RollupStep, terminalId: string, field: string, from: number, to: number): Promise<HistoryPoint[]> {
    const { rows } = await this.pool.query<sql.BucketSqlRow>(sql.rollupSql(step, ph), [terminalId, field, from, to]);
    return rows.map(sql.toPoint);
  }

  async lastValues(field: string, at: number): Promise<LastValue[]> {
    const { rows } = await this.pool.query<{ terminal_id: string; value: number | null }>(sql.lastValuesSql(ph), [field, at]);
    return rows.filter((r) => r.value !== null).map((r): LastValue => [r.terminal_id, Number(r.value)]);
  }

  async lastPerHour(field: string, from: number, to: number): Promise<StatusBucket[]> {
    const { rows } = await this.pool.query<{ terminal_id: string; t: string; last: number }>(sql.lastPerHourSql(ph), [field, from, to]);
    return rows.map((r) => ({ terminalId: r.terminal_id, t: Number(r.t), last: Number(r.last) }));
  }

  async fieldRollups(step: RollupStep, field: string, from: number, to: number): Promise<FieldBucket[]> {
    const { rows } = await this.pool.query<sql.FieldRollupSqlRow>(sql.fieldRollupsSql(step, ph), [field, from, to]);
    return rows.map(sql.toFieldBucket);
  }

  async alarmCounts(step: AlarmHistoryStep, groupBy: AlarmHistoryGroup, from: number, to: number): Promise<AlarmHistoryBucket[]> {
    const { rows } = await this.pool.query<sql.AlarmCountSqlRow>(sql.alarmCountsSql(step, ph), [groupBy, sql.hourOf(from), to]);
    return rows.map(sql.toAlarmBucket);
  }

  async openAlarmsAt(at: number): Promise<Alarm[]> {
    const { rows } = await this.pool.query<{ body: string }>(sql.openAlarmsAtSql(ph), [at]);
    return rows.map(sql.parseAlarm);
  }

  async prune(now: number, retention: Retention): Promise<void> {
    await this.ensurePartitions(now, retention.rawMs);
    await this.pool.query('DELETE FROM hist_r1m WHERE t < $1', [now - retention['1mMs']]);
    await this.pool.query('DELETE FROM hist_r1h WHERE t < $1', [now - retention['1hMs']]);
    await this.pool.query('DELETE FROM hist_alarms WHERE raised_at < $1 AND cleared_at IS NOT NULL', [now - retention['1hMs']]);
    await this.pool.query('DELETE FROM hist_alarm_r1h WHERE t < $1', [now - retention['1hMs']]);
  }

  async sizeBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string | null }>(SIZE_SQL);
    return Number(rows[0]?.bytes ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
