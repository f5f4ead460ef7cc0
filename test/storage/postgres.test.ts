/**
 * The storage contract against a real PostgreSQL 15 server started for this file
 * (test/support/postgres.ts); one fresh schema per test. Then what only a server can do: an
 * advisory lock freed by the death of the connection holding it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      openSecond: () => PostgresStorage.open(url),
      cleanup: () => storage.close(),
    };
  });

  it('frees a lock when the connection holding it dies, and locks again afterwards', async () => {
    const url = await server.createSchema('lock_lost');
    const a = await PostgresStorage.open(url);
    const b = await PostgresStorage.open(url);
    try {
      let bRan = false;
      const held = a.withLock('case-intake:lamp-out', async () => {
        // A network cut or a database restart ends the holder's session.
        await b.exec("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
        await b.withLock('case-intake:lamp-out', async () => {
          bRan = true;
        });
        return 'holder finished';
      });
      expect(await held).toBe('holder finished');
      expect(bRan).toBe(true);
      expect(await a.withLock('case-intake:lamp-out', async () => 'locked again')).toBe('locked again');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
