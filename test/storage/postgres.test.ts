/**
 * The storage contract against a real PostgreSQL 15 server started for this file
 * (test/support/postgres.ts); one fresh schema per test.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresStorage } from '../../server/storage/PostgresStorage';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';
import { describeStorageContract } from './storageContract';

describe.skipIf(!POSTGRES_AVAILABLE)('PostgreSQL storage', () => {
  let server: TestPostgres;
  let schemas = 0;

  beforeAll(async () => {
    server = await startTestPostgres();
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  describeStorageContract('PostgreSQL', async () => {
    const url = await server.createSchema(`contract_${++schemas}`);
    let storage = await PostgresStorage.open(url);
    return {
      get storage() {
        return storage;
      },
      exec: (sql) => storage.exec(sql),
      reopen: async () => {
        await storage.close();
        storage = await PostgresStorage.open(url);
        return storage;
      },
      cleanup: () => storage.close(),
    };
  });
});
