/**
 * The history store contract: the same writes and queries against each engine (SQLite here,
 * PostgreSQL in postgres.test.ts). Expected answers are computed in the test from the readings,
 * not by the code under test; the batches hold readings, as the recorder sends them, and each
 * store folds them into its rollups.
 */
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../domain/live';
import type { HistoryPoint } from '../../domain/history';
import { emptyBatch, type HistoryBatch, type HistoryStore, type Reading } from '../../server/history/HistoryStore';
import { DEFAULT_RETENTION } from '../../server/history/rollup';

export interface StoreHarness {
  store: HistoryStore;
  /** Another store on the same database, as a second server instance opens it (PostgreSQL only). */
  openSecond?: () => Promise<HistoryStore>;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * A whole hour, two hours ago (every bucket below is complete), moved an hour earlier when the
 * two hours after it would cross midnight UTC: the daily counts below expect one day's bucket
 * (the test failed when run between 01:00 and 02:00 UTC).
 */
export const T0 = ((): number => {
  const t = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
  const nextMidnight = Math.floor(t / DAY) * DAY + DAY;
  return t + 2 * HOUR > nextMidnight ? nextMidnight - 2 * HOUR : t;
})();

/** Readings for two terminals every 13 s over an hour, deterministic values. */
function readings(): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; i < 3600 / 13; i++) {
    out.push({ terminalId: 'T1', field: 'depthCm', t: T0 + i * 13_000, value: ((i * 37) % 100) / 4 });
    out.push({ terminalId: 'T2', field: 'depthCm', t: T0 + i * 13_000 + 500, value: ((i * 11) % 50) + 0.5 });
  }
  return out;
}

/** A batch as the recorder sends it: readings (the store folds them into rollups) and alarms. */
export function batchOf(rs: Reading[], alarms: Partial<Pick<HistoryBatch, 'alarmsOpened' | 'alarmsClosed'>> = {}): HistoryBatch {
  return { ...emptyBatch(), readings: rs, ...alarms };
}

function expected(rs: Reading[], terminalId: string, width: number): HistoryPoint[] {
  const buckets = new Map<number, Reading[]>();
  for (const r of rs.filter((x) => x.terminalId === terminalId)) {
    const t = Math.floor(r.t / width) * width;
    buckets.set(t, [...(buckets.get(t) ?? []), r]);
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([t, b]) => {
      const v = b.map((r) => r.value);
      return { t, count: b.length, min: Math.min(...v), max: Math.max(...v), mean: v.reduce((x, y) => x + y, 0) / v.length, last: b.at(-1)!.value };
    });
}

const near = (ps: HistoryPoint[]) => ps.map((p) => ({ ...p, mean: expect.closeTo(p.mean, 9) as unknown as number }));

export const alarm = (id: string, kind: Alarm['kind'], raisedAt: number, gridCode?: string): Alarm => ({
  id,
  kind,
  severity: 'warning',
  terminalId: id.split(':')[0]!,
  terminalType: 'water-level',
  poleId: 'P1',
  raisedAt,
  ...(gridCode ? { gridCode } : {}),
});

