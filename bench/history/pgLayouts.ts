/**
 * PostgreSQL's two raw layouts side by side on one server that preloads TimescaleDB: native daily
 * partitions (the baseline) and the hypertable. Both get the same write batches and the same
 * queries, interleaved (batch k to one then the other, alternating who goes first; each query
 * run on one then the other), so a shared machine's load swings hit both alike.
 */
import { PostgresHistoryStore } from '../../server/history/PostgresHistoryStore';
import type { RawLayout, TimescaleChoice } from '../../server/history/pgRawTable';
import type { TestPostgres } from '../../test/support/postgres';
import { distribution, round } from '../support/stats';
import { DAY, FIELD, seedStore, terminalId, writeBatch } from './workload';

export interface LayoutResult {
  layout: RawLayout;
  writePerS: number;
  bytesPerReading: number;
  rawDayP50Ms: number;
  rawDayP99Ms: number;
  hour30dP50Ms: number;
  hour30dP99Ms: number;
  alarms30dP50Ms: number;
  alarms30dP99Ms: number;
}

export interface LayoutRun {
  /** Devices in the write batches (the main benchmark's 10,000). */
  writeDevices: number;
  /** Devices in the seeded store the queries read. */
  devices: number;
  days: number;
  batches: number;
  perSecond: number;
  queryRuns: number;
  rawDevices: number;
}

export async function compareRawLayouts(pg: TestPostgres, run: LayoutRun, log: (line: string) => void): Promise<[LayoutResult, LayoutResult]> {
  const now = Date.now();
  let n = 0;
  const open = async (choice: TimescaleChoice): Promise<PostgresHistoryStore> => PostgresHistoryStore.open(await pg.createSchema(`layouts_${++n}`), now, undefined, { timescale: choice });
  const both = async (): Promise<PostgresHistoryStore[]> => [await open('off'), await open('auto')];

  const writers = await both();
  const writeMs = [0, 0];
  const start = now - run.batches * 1000 - 60_000;
  for (let k = 0; k < run.batches; k++) {
    const batch = writeBatch(k, start, run.writeDevices, run.perSecond);
    for (const i of k % 2 === 0 ? [0, 1] : [1, 0]) {
      const t0 = performance.now();
      await writers[i]!.write(batch);
      writeMs[i]! += performance.now() - t0;
    }
  }
  const readings = run.batches * run.perSecond;
  const bytes = await Promise.all(writers.map((w) => w.sizeBytes()));
  await Promise.all(writers.map((w) => w.close()));

  const seeded = await both();
  for (const s of seeded) await seedStore(s, run.devices, run.days, now, run.rawDevices);
  const queries = [
    (s: PostgresHistoryStore) => s.raw(terminalId(7), FIELD, now - DAY, now, 10_001),
    (s: PostgresHistoryStore) => s.rollup('1h', terminalId(7), FIELD, now - 30 * DAY, now),
    (s: PostgresHistoryStore) => s.alarmCounts('1h', 'kind', now - run.days * DAY, now),
  ];
  // ms[query][store]: one warm-up run of each, then queryRuns timed.
  const ms = queries.map(() => [[] as number[], [] as number[]]);
  for (let r = 0; r <= run.queryRuns; r++) {
    for (const [q, query] of queries.entries()) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const t0 = performance.now();
        await query(seeded[i]!);
        if (r > 0) ms[q]![i]!.push(performance.now() - t0);
      }
    }
  }
  const results = seeded.map((s, i): LayoutResult => {
    const [raw, hour, alarms] = ms.map((perStore) => distribution(perStore[i]!)!);
    return {
      layout: s.layout,
      writePerS: Math.round(readings / (writeMs[i]! / 1000)),
      bytesPerReading: round(bytes[i]! / readings, 1),
      rawDayP50Ms: round(raw!.p50, 2),
      rawDayP99Ms: round(raw!.p99, 2),
      hour30dP50Ms: round(hour!.p50, 2),
      hour30dP99Ms: round(hour!.p99, 2),
      alarms30dP50Ms: round(alarms!.p50, 2),
      alarms30dP99Ms: round(alarms!.p99, 2),
    };
  });
  await Promise.all(seeded.map((s) => s.close()));
  for (const r of results) {
    log(`  PostgreSQL ${r.layout}, interleaved: ${r.writePerS} readings/s written, ${r.bytesPerReading} bytes per reading; p50/p99 raw 24 h ${r.rawDayP50Ms}/${r.rawDayP99Ms} ms, 30 d at 1 h ${r.hour30dP50Ms}/${r.hour30dP99Ms} ms, alarms ${r.alarms30dP50Ms}/${r.alarms30dP99Ms} ms`);
  }
  return [results[0]!, results[1]!];
}
