/**
 * Soak benchmark (`npm run bench -- soak`, docs/staff-sim.md): the demo city served for days of
 * simulated time — the device simulator in its staffed world, the simulated staff working the
 * cases through the API — sampled every few seconds for what would grow if anything leaked: RSS
 * and heap of the server (this process), the case database and the history files, open alarms,
 * open cases, the live snapshot a browser gets, event-loop lag (p99 over each sample), and the
 * live p99 (device publish → a WebSocket client on /ws/live, over each sample).
 *
 * Goal: each of open alarms, open cases, snapshot, RSS, heap, loop lag and live p99 flat after the
 * first simulated day (server/staffSim/steadyState.ts: the least-squares growth per simulated day
 * adds under a quarter of the level over the run). The case database and the history grow by
 * design — cases are records, kept; history is kept for its retention (raw 7 days of wall time by
 * default) — so their growth per simulated day is printed with what explains it.
 *
 * Baseline, same run: the same world and clock with the staff off (`--staff-sim off`): nobody
 * works the cases, so open cases (and the world's waiting problems, so open alarms) grow without
 * bound. Ratio: open cases at the end, baseline ÷ staffed.
 *
 * Options: --days <d> simulated days (default 7), --wall-min <m> wall minutes for them (default
 * 30; sets the speed-up), --baseline-days <d> (default min(days, 2); 0 skips it), --report-speedup
 * <x> device reports x times the field rate (default 0.25, ~57 msg/s for the demo's terminals),
 * --sample-s <s> (default 15), --twin <dir> a built demo twin (default data/demo/twin or a fresh one).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { DeltaMessage } from '../domain/live';
import { startServer, type RunningServer } from '../server/index';
import { caseFlow, type CaseFlow } from '../server/staffSim/caseFlow';
import { allCases, sampleSoak, type SoakSample } from '../server/staffSim/soakProbe';
import { growth, type Growth } from '../server/staffSim/steadyState';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { percentile, round, sleep } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';
import { BenchOptionError } from './scaleOptions';
import { dailyGrowth, dailyTable, flowTables } from './soakReport';

const DAY_MS = 86_400_000;
const MB = 2 ** 20;

export interface SoakOptions {
  days: number;
  wallMin: number;
  baselineDays: number;
  reportSpeedup: number;
  sampleS: number;
  twin?: string;
  /** Where the run's case database and history go (default /dev/shm where there is one). */
  dataDir?: string;
}

export interface SoakRow extends SoakSample {
  /** The machine's 1-minute load average at the sample (it is shared). */
  loadAvg1m: number;
  loopLagP99Ms: number;
  liveP99Ms: number | undefined;
}

export interface SoakRun {
  staff: boolean;
  speedup: number;
  samples: SoakRow[];
  growth: Record<string, Growth>;
  actions: Record<string, number>;
  /** Cases created after the warm-up: arrivals, closures, where they wait. */
  flow: CaseFlow;
}

export interface SoakBenchResults {
  benchmark: 'soak';
  machine: MachineInfo;
  options: SoakOptions;
  staffed: SoakRun;
  baseline: SoakRun | undefined;
  verdict: Verdict;
}

export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const o: SoakOptions = { days: 7, wallMin: 30, baselineDays: -1, reportSpeedup: 0.25, sampleS: 15 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) throw new BenchOptionError(`soak: ${name} needs a value`);
    if (name === '--twin' || name === '--data-dir') {
      o[name === '--twin' ? 'twin' : 'dataDir'] = value;
      continue;
    }
    const n = Number(value);
    const key = { '--days': 'days', '--wall-min': 'wallMin', '--baseline-days': 'baselineDays', '--report-speedup': 'reportSpeedup', '--sample-s': 'sampleS' }[name] as Exclude<keyof SoakOptions, 'twin' | 'dataDir'> | undefined;
    if (!key) throw new BenchOptionError(`soak: unknown option ${name} (--days, --wall-min, --baseline-days, --report-speedup, --sample-s, --twin, --data-dir)`);
    if (!(Number.isFinite(n) && n >= 0)) throw new BenchOptionError(`soak: ${name} must be a number ≥ 0, got "${value}"`);
    o[key] = n;
  }
  if (!(o.days > 0 && o.wallMin > 0 && o.sampleS > 0 && o.reportSpeedup > 0)) throw new BenchOptionError('soak: --days, --wall-min, --sample-s and --report-speedup must be > 0');
  if (o.baselineDays < 0) o.baselineDays = Math.min(o.days, 2);
  return o;
}

