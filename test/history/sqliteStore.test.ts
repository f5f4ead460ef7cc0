/** The history store contract on SQLite (a fresh file per test). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteHistoryStore } from '../../server/history/SqliteHistoryStore';
import { describeStoreContract } from './storeContract';

describeStoreContract('SQLite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-history-'));
  const store = new SqliteHistoryStore(path.join(dir, 'history.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
