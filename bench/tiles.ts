/**
 * Tiling benchmark. Every case runs in a fresh child process (bench/tiles/child.ts), timed inside
 * the child from the first file read to the last file written — parsing, validation and placement
 * on the DEM included — with the child's own peak memory (max RSS). Inputs are files written
 * beforehand by this process (bench/tiles/inputs.ts) and the demo city generator.
 *
 * Cases:
 * - buildings: 25,000 and 100,000 synthetic footprints + a DEM → L2 tiles, and → L2 + L3 tiles;
 * - components: 250,000 and 1,000,000 synthetic component points + a DEM → L4 instanced tiles;
 * - demo: `buildTwin` on the demo city (seed 42) with 1 worker and with 2 (the speed-up of the
 *   basemap's worker thread, same run), stage by stage.
 *
 * Baseline, same run, same files: a fresh child that reads the same GeoJSON file and
 * `JSON.parse`s it (best of PARSE_RUNS children) — the least any tiler of that file does.
 * Reported as our time ÷ that time.
 *
 * Published figures of other tilers (pg2b3dm for buildings, i3dm.export for instances) were
 * measured by their authors on other hardware from other inputs: printed beside ours for
 * orientation, labelled so, never divided by our CPU time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateDemoCity } from '../demo/index';
import { ChildHandle } from './support/childProcess';
import { DEMO_SEED } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { round } from './support/stats';
import { fmt, table } from './support/table';
import { BUILDINGS_FILE, COMPONENTS_FILE, type CaseResult, type FromChild, type TilesCase, type ToChild } from './tiles/cases';
import { writeSyntheticBuildings, writeSyntheticComponents } from './tiles/inputs';

/** TILES_BENCH_SCALE=0.01 shrinks the synthetic cases for a quick check of the benchmark itself. */
const SCALE = Number(process.env.TILES_BENCH_SCALE ?? 1) > 0 ? Number(process.env.TILES_BENCH_SCALE ?? 1) : 1;
const BUILDING_COUNTS = [25_000, 100_000].map((n) => Math.round(n * SCALE));
const INSTANCE_COUNTS = [250_000, 1_000_000].map((n) => Math.round(n * SCALE));
/** Baseline children per file; the fastest counts (the baseline at its best). */
const PARSE_RUNS = 2;
const CHILD_TIMEOUT_MS = 15 * 60_000;

/**
 * Throughput other tilers' authors published, on their hardware and data (not measured here).
 * Sources: pg2b3dm, https://github.com/Geodan/pg2b3dm (README and docs); i3dm.export,
 * https://github.com/Geodan/i3dm.export (README). The figures are the ones this project has
 * quoted since 2026-11; they are orientation, not a same-machine comparison.
 */
export const PUBLISHED = {
  pg2b3dm: { buildingsPerS: { low: 1_400, high: 3_800 }, source: 'https://github.com/Geodan/pg2b3dm' },
  i3dmExport: { instancesPerS: 12_000, source: 'https://github.com/Geodan/i3dm.export' },
} as const;

/** Goals the verdict checks. */
export const GOALS = {
  /** Demo build, 2 workers ÷ 1 worker, wall time, same run. */
  demoSpeedup: 1.2,
  /** L2 buildings/s and L4 instances/s at the larger size, wall, ≥ the published figure × this. */
  vsPublished: 1,
} as const;

export interface CaseRow extends CaseResult {
  what: string;
  /** Items per wall second. */
  perS: number;
  /** Our seconds ÷ the baseline child's seconds on the same file. */
  vsParse: number;
  /** perS ÷ the published figure (other hardware; orientation only), where there is one. */
  vsPublished?: number;
}

export interface TilesResults {
  benchmark: 'tiles';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  cases: CaseRow[];
  /** Baseline children: best of PARSE_RUNS per file. */
  parse: Array<{ file: string; items: number; seconds: number; maxRssMiB: number }>;
  demo: { seed: number; workers1: CaseResult; workers2: CaseResult; speedup: number };
  published: typeof PUBLISHED;
  goals: typeof GOALS;
  verdict: { pass: boolean; line: string };
}

function runCase(spec: TilesCase): Promise<CaseResult> {
  const child = ChildHandle.fork<FromChild, ToChild>(new URL('./tiles/child.ts', import.meta.url), { name: `tiles ${spec.kind} child`, stop: { type: 'stop' }, stopGraceMs: 2_000 });
  return child.ask({ type: 'run', spec }, 'result', CHILD_TIMEOUT_MS).then(
    async (m) => {
      await child.stop();
      return m.result;
    },
    async (err: unknown) => {
      await child.kill();
      throw err;
    },
  );
}

