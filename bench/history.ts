/**
 * `npm run bench:history [-- --devices 10000 --days 30 --no-live]`: device history (issue 16).
 *
 *   write rate    one-second batches of 20,000 readings from 10,000 devices (each store folds
 *                 them into its 1m/1h buckets, as it does the recorder's) into SQLite (on this
 *                 thread: `writeSync`), DuckDB and, when installed, PostgreSQL: readings/s and
 *                 bytes per stored reading.
 *   queries       on a store seeded with `--days` of `--devices` (1-hour buckets of every device,
 *                 one alarm per device every two days, raw readings every 30 s over the last day
 *                 for 200 devices), p99 of 30 runs of: one terminal-field over 24 h raw, over 30
 *                 days at 1 h, and city-wide alarm counts per hour over 30 days — SQLite, DuckDB,
 *                 PostgreSQL.
 *   layouts       with TimescaleDB installed, PostgreSQL's native partitions vs the hypertable on
 *                 one server, writes and queries interleaved (history/pgLayouts.ts).
 *   live          publish → browser p99 at 2,000 msg/s without and with history (liveLatency.ts).
 * Baseline: the live p99 without history, in the same run; the engine comparison is SQLite vs
 * DuckDB on the same batches and queries; the hypertable against native partitions, interleaved.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emptyBatch, type HistoryStore } from '../server/history/HistoryStore';
import { PostgresHistoryStore } from '../server/history/PostgresHistoryStore';
import { SqliteHistoryStore } from '../server/history/SqliteHistoryStore';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../test/support/postgres';
import { TIMESCALE_AVAILABLE } from '../test/support/timescale';
import { DuckdbHistoryBench } from './history/duckdbStore';
import { liveLatency, type LiveLatency } from './history/liveLatency';
import { compareRawLayouts, type LayoutResult } from './history/pgLayouts';
import { DAY, FIELD, alarmSeed, hourSeed, rawSeed, seedStore, terminalId, writeBatch } from './history/workload';
import { loadAvg1m, machineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, round, type Distribution } from './support/stats';
import { verdict, verdictLine, type Verdict } from './support/verdict';
import { BenchOptionError } from './scaleOptions';

const WRITE_BATCHES = 15;
const PER_SECOND = 20_000;
/** Devices the write batches spread their readings over. */
const WRITE_DEVICES = 10_000;
const QUERY_RUNS = 30;
const RAW_DEVICES = 200;
const LIVE_S = 15;

interface Options {
  devices: number;
  days: number;
  live: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { devices: 10_000, days: 30, live: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-live') o.live = false;
    else if (a === '--devices' || a === '--days') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new BenchOptionError(`history: ${a} takes a positive integer`);
      o[a === '--devices' ? 'devices' : 'days'] = n;
    } else throw new BenchOptionError(`history: unknown option ${a} (--devices <n>, --days <n>, --no-live)`);
  }
  return o;
}

interface EngineResult {
  engine: string;
  writePerS: number;
  /** Readings per CPU-second of the benchmark process (PostgreSQL's own CPU not included). */
  writePerCpuS: number;
  bytesPerReading: number;
  seedSeconds: number;
  rawDayP99Ms: number;
  hour30dP99Ms: number;
  alarms30dP99Ms: number;
}

async function timeRuns(run: () => Promise<unknown>): Promise<Distribution> {
  const ms: number[] = [];
  await run();
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return distribution(ms)!;
}

