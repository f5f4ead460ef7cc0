/**
 * The history store contract on a real PostgreSQL 15 (test/support/postgres.ts), one fresh schema
 * per test; its last case is two instances sharing the database, each writing its share.
 */
import { afterAll, beforeAll, describe } from 'vitest';
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
    return { store, openSecond: () => PostgresHistoryStore.open(url, T0), cleanup: () => store.close() };
  });
});
