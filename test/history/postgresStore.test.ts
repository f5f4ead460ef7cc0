/**
 * The history store contract on a real PostgreSQL 15 (test/support/postgres.ts), one fresh schema
 * per test; its last case is two instances sharing the database, each writing its share. This
 * server does not preload TimescaleDB (even where it is installed), so raw readings go to native
 * daily partitions; timescaleStore.test.ts runs the same contract with it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresHistoryStore } from '../../server/history/PostgresHistoryStore';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';
import { describeStoreContract, T0 } from './storeContract';

describe.skipIf(!POSTGRES_AVAILABLE)('PostgreSQL history store', () => {
  let server: TestPostgres;
  let schemas = 0;

  beforeAll(async () => {
    server = await startTestPostgres();
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  describeStoreContract('PostgreSQL', async () => {
    const url = await server.createSchema(`history_${++schemas}`);
    // Partitions from 7 days before T0 onwards, as a server started at T0 would have.
    const store = await PostgresHistoryStore.open(url, T0);
    expect(store.layout).toBe('partitions');
    return { store, openSecond: () => PostgresHistoryStore.open(url, T0), cleanup: () => store.close() };
  });

  it('refuses a store whose raw table is a hypertable where TimescaleDB cannot be loaded', async () => {
    const url = await server.createSchema('history_hypertable_elsewhere');
    // What a hypertable looks like to PostgreSQL without TimescaleDB: a plain table.
    const client = new pg.Client(url);
    await client.connect();
    await client.query('CREATE TABLE hist_raw (series INTEGER NOT NULL, t BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL, PRIMARY KEY (series, t))');
    await client.end();
    await expect(PostgresHistoryStore.open(url, T0)).rejects.toThrow(/hist_raw is a TimescaleDB hypertable but TimescaleDB cannot be loaded here \(.+\)/);
  });
});
