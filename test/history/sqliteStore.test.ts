/** The history store contract on SQLite (a fresh file per test). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteHistoryStore } from '../../server/history/SqliteHistoryStore';
import { alarm, batchOf, describeStoreContract, T0 } from './storeContract';

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

describe('SQLite history made before the hourly alarm counts', () => {
  it('fills the hourly counts from the alarms it has when it opens', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-history-'));
    const file = path.join(dir, 'history.db');
    try {
      const first = new SqliteHistoryStore(file);
      await first.write(batchOf([], { alarmsOpened: [{ alarm: alarm('A', 'lamp-fault', T0 + 10), clearedAt: T0 + 70_010 }, { alarm: alarm('B', 'water-level', T0 + 20), department: 'water' }] }));
      const before = await first.alarmCounts('1h', 'kind', T0, T0 + 3_600_000);
      await first.close();
      const db = new Database(file);
      db.exec('DROP TABLE hist_alarm_r1h');
      db.close();
      const reopened = new SqliteHistoryStore(file);
      expect(before.map((b) => [b.group, b.opened, b.closed])).toEqual([['lamp-fault', 1, 1], ['water-level', 1, 0]]);
      expect(await reopened.alarmCounts('1h', 'kind', T0, T0 + 3_600_000)).toEqual(before);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
