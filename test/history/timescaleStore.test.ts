/**
 * The history store on PostgreSQL 15 with TimescaleDB (the Apache-2 build .ci/timescaledb/ installs),
 * started like the other PostgreSQL tests plus `shared_preload_libraries=timescaledb`: the whole
 * store contract with raw readings in a hypertable, its 1-day chunks and their retention, the same
 * answers as native partitioning on the same data, and a store made without TimescaleDB keeping
 * its partitions once the extension is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { HistoryStore } from '../../server/history/HistoryStore';
import { PostgresHistoryStore } from '../../server/history/PostgresHistoryStore';
import { DEFAULT_RETENTION } from '../../server/history/rollup';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { TIMESCALE_AVAILABLE } from '../support/timescale';
import { alarm, batchOf, describeStoreContract, T0 } from './storeContract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The hypertable's chunks in the store's schema, as [start, end) ms. */
const chunks = async (url: string): Promise<[number, number][]> =>
  (
    await query<{ s: string; e: string }>(
      url,
      "SELECT range_start_integer AS s, range_end_integer AS e FROM timescaledb_information.chunks WHERE hypertable_schema = current_schema() AND hypertable_name = 'hist_raw' ORDER BY 1",
    )
  ).map((r) => [Number(r.s), Number(r.e)]);

/** Every query the store answers, over the span the test writes. */
async function answers(store: HistoryStore): Promise<unknown[]> {
  const [from, to] = [T0 - 4 * DAY, T0 + DAY];
  const out: unknown[] = [];
  for (const id of ['A', 'B']) {
    out.push(await store.raw(id, 'f', from, to, 10_000), await store.rollup('1m', id, 'f', from, to), await store.rollup('1h', id, 'f', from, to));
  }
  for (const at of [T0 - 3 * DAY + 30_000, T0 - DAY + 30 * 60_000, T0 + 40 * 60_000]) out.push(await store.lastValues('f', at), await store.openAlarmsAt(at));
  out.push(await store.lastPerHour('f', from, to), await store.fieldRollups('1m', 'f', from, to), await store.fieldRollups('1h', 'f', from, to));
  for (const groupBy of ['kind', 'grid', 'department', 'none'] as const) out.push(await store.alarmCounts('1h', groupBy, from, to), await store.alarmCounts('1d', groupBy, from, to));
  return out;
}

/** Readings per terminal and day in writeThreeDays: every 3.6 s over the first half hour after a whole hour (one UTC day). */
const PER_DAY = 500;

/** Readings of two terminals on three days (T0 - 3 days, T0 - 1 day, T0) and two alarms. */
async function writeThreeDays(store: HistoryStore): Promise<void> {
  for (const day of [T0 - 3 * DAY, T0 - DAY, T0]) {
    const rs = Array.from({ length: PER_DAY }, (_, i) => [
      { terminalId: 'A', field: 'f', t: day + i * 3600, value: (i * 13) % 40 },
      { terminalId: 'B', field: 'f', t: day + i * 3600 + 300, value: ((i * 29) % 70) - 5 },
    ]).flat();
    await store.write(batchOf(rs.slice(0, 333)));
    await store.write(batchOf(rs.slice(333)));
  }
  const a = alarm('A:water-level', 'water-level', T0 - 3 * DAY + 5000, '4419001');
  const b = alarm('B:lamp-fault', 'lamp-fault', T0 - DAY + 60_000);
  await store.write(batchOf([], { alarmsOpened: [{ alarm: a, department: 'water' }, { alarm: b }] }));
  await store.write(batchOf([], { alarmsClosed: [{ id: a.id, at: T0 - 2 * DAY }, { id: b.id, at: T0 + 10 * 60_000 }] }));
}