/** The engine under test, as the benchmark drives it. */
interface Engine {
  name: string;
  write(k: number, start: number): Promise<void>;
  seed(o: Options, end: number): Promise<void>;
  raw(from: number, to: number): Promise<number>;
  hours(from: number, to: number): Promise<number>;
  alarms(from: number, to: number): Promise<number>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

function storeEngine(name: string, store: HistoryStore, writeFn?: (k: number, start: number) => void): Engine {
  return {
    name,
    write: async (k, start) => (writeFn ? writeFn(k, start) : store.write(writeBatch(k, start, WRITE_DEVICES, PER_SECOND))),
    seed: (o, end) => seedStore(store, o.devices, o.days, end, RAW_DEVICES),
    raw: async (from, to) => (await store.raw(terminalId(7), FIELD, from, to, 10_001)).length,
    hours: async (from, to) => (await store.rollup('1h', terminalId(7), FIELD, from, to)).length,
    alarms: async (from, to) => (await store.alarmCounts('1h', 'kind', from, to)).length,
    sizeBytes: () => store.sizeBytes(),
    close: () => store.close(),
  };
}

function duckEngine(d: DuckdbHistoryBench): Engine {
  return {
    name: 'DuckDB',
    write: (k, start) => d.write(writeBatch(k, start, WRITE_DEVICES, PER_SECOND)),
    seed: async (o, end) => {
      // As seedStore seeds the product stores: the raw devices' last day through the write path, which folds it.
      for (const rows of hourSeed(o.devices, o.days, end, RAW_DEVICES)) await d.seedHours(rows);
      for (const readings of rawSeed(RAW_DEVICES, end)) await d.write({ ...emptyBatch(), readings });
      await d.seedAlarms(alarmSeed(o.devices, o.days, end));
    },
    raw: async (from, to) => (await d.raw(terminalId(7), FIELD, from, to, 10_001)).length,
    hours: async (from, to) => (await d.rollup('1h', terminalId(7), FIELD, from, to)).length,
    alarms: (from, to) => d.alarmCounts(from, to),
    sizeBytes: () => d.sizeBytes(),
    close: async () => d.close(),
  };
}

/** Write rate and bytes per reading on a fresh engine, then the seeded queries on another. */
async function measure(open: (label: string) => Promise<Engine>, o: Options, log: (line: string) => void): Promise<EngineResult> {
  const now = Date.now();
  const writer = await open('write');
  const start = now - WRITE_BATCHES * 1000 - 60_000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < WRITE_BATCHES; k++) await writer.write(k, start);
  const writeS = (performance.now() - t0) / 1000;
  // On a shared machine wall time is mostly waiting for a core; CPU time says what one core does.
  const cpu = process.cpuUsage(cpu0);
  const writeCpuS = (cpu.user + cpu.system) / 1e6;
  const readings = WRITE_BATCHES * PER_SECOND;
  const bytes = await writer.sizeBytes();
  await writer.close();
  log(`  ${writer.name}: ${Math.round(readings / writeS)} readings/s written (${Math.round(readings / writeCpuS)} per CPU-second of this process), ${round(bytes / readings, 1)} bytes per reading (raw + 1m + 1h)`);

  const seeded = await open('query');
  const s0 = performance.now();
  await seeded.seed(o, now);
  const seedSeconds = (performance.now() - s0) / 1000;
  const raw = await timeRuns(() => seeded.raw(now - DAY, now));
  const hours = await timeRuns(() => seeded.hours(now - 30 * DAY, now));
  const alarms = await timeRuns(() => seeded.alarms(now - o.days * DAY, now));
  log(`  ${seeded.name}: seeded ${o.days} d × ${o.devices} devices in ${seedSeconds.toFixed(1)} s; p99 raw 24 h ${raw.p99.toFixed(1)} ms (${await seeded.raw(now - DAY, now)} points), 30 d at 1 h ${hours.p99.toFixed(1)} ms, alarms per hour over ${o.days} d ${alarms.p99.toFixed(1)} ms`);
  await seeded.close();
  return {
    engine: writer.name,
    writePerS: Math.round(readings / writeS),
    writePerCpuS: Math.round(readings / writeCpuS),
    bytesPerReading: round(bytes / readings, 1),
    seedSeconds: round(seedSeconds, 1),
    rawDayP99Ms: round(raw.p99, 2),
    hour30dP99Ms: round(hours.p99, 2),
    alarms30dP99Ms: round(alarms.p99, 2),
  };
}