export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`history store contract: ${name}`, () => {
    it('reads back raw readings and rollups, whether written in one batch or many', async () => {
      const h = await open();
      try {
        const rs = readings();
        // Three batches cutting through minutes and the hour: rollups merge across batches.
        for (const part of [rs.slice(0, 101), rs.slice(101, 333), rs.slice(333)]) await h.store.write(batchOf(part));
        const raw = await h.store.raw('T1', 'depthCm', T0, T0 + HOUR, 10_000);
        expect(raw).toEqual(rs.filter((r) => r.terminalId === 'T1').map((r) => ({ t: r.t, count: 1, min: r.value, max: r.value, mean: r.value, last: r.value })));
        expect(await h.store.raw('T1', 'depthCm', T0, T0 + HOUR, 5)).toHaveLength(5);
        expect(await h.store.rollup('1m', 'T2', 'depthCm', T0, T0 + HOUR)).toEqual(near(expected(rs, 'T2', 60_000)));
        expect(await h.store.rollup('1h', 'T1', 'depthCm', T0 - HOUR, T0 + HOUR)).toEqual(near(expected(rs, 'T1', HOUR)));
        expect(await h.store.raw('T1', 'nothing', T0, T0 + HOUR, 10)).toEqual([]);
      } finally {
        await h.cleanup();
      }
    });

    it("keeps a bucket's last by device time, and a resent reading once in raw", async () => {
      const h = await open();
      try {
        await h.store.write(batchOf([{ terminalId: 'T1', field: 'f', t: T0 + 5000, value: 9 }]));
        await h.store.write(batchOf([{ terminalId: 'T1', field: 'f', t: T0 + 1000, value: 1 }]));
        expect(await h.store.rollup('1m', 'T1', 'f', T0, T0)).toEqual([{ t: T0, count: 2, min: 1, max: 9, mean: 5, last: 9 }]);
        // The same reading again: raw keeps it once. (Rollups would count it again; the live state
        // drops a QoS resend before the recorder, so they never see one.)
        await h.store.write(batchOf([{ terminalId: 'T1', field: 'f', t: T0 + 1000, value: 1 }]));
        expect(await h.store.raw('T1', 'f', T0, T0 + 60_000, 10)).toHaveLength(2);
      } finally {
        await h.cleanup();
      }
    });

    it("merges a batch's given partial buckets with its readings' own", async () => {
      const h = await open();
      try {
        // A seeded bucket (no raw readings behind it) and a reading in the same minute, in one batch.
        const seeded = { terminalId: 'T1', field: 'f', t: T0, count: 2, min: 1, max: 9, sum: 10, last: 9, lastT: T0 + 5000 };
        await h.store.write({ ...batchOf([{ terminalId: 'T1', field: 'f', t: T0 + 2000, value: 4 }]), rollups: { '1m': [seeded], '1h': [] } });
        expect(await h.store.rollup('1m', 'T1', 'f', T0, T0)).toEqual([{ t: T0, count: 3, min: 1, max: 9, mean: 14 / 3, last: 9 }]);
        expect(await h.store.rollup('1h', 'T1', 'f', T0, T0)).toEqual([{ t: T0, count: 1, min: 4, max: 4, mean: 4, last: 4 }]);
        expect(await h.store.raw('T1', 'f', T0, T0 + 60_000, 10)).toHaveLength(1);
      } finally {
        await h.cleanup();
      }
    });

    it('stores none of a batch that fails, and the series it introduced still work afterwards', async () => {
      const h = await open();
      try {
        // A value neither engine takes (the recorder validates readings; this stands for any fault in a batch).
        const bad = { terminalId: 'T9', field: 'f', t: T0 + 1000, value: 'not a number' as unknown as number };
        await expect(h.store.write(batchOf([{ terminalId: 'T1', field: 'f', t: T0, value: 1 }, bad]))).rejects.toThrow();
        await h.store.write(batchOf([{ terminalId: 'T9', field: 'f', t: T0 + 2000, value: 3 }]));
        expect(await h.store.raw('T1', 'f', T0, T0 + 60_000, 10)).toEqual([]);
        expect((await h.store.raw('T9', 'f', T0, T0 + 60_000, 10)).map((p) => [p.t, p.mean])).toEqual([[T0 + 2000, 3]]);
        expect(await h.store.rollup('1m', 'T9', 'f', T0, T0)).toEqual([{ t: T0, count: 1, min: 3, max: 3, mean: 3, last: 3 }]);
      } finally {
        await h.cleanup();
      }
    });

    it("gives each terminal's value at an instant, from raw or, once raw is pruned, from rollups", async () => {
      const h = await open();
      try {
        const old = T0 - 3 * DAY;
        await h.store.write(batchOf([
          { terminalId: 'A', field: 'status', t: old, value: 1 },
          { terminalId: 'A', field: 'status', t: old + 90_000, value: 3 },
          { terminalId: 'B', field: 'status', t: T0 + 10_000, value: 4 },
        ]));
        expect(await h.store.lastValues('status', old + 60_000)).toEqual([['A', 1]]);
        expect(await h.store.lastValues('status', T0 + 10_000)).toEqual([['A', 3], ['B', 4]]);
        // Raw kept 2 days from "now" = T0: A's raw readings go, its rollups answer (complete buckets only).
        await h.store.prune(T0, { ...DEFAULT_RETENTION, rawMs: 2 * DAY });
        expect(await h.store.raw('A', 'status', old - DAY, T0, 10)).toEqual([]);
        expect(await h.store.raw('B', 'status', T0, T0 + DAY, 10)).toHaveLength(1);
        expect(await h.store.lastValues('status', T0 + 20_000)).toEqual([['A', 3], ['B', 4]]);
        expect(await h.store.lastPerHour('status', old - HOUR, T0 + HOUR)).toEqual([
          { terminalId: 'A', t: Math.floor(old / HOUR) * HOUR, last: 3 },
          { terminalId: 'B', t: T0, last: 4 },
        ]);
      } finally {
        await h.cleanup();
      }
    });

    it('prunes each kind by its retention', async () => {
      const h = await open();
      try {
        await h.store.write(batchOf([{ terminalId: 'A', field: 'f', t: T0 - 3 * DAY, value: 1 }, { terminalId: 'A', field: 'f', t: T0, value: 2 }]));
        await h.store.prune(T0 + HOUR, { rawMs: 2 * DAY, '1mMs': 2 * DAY, '1hMs': 10 * DAY });
        expect((await h.store.raw('A', 'f', T0 - 4 * DAY, T0 + DAY, 10)).map((p) => p.last)).toEqual([2]);
        expect((await h.store.rollup('1m', 'A', 'f', T0 - 4 * DAY, T0 + DAY)).map((p) => p.last)).toEqual([2]);
        expect((await h.store.rollup('1h', 'A', 'f', T0 - 4 * DAY, T0 + DAY)).map((p) => p.last)).toEqual([1, 2]);
      } finally {
        await h.cleanup();
      }
    });

    it('counts alarms opened and closed per bucket and group, and knows which were open at an instant', async () => {
      const h = await open();
      try {
        const a1 = alarm('W1:water-level', 'water-level', T0 + 1000, '4419001');
        const a2 = alarm('W2:water-level', 'water-level', T0 + 2000, '4419002');
        const a3 = alarm('L1:lamp-fault', 'lamp-fault', T0 + HOUR + 5000);
        await h.store.write(batchOf([], { alarmsOpened: [{ alarm: a1, department: 'water' }, { alarm: a2, department: 'water', clearedAt: T0 + 62_000 }] }));
        await h.store.write(batchOf([], { alarmsOpened: [{ alarm: a3 }], alarmsClosed: [{ id: a1.id, at: T0 + HOUR + 1000 }] }));
        // A second raise of W1 after it cleared; its close must not touch the first.
        const a1b = { ...a1, raisedAt: T0 + HOUR + 9000 };
        await h.store.write(batchOf([], { alarmsOpened: [{ alarm: a1b, department: 'water' }] }));
        await h.store.write(batchOf([], { alarmsClosed: [{ id: a1.id, at: T0 + HOUR + 19_000 }] }));
        // A batch written again (a retried flush) counts nothing twice.
        await h.store.write(batchOf([], { alarmsOpened: [{ alarm: a1, department: 'water' }, { alarm: a2, department: 'water', clearedAt: T0 + 62_000 }] }));
        await h.store.write(batchOf([], { alarmsOpened: [{ alarm: a3 }], alarmsClosed: [{ id: a1.id, at: T0 + HOUR + 1000 }] }));

        expect(await h.store.alarmCounts('1h', 'kind', T0, T0 + 2 * HOUR)).toEqual([
          { t: T0, group: 'water-level', opened: 2, closed: 1, meanTimeToCloseMs: 60_000 },
          { t: T0 + HOUR, group: 'lamp-fault', opened: 1, closed: 0, meanTimeToCloseMs: null },
          { t: T0 + HOUR, group: 'water-level', opened: 1, closed: 2, meanTimeToCloseMs: (HOUR + 10_000) / 2 },
        ]);
        expect(await h.store.alarmCounts('1d', 'department', T0 - DAY, T0 + DAY)).toEqual(
          expect.arrayContaining([expect.objectContaining({ group: '(none)', opened: 1 }), expect.objectContaining({ group: 'water', opened: 3, closed: 3 })]),
        );
        expect((await h.store.alarmCounts('1h', 'grid', T0, T0 + HOUR)).map((b) => [b.group, b.opened])).toEqual([['4419001', 1], ['4419002', 1]]);
        // Counts are kept per hour: a range starting inside an hour gets that hour whole.
        expect((await h.store.alarmCounts('1h', 'none', T0 + 30 * 60_000, T0 + HOUR)).map((b) => [b.t, b.group, b.opened])).toEqual([[T0, 'all', 2]]);
        expect((await h.store.openAlarmsAt(T0 + 30_000)).map((a) => a.id)).toEqual([a1.id, a2.id]);
        expect((await h.store.openAlarmsAt(T0 + HOUR + 10_000)).map((a) => [a.id, a.raisedAt])).toEqual([[a3.id, a3.raisedAt], [a1.id, a1b.raisedAt]]);
        expect(await h.store.openAlarmsAt(T0 + HOUR + 20_000)).toEqual([a3]);
      } finally {
        await h.cleanup();
      }
    });

    it('answers the same from every instance when each writes its share', async () => {
      const h = await open();
      if (!h.openSecond) {
        await h.cleanup();
        return;
      }
      const second = await h.openSecond();
      try {
        const rs = readings();
        // Each instance ingests every other message, and writes what it ingested in its own batches.
        await Promise.all([h.store.write(batchOf(rs.filter((_, i) => i % 2 === 0))), second.write(batchOf(rs.filter((_, i) => i % 2 === 1)))]);
        for (const store of [h.store, second]) {
          expect(await store.rollup('1m', 'T1', 'depthCm', T0, T0 + HOUR)).toEqual(near(expected(rs, 'T1', 60_000)));
          expect(await store.rollup('1h', 'T2', 'depthCm', T0, T0 + HOUR)).toEqual(near(expected(rs, 'T2', HOUR)));
          expect(await store.raw('T2', 'depthCm', T0, T0 + HOUR, 10_000)).toHaveLength(rs.length / 2);
        }
      } finally {
        await second.close();
        await h.cleanup();
      }
    });
  });
}
