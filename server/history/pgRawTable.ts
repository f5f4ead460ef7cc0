/**
 * The PostgreSQL history store's raw table, `hist_raw (series, t, value)`, in one of two layouts:
 *
 *   partitions  native declarative partitioning by UTC day (`hist_raw_dYYYYMMDD`), created from the
 *               oldest day kept to a few days ahead, dropped whole past the raw retention.
 *   hypertable  a TimescaleDB hypertable with 1-day chunks on `t` (integer ms, so chunks are UTC
 *               days), which TimescaleDB creates as rows arrive; retention is `drop_chunks`.
 *
 * Both keep the primary key (series, t) and a BRIN index on t. A new store is a hypertable when
 * `CREATE EXTENSION IF NOT EXISTS timescaledb` succeeds (installed, preloaded, and allowed to this
 * user), else native partitions: TimescaleDB is used when present, never required. The layout of an
 * existing store never changes on its own: a partitioned store stays partitioned when TimescaleDB
 * appears later (docs/history.md says how to convert one), and a hypertable store refuses to open
 * where TimescaleDB cannot be loaded. Every function here runs inside the store's schema lock.
 */
import type pg from 'pg';
import { DAY_MS } from './rollup';

export type RawLayout = 'partitions' | 'hypertable';

/** `auto`: a new store is a hypertable when TimescaleDB can be loaded; `off`: never touch TimescaleDB. */
export type TimescaleChoice = 'auto' | 'off';

export interface RawTable {
  layout: RawLayout;
  /** The schema TimescaleDB's functions live in (quoted), for a hypertable. */
  tsSchema?: string;
}

const RAW_COLUMNS = 'series INTEGER NOT NULL, t BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL, PRIMARY KEY (series, t)';
const BRIN = 'CREATE INDEX IF NOT EXISTS hist_raw_t ON hist_raw USING BRIN (t)';

export const partitionName = (day: number): string => `hist_raw_d${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * Loads TimescaleDB into this database if it can (in a savepoint, so a refusal leaves the
 * transaction usable) and returns the schema its functions are in, or why it cannot.
 */
async function loadTimescale(c: pg.PoolClient): Promise<{ schema: string } | { reason: string }> {
  const available = await c.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
  if ((available.rowCount ?? 0) === 0) return { reason: 'the timescaledb extension is not installed on this server' };
  // Without it CREATE EXTENSION ends the connection (a FATAL error), so ask first.
  const { rows: preload } = await c.query<{ libs: string }>("SELECT current_setting('shared_preload_libraries') AS libs");
  if (!preload[0]!.libs.split(',').some((lib) => lib.trim().replace(/^"|"$/g, '') === 'timescaledb')) {
    return { reason: 'timescaledb is not in shared_preload_libraries' };
  }
  await c.query('SAVEPOINT timescale');
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    await c.query('RELEASE SAVEPOINT timescale');
  } catch (err) {
    await c.query('ROLLBACK TO SAVEPOINT timescale');
    return { reason: (err as Error).message };
  }
  const { rows } = await c.query<{ schema: string }>(
    "SELECT quote_ident(n.nspname) AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'timescaledb'",
  );
  return { schema: rows[0]!.schema };
}

/** Finds `hist_raw`'s layout, creating the table (a hypertable when TimescaleDB loads) if there is none. */
export async function openRawTable(c: pg.PoolClient, choice: TimescaleChoice): Promise<RawTable> {
  const { rows } = await c.query<{ kind: string }>("SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass('hist_raw')");
  const kind = rows[0]?.kind;
  if (kind === 'p') return { layout: 'partitions' };
  if (kind === 'r') {
    // Only ever created as a hypertable; its chunks need TimescaleDB loaded.
    const ts = await loadTimescale(c);
    if ('reason' in ts) {
      throw new Error(`hist_raw is a TimescaleDB hypertable but TimescaleDB cannot be loaded here (${ts.reason}); install it and add timescaledb to shared_preload_libraries`);
    }
    return { layout: 'hypertable', tsSchema: ts.schema };
  }
  if (kind !== undefined) throw new Error(`hist_raw exists but is neither a partitioned table nor a hypertable (relkind ${kind})`);
  const ts = choice === 'auto' ? await loadTimescale(c) : { reason: 'off' };
  if ('reason' in ts) {
    await c.query(`CREATE TABLE hist_raw (${RAW_COLUMNS}) PARTITION BY RANGE (t); ${BRIN}`);
    return { layout: 'partitions' };
  }
  // Integer time: chunk ranges are multiples of the interval from 0, i.e. UTC days. BRIN rather
  // than TimescaleDB's default B-tree on t: the primary key already serves every query by series.
  await c.query(`CREATE TABLE hist_raw (${RAW_COLUMNS})`);
  await c.query(`SELECT ${ts.schema}.create_hypertable('hist_raw', ${ts.schema}.by_range('t', ${DAY_MS}::bigint), create_default_indexes => false)`);
  await c.query(BRIN);
  return { layout: 'hypertable', tsSchema: ts.schema };
}

/**
 * Makes raw days [first, end) writable and drops what ended at or before `cutoff`: partitions
 * are created and dropped here; a hypertable's chunks are created by TimescaleDB as rows arrive
 * and dropped by `drop_chunks` (a chunk goes when its whole day is older than the cutoff, as a
 * partition does).
 */
export async function maintainRawTable(c: pg.PoolClient, raw: RawTable, first: number, end: number, cutoff: number): Promise<void> {
  if (raw.layout === 'hypertable') {
    await c.query(`SELECT ${raw.tsSchema!}.drop_chunks('hist_raw', older_than => $1::bigint)`, [cutoff]);
    return;
  }
  for (let day = first; day < end; day += DAY_MS) {
    await c.query(`CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF hist_raw FOR VALUES FROM (${day}) TO (${day + DAY_MS})`);
  }
  const { rows } = await c.query<{ name: string }>("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'hist_raw'::regclass");
  for (const { name } of rows) {
    const m = /^hist_raw_d(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (m && Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY_MS <= cutoff) await c.query(`DROP TABLE ${name}`);
  }
}

/**
 * Bytes of every history table with its indexes: the visible `hist_*` tables and the pieces of
 * `hist_raw` (partitions, or chunks in TimescaleDB's own schema).
 */
export const SIZE_SQL = `SELECT SUM(pg_total_relation_size(x.oid)) AS bytes FROM (
  SELECT c.oid FROM pg_class c WHERE c.relname LIKE 'hist\\_%' AND c.relkind = 'r' AND pg_table_is_visible(c.oid)
  UNION SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = to_regclass('hist_raw')) x`;