export async function runHistoryBench(log: (line: string) => void, argv: readonly string[] = []): Promise<unknown> {
  const o = parseOptions(argv);
  const machine = machineInfo();
  log(`history: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadAvg1m}; seed ${o.days} d × ${o.devices} devices`);
  const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-bench-history-'));
  const engines: EngineResult[] = [];
  let pg: TestPostgres | undefined;
  let layouts: [LayoutResult, LayoutResult] | undefined;
  try {
    engines.push(await measure(async (label) => {
      const store = new SqliteHistoryStore(path.join(dir, `sqlite-${label}.db`));
      return storeEngine('SQLite', store, (k, start) => store.writeSync(writeBatch(k, start, WRITE_DEVICES, PER_SECOND)));
    }, o, log));
    engines.push(await measure(async (label) => duckEngine(await DuckdbHistoryBench.open(path.join(dir, `duck-${label}.duckdb`))), o, log));
    if (POSTGRES_AVAILABLE) {
      // With TimescaleDB installed one server (preloading it) runs both layouts: they differ only in the raw table.
      const timescale = POSTGRES_AVAILABLE && TIMESCALE_AVAILABLE;
      pg = await startTestPostgres(timescale ? { preload: ['timescaledb'] } : {});
      let n = 0;
      const open = async (): Promise<Engine> => storeEngine('PostgreSQL', await PostgresHistoryStore.open(await pg!.createSchema(`bench_${++n}`), Date.now(), undefined, { timescale: 'off' }));
      engines.push(await measure(open, o, log));
      if (timescale) {
        const run = { writeDevices: WRITE_DEVICES, devices: o.devices, days: o.days, batches: WRITE_BATCHES, perSecond: PER_SECOND, queryRuns: QUERY_RUNS, rawDevices: RAW_DEVICES };
        layouts = await compareRawLayouts(pg, run, log);
      } else log('  PostgreSQL + TimescaleDB: extension not installed, skipped (.ci/timescaledb/install.sh)');
    } else {
      log('  PostgreSQL: not installed, skipped');
    }
  } finally {
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  }

  const live: LiveLatency[] = [];
  if (o.live) {
    for (const history of [false, true]) {
      const r = await liveLatency(history, LIVE_S);
      live.push(r);
      log(`  live at 2,000 msg/s, history ${history ? 'on ' : 'off'}: p50 ${r.latencyMs?.p50.toFixed(0)} ms, p99 ${r.latencyMs?.p99.toFixed(0)} ms (${r.matched}/${r.sent} matched)`);
    }
  }

  const load = loadAvg1m();
  const sqlite = engines.find((e) => e.engine === 'SQLite')!;
  const duck = engines.find((e) => e.engine === 'DuckDB');
  const postgres = engines.find((e) => e.engine === 'PostgreSQL');
  const [native, tsdb] = layouts ?? [];
  const [off, on] = live;
  const liveRatio = off?.latencyMs && on?.latencyMs ? on.latencyMs.p99 / off.latencyMs.p99 : undefined;
  if (duck) log(`history: SQLite ÷ DuckDB write rate ${round(sqlite.writePerS / duck.writePerS, 2)}, raw 24 h p99 ${round(duck.rawDayP99Ms / sqlite.rawDayP99Ms, 1)}× faster on SQLite, alarms ${round(sqlite.alarms30dP99Ms / duck.alarms30dP99Ms, 1)}× faster on DuckDB`);
  if (native && tsdb) {
    const x = (k: keyof LayoutResult): string => `×${round(Number(tsdb[k]) / Number(native[k]), 2)}`;
    log(`history: PostgreSQL hypertable ÷ native partitions (interleaved): write rate ${x('writePerS')}; p50/p99 raw 24 h ${x('rawDayP50Ms')}/${x('rawDayP99Ms')}, 30 d at 1 h ${x('hour30dP50Ms')}/${x('hour30dP99Ms')}, alarms ${x('alarms30dP50Ms')}/${x('alarms30dP99Ms')}`);
  }
  if (liveRatio !== undefined) log(`history: live p99 with history ÷ without = ${round(liveRatio, 2)}`);

  const verdicts: Record<string, Verdict> = {
    writeEmbedded: verdict('≥ 20,000 readings/s embedded (SQLite)', `${sqlite.writePerS}/s wall, ${sqlite.writePerCpuS}/CPU-s`, sqlite.writePerS >= 20_000, load),
    writePostgres: verdict('≥ 10,000 readings/s on PostgreSQL', postgres ? `${postgres.writePerS}/s` : 'not installed', postgres ? postgres.writePerS >= 10_000 : undefined, load),
    writeTimescale: verdict('≥ 10,000 readings/s on PostgreSQL + TimescaleDB', tsdb ? `${tsdb.writePerS}/s (native partitions interleaved with it: ${native!.writePerS}/s)` : 'not installed', tsdb ? tsdb.writePerS >= 10_000 : undefined, load),
    queries: verdict(
      'SQLite p99: 24 h raw < 50 ms, 30 d at 1 h < 50 ms, alarms per hour over 30 d < 500 ms',
      `${sqlite.rawDayP99Ms} / ${sqlite.hour30dP99Ms} / ${sqlite.alarms30dP99Ms} ms`,
      sqlite.rawDayP99Ms < 50 && sqlite.hour30dP99Ms < 50 && sqlite.alarms30dP99Ms < 500,
      load,
    ),
    live: verdict('live p99 with history within 10 % of without, at 2,000 msg/s', liveRatio === undefined ? 'not run' : `×${round(liveRatio, 2)} (${on!.latencyMs!.p99.toFixed(0)} vs ${off!.latencyMs!.p99.toFixed(0)} ms)`, liveRatio === undefined ? undefined : liveRatio <= 1.1, load),
  };
  for (const [name, v] of Object.entries(verdicts)) log(verdictLine(`history ${name}`, v));
  const results = { benchmark: 'history', machine, options: o, engines, postgresLayouts: layouts, live, verdicts };
  log(`history: wrote ${await writeResults('history', results)}`);
  return results;
}