async function parseFloor(file: string): Promise<CaseResult> {
  let best: CaseResult | undefined;
  for (let r = 0; r < PARSE_RUNS; r++) {
    const x = await runCase({ kind: 'parse', file });
    if (!best || x.seconds < best.seconds) best = x;
  }
  return best!;
}

function row(what: string, r: CaseResult, floor: CaseResult, published?: number): CaseRow {
  const perS = round(r.items / r.seconds);
  return {
    what,
    ...r,
    seconds: round(r.seconds, 3),
    cpuSeconds: round(r.cpuSeconds, 3),
    maxRssMiB: round(r.maxRssMiB),
    perS,
    vsParse: round(r.seconds / floor.seconds, 1),
    ...(published ? { vsPublished: round(perS / published, 2) } : {}),
  };
}

export async function runTilesBench(log: (line: string) => void): Promise<TilesResults> {
  const machine = machineInfo();
  const tmp = await mkdtemp(path.join(tmpdir(), 'citytwin-bench-tiles-'));
  log(`tiles: every case in a fresh child process, in ${tmp} (load avg ${machine.loadAvg1m} on ${machine.cores} cores)`);
  try {
    const cases: CaseRow[] = [];
    const parse: TilesResults['parse'] = [];
    const clean = (dir: string) => rm(dir, { recursive: true, force: true });

    for (const count of BUILDING_COUNTS) {
      const src = path.join(tmp, `buildings-${count}`);
      log(`  ${fmt(count)} buildings: writing the input …`);
      await writeSyntheticBuildings(src, count);
      const floor = await parseFloor(path.join(src, BUILDINGS_FILE));
      parse.push({ file: `buildings-${count}/${BUILDINGS_FILE}`, items: floor.items, seconds: round(floor.seconds, 3), maxRssMiB: round(floor.maxRssMiB) });
      for (const architecture of [false, true]) {
        const what = `buildings ${architecture ? 'L2+L3' : 'L2'}`;
        log(`  ${fmt(count)} ${what} …`);
        const out = path.join(tmp, 'out');
        const r = await runCase({ kind: 'buildings', sourceDir: src, outDir: out, architecture });
        await clean(out);
        cases.push(row(what, r, floor, PUBLISHED.pg2b3dm.buildingsPerS.high));
      }
      await clean(src);
    }
    for (const count of INSTANCE_COUNTS) {
      const src = path.join(tmp, `components-${count}`);
      log(`  ${fmt(count)} components: writing the input …`);
      await writeSyntheticComponents(src, count);
      const floor = await parseFloor(path.join(src, COMPONENTS_FILE));
      parse.push({ file: `components-${count}/${COMPONENTS_FILE}`, items: floor.items, seconds: round(floor.seconds, 3), maxRssMiB: round(floor.maxRssMiB) });
      log(`  ${fmt(count)} components L4 …`);
      const out = path.join(tmp, 'out');
      const r = await runCase({ kind: 'components', sourceDir: src, outDir: out });
      await clean(out);
      await clean(src);
      cases.push(row('components L4', r, floor, PUBLISHED.i3dmExport.instancesPerS));
    }

    log(`  demo city (seed ${DEMO_SEED}): generating, then buildTwin with 1 and 2 workers …`);
    const sourceDir = path.join(tmp, 'demo-source');
    await generateDemoCity({ seed: DEMO_SEED, outDir: sourceDir });
    const workers1 = await runCase({ kind: 'demo', sourceDir, outDir: path.join(tmp, 'demo-1'), workers: 1 });
    const workers2 = await runCase({ kind: 'demo', sourceDir, outDir: path.join(tmp, 'demo-2'), workers: 2 });
    const demo = { seed: DEMO_SEED, workers1, workers2, speedup: round(workers1.seconds / workers2.seconds, 2) };

    const results: TilesResults = { benchmark: 'tiles', machine, loadAvg1mEnd: loadAvg1m(), cases, parse, demo, published: PUBLISHED, goals: GOALS, verdict: verdict(cases, demo.speedup) };
    report(results, log);
    log(`  wrote ${await writeResults('tiles', results)}`);
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function verdict(cases: CaseRow[], speedup: number): TilesResults['verdict'] {
  const largest = (what: string) => cases.filter((c) => c.what === what).sort((a, b) => b.items - a.items)[0];
  const l2 = largest('buildings L2');
  const l4 = largest('components L4');
  const checks = [
    { ok: speedup >= GOALS.demoSpeedup, text: `demo build 2 workers ÷ 1 worker ${fmt(speedup, 2)}× (goal ≥ ${GOALS.demoSpeedup}×)` },
    {
      ok: (l2?.vsPublished ?? 0) >= GOALS.vsPublished,
      text: `L2 ${fmt(l2?.items ?? 0)} buildings ${fmt(l2?.perS ?? 0)}/s vs pg2b3dm's published ${fmt(PUBLISHED.pg2b3dm.buildingsPerS.high)}/s (other hardware) ${fmt(l2?.vsPublished ?? 0, 2)}×`,
    },
    {
      ok: (l4?.vsPublished ?? 0) >= GOALS.vsPublished,
      text: `L4 ${fmt(l4?.items ?? 0)} instances ${fmt(l4?.perS ?? 0)}/s vs i3dm.export's published ${fmt(PUBLISHED.i3dmExport.instancesPerS)}/s (other hardware) ${fmt(l4?.vsPublished ?? 0, 2)}×`,
    },
  ];
  const pass = checks.every((c) => c.ok);
  return { pass, line: `verdict: ${pass ? 'PASS' : 'FAIL'} — ${checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.text}`).join('; ')}` };
}

function report(r: TilesResults, log: (line: string) => void): void {
  log('');
  log(`Tiles — ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, load avg (1 min) ${r.machine.loadAvg1m} at start → ${r.loadAvg1mEnd} at end`);
  log('Each case in a fresh child process, timed inside it from the first read to the last write (parse, validation, placement on the DEM included); peak = the child\'s max RSS.');
  const rows = r.cases.map((c) => [
    c.what,
    fmt(c.items),
    fmt(c.seconds, 2),
    fmt(c.perS),
    fmt(c.cpuSeconds, 2),
    fmt(c.bytes / c.items),
    fmt(c.maxRssMiB),
    `${fmt(c.vsParse, 1)}×`,
    c.vsPublished === undefined ? '' : `${fmt(c.vsPublished, 2)}×`,
  ]);
  for (const line of table(['case', 'items', 'wall s', 'items/s (wall)', 'CPU s', 'bytes/item', 'peak RSS MiB', '÷ parse time', 'vs published*'], rows)) log(`  ${line}`);
  log(`  baseline (same run, same files): a fresh child reading the file and JSON.parse-ing it, best of ${PARSE_RUNS}:`);
  for (const p of r.parse) log(`    ${p.file}: ${fmt(p.seconds, 3)} s (${fmt(p.items / p.seconds)} features/s), peak RSS ${fmt(p.maxRssMiB)} MiB`);
  log(`  * published on other hardware and data, not measured here: pg2b3dm ${fmt(PUBLISHED.pg2b3dm.buildingsPerS.low)}–${fmt(PUBLISHED.pg2b3dm.buildingsPerS.high)} buildings/s (${PUBLISHED.pg2b3dm.source}; ratio against ${fmt(PUBLISHED.pg2b3dm.buildingsPerS.high)}), i3dm.export ${fmt(PUBLISHED.i3dmExport.instancesPerS)} instances/s (${PUBLISHED.i3dmExport.source}). Wall-clock rates on both sides.`);
  log('');
  const d = r.demo;
  log(`Demo city (seed ${d.seed}), buildTwin from city.json to the written package, each in a fresh child:`);
  const stages = Object.keys(d.workers1.timingsS ?? {});
  const stageRows = stages.map((s) => [s, fmt(d.workers1.timingsS?.[s] ?? Number.NaN, 2), fmt(d.workers2.timingsS?.[s] ?? Number.NaN, 2)]);
  stageRows.push(['child wall', fmt(d.workers1.seconds, 2), fmt(d.workers2.seconds, 2)]);
  stageRows.push(['child CPU', fmt(d.workers1.cpuSeconds, 2), fmt(d.workers2.cpuSeconds, 2)]);
  stageRows.push(['peak RSS MiB', fmt(d.workers1.maxRssMiB), fmt(d.workers2.maxRssMiB)]);
  for (const line of table(['stage (s)', '1 worker', '2 workers'], stageRows)) log(`  ${line}`);
  log(`  with 2 workers the basemap runs on its own thread alongside terrain … interiors, so stage seconds overlap; speed-up ${fmt(d.speedup, 2)}× (wall)`);
  log('');
  log(r.verdict.line);
}
