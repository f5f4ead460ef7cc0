import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStorage } from '../../server/storage/SqliteStorage';
import { describeStorageContract } from './storageContract';

describeStorageContract('SQLite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-sqlite-'));
  const file = path.join(dir, 'cases.db');
  let storage = new SqliteStorage(file);
  return {
    get storage() {
      return storage;
    },
    exec: async (sql) => storage.exec(sql),
    reopen: async () => {
      await storage.close();
      storage = new SqliteStorage(file);
      return storage;
    },
    cleanup: async () => {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