/**
 * Publish → WebSocket latency of every new report in the deltas (device ts is the simulator's wall
 * clock). A terminal entry also comes when the server changes a terminal's state with no new
 * report — the offline watchdog, a last will — and then carries its latest report's time, minutes
 * old at a soak's report rate: only an entry whose ts is newer than the last one seen for that
 * terminal is a report reaching the browser (a first-seen offline entry is not). A socket the
 * server drops (a client too slow through a stall) connects again, as a browser does, and the
 * drops are counted.
 */
function watchLive(httpUrl: string): { take(): number[]; reconnects(): number; close(): void } {
  let latencies: number[] = [];
  const lastReportTs = new Map<string, number>();
  let closed = false;
  let reconnects = 0;
  let socket: WebSocket;
  const open = (): void => {
    socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws/live`);
    socket.on('message', (data) => {
      const now = Date.now();
      const msg = JSON.parse(String(data)) as { type: string };
      if (msg.type !== 'delta') return;
      for (const t of (msg as DeltaMessage).terminals) {
        const last = lastReportTs.get(t.id);
        const newReport = last === undefined ? t.status !== 'offline' : t.ts > last;
        if (t.ts > (last ?? 0)) lastReportTs.set(t.id, t.ts);
        if (newReport && t.ts > 0 && latencies.length < 200_000) latencies.push(now - t.ts);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (closed) return;
      reconnects += 1;
      setTimeout(open, 1000).unref();
    });
  };
  open();
  return {
    take: () => {
      const taken = latencies;
      latencies = [];
      return taken.sort((a, b) => a - b);
    },
    reconnects: () => reconnects,
    close: () => {
      closed = true;
      socket.close();
    },
  };
}

/**
 * A run compresses days of case commits into minutes, and the case database commits with a full
 * sync: on this shared disk each fsync takes ~13 ms, which at a speed-up of hundreds alone would
 * starve the server. In memory (/dev/shm) the sizes are the same and the figure measured is the
 * server's, not the disk's.
 */
function defaultDataRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

async function runOnce(twinDir: string, staff: boolean, days: number, speedup: number, o: SoakOptions, log: (line: string) => void): Promise<SoakRun> {
  const dataDir = await mkdtemp(path.join(o.dataDir ?? defaultDataRoot(), 'citytwin-soak-'));
  let server: RunningServer | undefined;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  try {
    server = await startServer({
      twinDir,
      dataDir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      simulator: { speedup, reportSpeedup: Math.min(speedup, o.reportSpeedup), staffed: true, seed: 42 },
      staffSim: staff ? 'on' : 'off',
      cases: { supervisionIntervalMs: 2000 },
      logger: false,
    });
    const { app } = server;
    const live = watchLive(server.httpUrl);
    loop.enable();
    const samples: SoakRow[] = [];
    const start = Date.now();
    const simStart = app.staffSim.now();
    const wallMs = (days * DAY_MS) / speedup;
    let nextLog = 0;
    while (Date.now() - start < wallMs) {
      await sleep(o.sampleS * 1000);
      const simDay = ((Date.now() - start) * speedup) / DAY_MS;
      const lat = live.take();
      const row: SoakRow = { ...(await sampleSoak(app, simDay, speedup)), loadAvg1m: loadAvg1m(), loopLagP99Ms: round(loop.percentile(99) / 1e6, 1), liveP99Ms: lat.length ? percentile(lat, 99) : undefined };
      loop.reset();
      samples.push(row);
      if (simDay >= nextLog) {
        nextLog += days / 12;
        log(`  ${staff ? 'staffed' : 'baseline'} day ${simDay.toFixed(2)}: ${row.openAlarms} open alarms, ${row.openCases} open cases of ${row.cases} (${row.waiting.reported ?? 0} to register, ${row.waiting.registered ?? 0} to dispatch), load ${fmt(row.loadAvg1m, 1)}, rss ${fmt(row.rssBytes / MB)} MB, live p99 ${fmt(row.liveP99Ms)} ms`);
        const kinds = Object.entries(row.alarmsByKind).sort((a, b) => b[1].open - a[1].open);
        log(`    open alarms by kind (raised over a simulated day ago): ${kinds.map(([kind, n]) => `${kind} ${n.open} (${n.overDay})`).join(', ')}`);
      }
    }
    if (live.reconnects() > 0) log(`  ${staff ? 'staffed' : 'baseline'}: the live socket was dropped and connected again ${live.reconnects()} times`);
    live.close();
    // The staffed run is judged after its first simulated day; the baseline shows its growth over all of it.
    const warmupDays = staff ? 1 : 0;
    const series = (pick: (s: SoakRow) => number | undefined, floor: number) =>
      growth(samples.filter((s) => pick(s) !== undefined).map((s) => ({ simDay: s.simDay, value: pick(s)! })), { floor, warmupDays });
    return {
      staff,
      speedup,
      samples,
      growth: {
        openAlarms: series((s) => s.openAlarms, 10),
        openCases: series((s) => s.openCases, 10),
        snapshotBytes: series((s) => s.snapshotBytes, 16_384),
        rssBytes: series((s) => s.rssBytes, 64 * MB),
        heapBytes: series((s) => s.heapBytes, 48 * MB),
        loopLagP99Ms: series((s) => s.loopLagP99Ms, 50),
        liveP99Ms: series((s) => s.liveP99Ms, 250),
        databaseBytes: series((s) => s.databaseBytes, 0),
        historyBytes: series((s) => s.historyBytes, 0),
        cases: series((s) => s.cases, 0),
      },
      actions: { ...(app.staffSim.stats()?.actions ?? {}) },
      // Staff off: the cases run on the wall clock, a simulated day is DAY_MS / speedup of it.
      flow: staff ? caseFlow(await allCases(app), simStart + warmupDays * DAY_MS, app.staffSim.now()) : caseFlow(await allCases(app), simStart, app.staffSim.now(), DAY_MS / speedup),
    };
  } finally {
    loop.disable();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const FLAT = ['openAlarms', 'openCases', 'snapshotBytes', 'rssBytes', 'heapBytes', 'loopLagP99Ms', 'liveP99Ms'] as const;

export async function runSoakBench(log: (line: string) => void, argv: readonly string[]): Promise<SoakBenchResults> {
  const o = parseSoakOptions(argv);
  const machine = machineInfo();
  const speedup = round((o.days * DAY_MS) / (o.wallMin * 60_000), 1);
  log(`soak: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAvg1m}`);
  log(`soak: ${o.days} simulated days in ${o.wallMin} min (clock ×${speedup}, reports ×${Math.min(speedup, o.reportSpeedup)}), baseline ${o.baselineDays} days, a sample every ${o.sampleS} s`);
  const demo = o.twin ? { dir: path.resolve(o.twin), origin: o.twin, cleanup: async () => undefined } : await openDemoTwin(log);
  try {
    const staffed = await runOnce(demo.dir, true, o.days, speedup, o, log);
    const baseline = o.baselineDays > 0 ? await runOnce(demo.dir, false, o.baselineDays, speedup, o, log) : undefined;

    const mb = (b: number) => fmt(b / MB, 1);
    for (const run of [staffed, baseline]) {
      if (!run) continue;
      const loads = run.samples.map((s) => s.loadAvg1m);
      log(`${run.staff ? 'staffed' : 'baseline (staff off)'}, per simulated day (load average ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} during it; waiting: open cases by the step they wait in at the day's end):`);
      for (const line of dailyTable(run.samples)) log(`  ${line}`);
      log(`  ${run.staff ? 'staffed' : 'baseline'} case flow:`);
      for (const line of flowTables(run.flow)) log(`    ${line}`);
    }
    const g = staffed.growth;
    const perDay = (name: string, x: Growth, unit: (v: number) => string, daily?: { highPerDay: number; lowPerDay: number }) => [
      name,
      unit(x.level),
      unit(x.max),
      unit(x.perDay),
      daily ? `${unit(daily.highPerDay)} / ${unit(daily.lowPerDay)}` : '',
      x.bounded ? 'flat' : 'GROWS',
    ];
    const daily = (pick: (s: SoakRow) => number) => dailyGrowth(staffed.samples, pick);
    log('growth after the first simulated day (staffed): level, max, least-squares per simulated day, and of the daily highs / lows');
    for (const line of table(['figure', 'level', 'max', 'per sim day', 'daily high / low per day', ''], [
      perDay('open alarms', g.openAlarms!, (v) => fmt(v, 1), daily((s) => s.openAlarms)),
      perDay('open cases', g.openCases!, (v) => fmt(v, 1), daily((s) => s.openCases)),
      perDay('snapshot KB', g.snapshotBytes!, (v) => fmt(v / 1024, 1)),
      perDay('RSS MB', g.rssBytes!, (v) => fmt(v / MB, 1)),
      perDay('heap MB', g.heapBytes!, (v) => fmt(v / MB, 1)),
      perDay('loop lag p99 ms', g.loopLagP99Ms!, (v) => fmt(v, 1)),
      perDay('live p99 ms', g.liveP99Ms!, (v) => fmt(v, 0)),
      perDay('case database MB', g.databaseBytes!, (v) => fmt(v / MB, 2)),
      perDay('history MB', g.historyBytes!, (v) => fmt(v / MB, 2)),
      perDay('cases opened', g.cases!, (v) => fmt(v, 0)),
    ]))
      log(`  ${line}`);
    const casesPerDay = g.cases!.perDay;
    const kbPerCase = casesPerDay > 0 ? g.databaseBytes!.perDay / 1024 / casesPerDay : 0;
    log(`  case database: ${fmt(casesPerDay)} cases per simulated day, ${fmt(kbPerCase, 1)} KB each with reports and events — records kept for good (KPIs, audit)`);
    log(`  history: ${mb(g.historyBytes!.perDay)} MB per simulated day = ${mb(g.historyBytes!.perDay / (DAY_MS / speedup / 3_600_000))} MB per wall hour at this report rate; raw points are kept 7 days of wall time (docs/history.md), so it stops growing after 7 wall days`);
    log(`  staff actions: ${Object.entries(staffed.actions).map(([a, n]) => `${a} ${n}`).join(', ')}`);

    const flat = FLAT.filter((name) => !g[name]!.bounded);
    const lastOpen = staffed.samples[staffed.samples.length - 1]?.openCases ?? 0;
    const baseOpen = baseline?.samples[baseline.samples.length - 1]?.openCases;
    const baseGrowth = baseline?.growth.openCases;
    if (baseline && baseGrowth) {
      log(`baseline (staff off, ${o.baselineDays} days): open cases +${fmt(baseGrowth.perDay)} per simulated day, open alarms +${fmt(baseline.growth.openAlarms!.perDay)} per day; at its end ${baseOpen} open cases vs ${baseline.samples.length ? (staffed.samples.find((s) => s.simDay >= o.baselineDays)?.openCases ?? lastOpen) : '–'} staffed at the same simulated day`);
    }
    const measured =
      `${flat.length === 0 ? 'all flat' : `growing: ${flat.join(', ')}`}; open cases ${fmt(g.openCases!.level)} (${fmt(g.openCases!.perDay, 1)}/day), open alarms ${fmt(g.openAlarms!.level)} (${fmt(g.openAlarms!.perDay, 1)}/day)` +
      (baseGrowth ? `; baseline open cases +${fmt(baseGrowth.perDay)}/day` : '');
    const v = verdict(
      `open alarms, open cases, snapshot, RSS, heap, loop lag and live p99 flat after the first simulated day of ${o.days}`,
      measured,
      staffed.samples.length >= 4 ? flat.length === 0 : undefined,
      loadAvg1m(),
    );
    log(verdictLine('soak', v));
    const results: SoakBenchResults = { benchmark: 'soak', machine, options: o, staffed, baseline, verdict: v };
    log(`soak: results in ${await writeResults('soak', results)}`);
    return results;
  } finally {
    await demo.cleanup();
  }
}