describe.skipIf(!TIMESCALE_AVAILABLE)('PostgreSQL + TimescaleDB history store', () => {
  let server: TestPostgres;
  let schemas = 0;
  const schema = (): Promise<string> => server.createSchema(`history_ts_${++schemas}`);

  beforeAll(async () => {
    server = await startTestPostgres({ preload: ['timescaledb'] });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  describeStoreContract('PostgreSQL + TimescaleDB', async () => {
    const url = await schema();
    const store = await PostgresHistoryStore.open(url, T0);
    expect(store.layout).toBe('hypertable');
    return { store, openSecond: () => PostgresHistoryStore.open(url, T0), cleanup: () => store.close() };
  });

  it('keeps raw readings in a hypertable of 1-day chunks aligned on UTC days, with a BRIN index on time', async () => {
    const url = await schema();
    const store = await PostgresHistoryStore.open(url, T0);
    try {
      expect(store.layout).toBe('hypertable');
      const [dim] = await query<{ interval: string }>(url, "SELECT integer_interval AS interval FROM timescaledb_information.dimensions WHERE hypertable_schema = current_schema() AND hypertable_name = 'hist_raw'");
      expect(Number(dim!.interval)).toBe(DAY);
      const indexes = await query<{ def: string }>(url, "SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'hist_raw'");
      expect(indexes.map((i) => i.def)).toEqual(expect.arrayContaining([expect.stringMatching(/USING brin \(t\)/)]));
      expect(await chunks(url)).toEqual([]);
      await writeThreeDays(store);
      expect(await chunks(url)).toEqual([T0 - 3 * DAY, T0 - DAY, T0].map((t) => Math.floor(t / DAY) * DAY).map((s) => [s, s + DAY]));
      // The readings are in the chunks, not in the hypertable's own (empty) table.
      const [own] = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM ONLY hist_raw');
      expect(Number(own!.n)).toBe(0);
      expect(await store.sizeBytes()).toBeGreaterThan((await chunks(url)).length * 8192);
    } finally {
      await store.close();
    }
  });

  it('drops whole chunks older than the raw retention, keeping their rollups', async () => {
    const url = await schema();
    const store = await PostgresHistoryStore.open(url, T0);
    try {
      await writeThreeDays(store);
      const before = await chunks(url);
      const now = T0 + HOUR;
      await store.prune(now, { ...DEFAULT_RETENTION, rawMs: 2 * DAY });
      // A chunk goes when its whole day ended before now - 2 days, as a native partition would.
      expect(await chunks(url)).toEqual(before.filter(([, end]) => end > now - 2 * DAY));
      expect(await chunks(url)).toHaveLength(2);
      expect(await store.raw('A', 'f', T0 - 4 * DAY, T0 - 2 * DAY, 10)).toEqual([]);
      expect(await store.raw('A', 'f', T0 - DAY, T0 - DAY + HOUR, 10_000)).toHaveLength(PER_DAY);
      expect((await store.rollup('1h', 'A', 'f', T0 - 3 * DAY, T0 - 3 * DAY)).map((p) => p.count)).toEqual([PER_DAY]);
    } finally {
      await store.close();
    }
  });

  it('answers every query as native partitioning does on the same data, before and after pruning', async () => {
    const hyper = await PostgresHistoryStore.open(await schema(), T0);
    const native = await PostgresHistoryStore.open(await schema(), T0, undefined, { timescale: 'off' });
    try {
      expect([hyper.layout, native.layout]).toEqual(['hypertable', 'partitions']);
      await writeThreeDays(hyper);
      await writeThreeDays(native);
      const expected = await answers(native);
      expect(JSON.stringify(expected).length).toBeGreaterThan(100_000);
      expect(await answers(hyper)).toEqual(expected);
      for (const store of [hyper, native]) await store.prune(T0 + HOUR, { rawMs: 2 * DAY, '1mMs': 2 * DAY, '1hMs': 10 * DAY });
      expect(await answers(hyper)).toEqual(await answers(native));
    } finally {
      await hyper.close();
      await native.close();
    }
  });

  it('keeps a store made without TimescaleDB natively partitioned once the extension is there', async () => {
    const url = await server.createDatabase('made_before_timescale');
    const before = await PostgresHistoryStore.open(url, T0, undefined, { timescale: 'off' });
    await before.write(batchOf([{ terminalId: 'A', field: 'f', t: T0, value: 1 }]));
    await before.close();
    const after = await PostgresHistoryStore.open(url, T0);
    try {
      expect(after.layout).toBe('partitions');
      await after.write(batchOf([{ terminalId: 'A', field: 'f', t: T0 + 1000, value: 2 }]));
      expect((await after.raw('A', 'f', T0, T0 + HOUR, 10)).map((p) => p.last)).toEqual([1, 2]);
      expect(await query(url, "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
