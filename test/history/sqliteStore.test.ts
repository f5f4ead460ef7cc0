/** The history store contract on SQLite (a fresh file per test). */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteHistoryStore } from '../../server/history/SqliteHistoryStore';
import type { Reading } from '../../server/history/HistoryStore';
import { REPO_ROOT } from '../support/cliServer';
import { alarm, batchOf, describeStoreContract, T0 } from './storeContract';

const execFileAsync = promisify(execFile);

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

describe('SQLite history writer thread', () => {
  const reading = (terminalId: string, t: number, value: number): Reading => ({ terminalId, field: 'depthCm', t, value });

  it('refuses a batch whole, naming the fault, and goes on with the next', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-history-'));
    const store = new SqliteHistoryStore(path.join(dir, 'history.db'));
    try {
      await store.write(batchOf([reading('T1', T0, 1)]));
      // NaN binds as NULL: the raw table's NOT NULL value refuses it, and the batch rolls back.
      const bad = batchOf([reading('T1', T0 + 1000, 2), reading('T2', T0 + 1000, Number.NaN)]);
      await expect(store.write(bad)).rejects.toThrow(/history writer: NOT NULL constraint failed: hist_raw\.value/);
      await store.write(batchOf([reading('T2', T0 + 2000, 3)]));
      expect((await store.raw('T1', 'depthCm', T0, T0 + 5000, 10)).map((p) => p.mean)).toEqual([1]);
      expect((await store.raw('T2', 'depthCm', T0, T0 + 5000, 10)).map((p) => p.mean)).toEqual([3]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the event loop turning while a large batch commits, and close waits for it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-history-'));
    const file = path.join(dir, 'history.db');
    const store = new SqliteHistoryStore(file);
    try {
      await store.write(batchOf([reading('T0', T0, 0)])); // the thread is up
      const rows: Reading[] = [];
      for (let i = 0; i < 200_000; i++) rows.push(reading(`T${i % 2000}`, T0 + 1000 + i, i % 97));
      const batch = batchOf(rows);
      let turns = 0;
      let committed = false;
      const written = store.write(batch).then(() => (committed = true));
      // The loop keeps turning while the thread commits 200,000 readings and their buckets.
      while (!committed && turns < 1_000_000) {
        await new Promise((resolve) => setImmediate(resolve));
        turns += 1;
      }
      await written;
      expect(turns).toBeGreaterThan(10);
      // A write not awaited before close is still stored.
      void store.write(batchOf([reading('T1', T0 + 500_000, 42)]));
      await store.close();
      const db = new Database(file, { readonly: true });
      const count = db.prepare('SELECT COUNT(*) AS n FROM hist_raw').get() as { n: number };
      db.close();
      expect(count.n).toBe(200_002);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite history store in a process with nothing else to do', () => {
  it('returns from close before the process ends (the writer thread holds it open until it has stopped)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-history-'));
    try {
      const script = `
        import { SqliteHistoryStore } from ${JSON.stringify(path.join(REPO_ROOT, 'server/history/SqliteHistoryStore.ts'))};
        const store = new SqliteHistoryStore(${JSON.stringify(path.join(dir, 'history.db'))});
        await store.write({ readings: [{ terminalId: 'T1', field: 'f', t: ${T0}, value: 1 }], rollups: { '1m': [], '1h': [] }, alarmsOpened: [], alarmsClosed: [] });
        await store.close();
        console.log('after close');
      `;
      const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, timeout: 60_000 });
      expect(stdout.trim()).toBe('after close');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
