/**
 * Tiling benchmark, two parts.
 *
 * Scale: a synthetic city of 100,000 buildings (and 25,000, to show memory does not grow with
 * the city) through the L2 + L3 tiler, and a field of 1,000,000 component instances (and
 * 250,000) through the L4 tiler: items/s, bytes per item, and resident memory above what the
 * input itself takes (peak RSS while tiling − RSS before, after a GC). Compared with the
 * published figures of the best open tilers — pg2b3dm about 1,400–3,800 buildings/s, i3dm.export
 * about 12,000 instances/s — and with a baseline measured in the same run: `JSON.parse` of the
 * same features as GeoJSON, the floor any tiler that reads GeoJSON pays.
 *
 * Demo: `buildTwin` on the demo city (seed 42), stage by stage.
 *
 * The demo city is generated into a temporary folder and tiled there (removed afterwards). Each
 * stage's seconds come from the build's own report (`timingsS`), its work from the report's layer
 * counts, the progress totals and the files written: features read/s, features placed/s,
 * terrain tiles/s, buildings/s, basemap Mpx/s, layer records/s.
 *
 * Baseline, same run, same files: reading every source file and `JSON.parse`-ing it (the DEM, an
 * ESRI ASCII grid, split into numbers) — the I/O + parse floor any tiler of these files pays.
 * The ratio total build time ÷ parse time says how far above that floor the build is.
 */
import { open, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../kernel/random';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BUILDING_USES, type BuildingUse, type CitySourceManifest } from '../domain/citySource';
import { EnuFrame } from '../kernel/geodesy';
import { buildBuildingTiles } from '../tiles/pipeline/buildings/index';
import { buildComponentTiles } from '../tiles/pipeline/components/index';
import type { ComponentInstance } from '../tiles/pipeline/components/componentGlb';
import { COMPONENT_MODELS } from '../tiles/pipeline/components/models';
import type { PlacedBuilding } from '../tiles/pipeline/ground';
import { buildTwin } from '../tiles/pipeline/index';
import { generateDemoCity } from '../demo/index';
import { DEMO_SEED } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { median, round } from './support/stats';
import { fmt, table } from './support/table';

/** Baseline repetitions (median reported): cheap next to the build, and steadier on a shared machine. */
const PARSE_RUNS = 5;

export interface StageResult {
  stage: string;
  seconds: number;
  /** What the stage produces or consumes, and how much of it. */
  unit: string;
  amount: number;
  perS: number;
}

export interface ParseFloor {
  /** Median over PARSE_RUNS of reading + parsing every source file. */
  seconds: number;
  jsonSeconds: number;
  demSeconds: number;
  files: number;
  bytes: number;
}

/** Published throughput of the best open tilers (their READMEs and talks, on their own hardware). */
export const PUBLISHED = {
  pg2b3dmBuildingsPerS: { low: 1_400, high: 3_800 },
  i3dmExportInstancesPerS: 12_000,
} as const;

export interface ScaleRun {
  what: string;
  count: number;
  seconds: number;
  perS: number;
  /** CPU seconds the process spent (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  perCpuS: number;
  bytes: number;
  bytesPerItem: number;
  /** RSS with the input in memory, before tiling (MiB). */
  rssBeforeMiB: number;
  /** Highest RSS seen while tiling (MiB). */
  peakRssMiB: number;
  /** Peak − before: what tiling adds on top of its input (MiB). */
  growthMiB: number;
  /** perS ÷ the published figure (pg2b3dm's best or i3dm.export's). */
  vsPublished: number;
  /** perCpuS ÷ the published figure: the comparison that holds on a shared machine. */
  vsPublishedCpu: number;
  /** perS ÷ the GeoJSON parse floor's items/s. */
  vsParse: number;
}

export interface ScaleResults {
  runs: ScaleRun[];
  /** Items per second `JSON.parse` reads as GeoJSON features. */
  parseBuildingsPerS: number;
  parseInstancesPerS: number;
}

export interface TilesResults {
  benchmark: 'tiles';
  machine: MachineInfo;
  scale: ScaleResults;
  loadAvg1mEnd: number;
  seed: number;
  generateS: number;
  source: { files: number; bytes: number; features: number };
  stages: StageResult[];
  totalS: number;
  baseline: ParseFloor;
  /** Total build seconds ÷ parse-floor seconds. */
  buildVsParse: number;
  /** The build's read stage (read + validate) ÷ parse-floor seconds. */
  readVsParse: number;
}

export async function runTilesBench(log: (line: string) => void): Promise<TilesResults> {
  const machine = machineInfo();
  const tmp = await mkdtemp(path.join(tmpdir(), 'citytwin-bench-tiles-'));
  try {
    const scale = await runScale(tmp, log);
    const sourceDir = path.join(tmp, 'source');
    const outDir = path.join(tmp, 'twin');
    log(`tiles: demo city (seed ${DEMO_SEED}) → buildTwin, in ${tmp}`);
    const g0 = performance.now();
    await generateDemoCity({ seed: DEMO_SEED, outDir: sourceDir });
    const generateS = (performance.now() - g0) / 1000;

    const files = await sourceFiles(sourceDir);
    const before = await parseFloor(files, PARSE_RUNS);

    const totals = new Map<string, number>();
    log('  building …');
    const report = await buildTwin({ sourceDir, outDir, onProgress: (stage, _done, total) => totals.set(stage, total) });
    const after = await parseFloor(files, PARSE_RUNS);
    // Before and after the build: the floor is the better of the two, so load on the machine while
    // one was measured does not flatter the ratio.
    const baseline = before.seconds <= after.seconds ? before : after;

    const t = report.timingsS;
    const written = (layer: string): number => report.layers[layer]?.written ?? 0;
    const read = Object.values(report.layers).reduce((n, l) => n + l.read, 0);
    const basemap = await pngSize(path.join(outDir, 'imagery', 'basemap.png'));
    const layerRecords = Object.entries(report.layers).reduce((n, [name, l]) => (name === 'landuse' ? n : n + l.written), 0);
    const stage = (name: string, unit: string, amount: number): StageResult => {
      const seconds = t[name] ?? Number.NaN;
      return { stage: name, seconds, unit, amount, perS: round(amount / seconds) };
    };
    const stages: StageResult[] = [
      stage('read', 'features read', read),
      stage('ground', 'features placed', written('buildings') + written('poles') + written('components')),
      stage('terrain', 'terrain tiles', totals.get('terrain') ?? (await countFiles(path.join(outDir, 'terrain'), '.terrain'))),
      stage('buildings', 'buildings (L2 + L3)', written('buildings')),
      stage('components', 'instances (L4)', report.levels?.components?.instances ?? 0),
      stage('interiors', 'interiors (L5)', report.levels?.interiors?.contents ?? 0),
      stage('basemap', 'Mpx', round((basemap.width * basemap.height) / 1e6, 2)),
      stage('layers', 'records', layerRecords),
    ];
    const totalS = t.total ?? Number.NaN;

    const results: TilesResults = {
      benchmark: 'tiles',
      machine,
      scale,
      loadAvg1mEnd: loadAvg1m(),
      seed: DEMO_SEED,
      generateS: round(generateS, 3),
      source: { files: files.length, bytes: baseline.bytes, features: read },
      stages,
      totalS,
      baseline,
      buildVsParse: round(totalS / baseline.seconds, 2),
      readVsParse: round((t.read ?? Number.NaN) / baseline.seconds, 2),
    };
    reportTiles(results, totals.get('buildings'), log);
    log(`  wrote ${await writeResults('tiles', results)}`);
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** city.json and every file it names, DEM first. */
async function sourceFiles(dir: string): Promise<string[]> {
  const manifestFile = path.join(dir, 'city.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as CitySourceManifest;
  return [manifestFile, ...Object.values(manifest.layers).filter((f): f is string => typeof f === 'string').map((f) => path.join(dir, f))];
}

/** Reads and parses every file `runs` times; returns the median run. */
async function parseFloor(files: readonly string[], runs: number): Promise<ParseFloor> {
  const samples: ParseFloor[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    let json = 0;
    let dem = 0;
    let bytes = 0;
    for (const file of files) {
      const t0 = performance.now();
      const text = await readFile(file, 'utf8');
      bytes += Buffer.byteLength(text);
      if (file.endsWith('.asc')) {
        sink += parseGridNumbers(text);
        dem += performance.now() - t0;
      } else {
        sink += JSON.parse(text) === null ? 0 : 1;
        json += performance.now() - t0;
      }
    }
    samples.push({ seconds: (json + dem) / 1000, jsonSeconds: json / 1000, demSeconds: dem / 1000, files: files.length, bytes });
  }
  if (sink === -1) console.log('unreachable: keeps the parsed results alive');
  const mid = median(samples.map((s) => s.seconds));
  const chosen = samples.find((s) => s.seconds === mid)!;
  return { ...chosen, seconds: round(chosen.seconds, 4), jsonSeconds: round(chosen.jsonSeconds, 4), demSeconds: round(chosen.demSeconds, 4) };
}

/** The least an ASCII grid reader can do: every token after the header to a float. Returns the cell count. */
function parseGridNumbers(text: string): number {
  const tokens = text.split(/\s+/);
  let i = 0;
  while (i < tokens.length && /^[A-Za-z]/.test(tokens[i]!)) i += 2;
  const values = new Float32Array(tokens.length - i);
  let n = 0;
  for (; i < tokens.length; i++) if (tokens[i] !== '') values[n++] = Number(tokens[i]);
  return n;
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23). */
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(24);
    await handle.read(head, 0, 24, 0);
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  } finally {
    await handle.close();
  }
}

async function countFiles(dir: string, suffix: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true });
  let n = 0;
  for (const e of entries) if (e.endsWith(suffix) && (await stat(path.join(dir, e))).isFile()) n += 1;
  return n;
}

function reportTiles(r: TilesResults, buildingTiles: number | undefined, log: (line: string) => void): void {
  reportScale(r.scale, log);
  log('');
  log(`Tiles — ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, load avg ${r.machine.loadAvg1m} → ${r.loadAvg1mEnd}`);
  log(`demo city seed ${r.seed}: generated in ${fmt(r.generateS, 2)} s; source ${r.source.files} files, ${fmt(r.source.bytes / 1e6, 1)} MB, ${fmt(r.source.features)} features`);
  log('');
  const rows = r.stages.map((s) => [s.stage, fmt(s.seconds, 3), fmt(s.amount, s.unit === 'Mpx' ? 2 : 0), s.unit, fmt(s.perS, s.unit === 'Mpx' ? 2 : 0), `${fmt((100 * s.seconds) / r.totalS, 0)} %`]);
  rows.push(['total', fmt(r.totalS, 3), '', '', '', '100 %']);
  for (const line of table(['stage', 'seconds', 'amount', 'unit', 'per second', 'share'], rows)) log(`  ${line}`);
  if (buildingTiles !== undefined) log(`  (buildings went into ${buildingTiles} glb tiles)`);
  log('');
  log(`Baseline: read + JSON.parse every source file (DEM: split into numbers), median of ${PARSE_RUNS}`);
  log(`  ${fmt(r.baseline.seconds, 3)} s (JSON ${fmt(r.baseline.jsonSeconds, 3)} s, DEM ${fmt(r.baseline.demSeconds, 3)} s) for ${fmt(r.baseline.bytes / 1e6, 1)} MB`);
  log(`  ratio total build ÷ parse floor: ${fmt(r.buildVsParse, 1)}×; read stage (read + validate) ÷ parse floor: ${fmt(r.readVsParse, 2)}×`);
}

// ---------------------------------------------------------------------------------------------
// Scale: synthetic cities through the L2 + L3 and L4 tilers.

const BUILDING_COUNTS = [25_000, 100_000];
const INSTANCE_COUNTS = [250_000, 1_000_000];
const BENCH_CENTRE = { lon: 113.7, lat: 22.83 };
const MIB = 2 ** 20;

/** A full collection when the process allows it (v8 flag set at run time): steadier RSS readings. */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return gc ?? (() => undefined);
})();


/** Local metres east/north of the centre → lon/lat (equirectangular: fine over tens of km). */
function benchLonLat(e: number, n: number): [number, number] {
  return [BENCH_CENTRE.lon + e / (111_320 * Math.cos((BENCH_CENTRE.lat * Math.PI) / 180)), BENCH_CENTRE.lat + n / 110_574];
}

const benchGround = (e: number, n: number) => Math.round((5 + 20 * Math.sin(e / 3000) * Math.cos(n / 2500)) * 100) / 100;

/** `count` buildings, four to a 60 m street block: rectangles, L-shapes, courtyards; 1–40 storeys. */
export function syntheticBuildings(count: number, seed = 7): PlacedBuilding[] {
  const rnd = mulberry32(seed);
  const perSide = Math.ceil(Math.sqrt(count / 4));
  const out: PlacedBuilding[] = [];
  for (let i = 0; i < count; i++) {
    const block = Math.floor(i / 4);
    const e = (block % perSide) * 60 - perSide * 30 + (i % 2) * 26 + 2;
    const n = Math.floor(block / perSide) * 60 - perSide * 30 + (Math.floor(i / 2) % 2) * 26 + 2;
    const w = 12 + rnd() * 10;
    const d = 10 + rnd() * 12;
    const shape = rnd();
    const ring = (pts: Array<[number, number]>) => [...pts, pts[0]!].map(([x, y]) => benchLonLat(e + x, n + y));
    const box = ring([[0, 0], [w, 0], [w, d], [0, d]]);
    const rings =
      shape < 0.7
        ? [box]
        : shape < 0.9
          ? [ring([[0, 0], [w, 0], [w, d / 2], [w / 2, d / 2], [w / 2, d], [0, d]])]
          : [box, ring([[w / 3, d / 3], [w / 3, (2 * d) / 3], [(2 * w) / 3, (2 * d) / 3], [(2 * w) / 3, d / 3]])];
    const floors = 1 + Math.floor(rnd() ** 2 * 40);
    const use: BuildingUse = BUILDING_USES[Math.floor(rnd() * BUILDING_USES.length)]!;
    const [lon, lat] = benchLonLat(e + w / 2, n + d / 2);
    out.push({
      index: i,
      geometry: { type: 'Polygon', coordinates: rings },
      properties: { id: `B${i}`, height: Math.round(floors * 32) / 10, floors, use },
      groundHeight: benchGround(e, n),
      lon,
      lat,
    });
  }
  return out;
}

/** `count` component instances of every model on an 8 m grid. */
export function syntheticInstances(count: number, seed = 11): ComponentInstance[] {
  const rnd = mulberry32(seed);
  const perSide = Math.ceil(Math.sqrt(count));
  const out: ComponentInstance[] = [];
  for (let i = 0; i < count; i++) {
    const e = (i % perSide) * 8 - perSide * 4 + rnd() * 2;
    const n = Math.floor(i / perSide) * 8 - perSide * 4 + rnd() * 2;
    const [lon, lat] = benchLonLat(e, n);
    const model = COMPONENT_MODELS[i % COMPONENT_MODELS.length]!;
    const code = `441900${String(101 + (i % 9)).padStart(4, '0')}${String(i % 1_000_000).padStart(6, '0')}`;
    out.push({
      id: code,
      code,
      classCode: code.slice(6, 10),
      model,
      groundHeight: benchGround(e, n),
      lon,
      lat,
      mountM: model === 'camera' ? 6 : 0,
      yawDeg: Math.round(rnd() * 360),
      scaleY: model === 'street-lamp' ? 0.8 + rnd() * 0.4 : 1,
    });
  }
  return out;
}

/** Runs `work` while sampling RSS every 10 ms; returns seconds, bytes written and memory. */
async function measured(work: () => Promise<number>): Promise<{ seconds: number; cpuSeconds: number; bytes: number; before: number; peak: number }> {
  collectGarbage();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const bytes = await work();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, before, peak };
  } finally {
    clearInterval(timer);
  }
}

/** Seconds `JSON.parse` takes over the items as a GeoJSON FeatureCollection text (best of 3). */
function parseSeconds(features: unknown[]): number {
  const text = JSON.stringify({ type: 'FeatureCollection', features });
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const parsed = JSON.parse(text) as { features: unknown[] };
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (parsed.features.length !== features.length) throw new Error('parse floor: feature count changed');
  }
  return best;
}

async function runScale(tmp: string, log: (line: string) => void): Promise<ScaleResults> {
  const frame = new EnuFrame(BENCH_CENTRE.lon, BENCH_CENTRE.lat, 0);
  const runs: ScaleRun[] = [];
  let parseBuildingsPerS = Number.NaN;
  let parseInstancesPerS = Number.NaN;
  const row = (what: string, count: number, m: Awaited<ReturnType<typeof measured>>, published: number, parsePerS: number): ScaleRun => {
    const perS = round(count / m.seconds);
    return {
      what,
      count,
      seconds: round(m.seconds, 3),
      perS,
      cpuSeconds: round(m.cpuSeconds, 3),
      perCpuS: round(count / m.cpuSeconds),
      bytes: m.bytes,
      bytesPerItem: round(m.bytes / count),
      rssBeforeMiB: round(m.before / MIB),
      peakRssMiB: round(m.peak / MIB),
      growthMiB: round((m.peak - m.before) / MIB),
      vsPublished: round(perS / published, 1),
      vsPublishedCpu: round(count / m.cpuSeconds / published, 1),
      vsParse: round(perS / parsePerS, 2),
    };
  };

  for (const count of BUILDING_COUNTS) {
    log(`  scale: ${count.toLocaleString('en-US')} synthetic buildings …`);
    let buildings: PlacedBuilding[] | undefined = syntheticBuildings(count);
    if (count === BUILDING_COUNTS[BUILDING_COUNTS.length - 1]) {
      parseBuildingsPerS = round(count / parseSeconds(buildings.map((b) => ({ type: 'Feature', geometry: b.geometry, properties: b.properties }))));
    }
    const dir = path.join(tmp, `scale-buildings-${count}`);
    const l2 = await measured(async () => (await buildBuildingTiles({ buildings: buildings!, frame, outDir: path.join(dir, 'l2') })).bytes);
    await rm(dir, { recursive: true, force: true });
    const both = await measured(async () => {
      const r = await buildBuildingTiles({ buildings: buildings!, frame, outDir: path.join(dir, 'l2'), architectureDir: path.join(dir, 'l3') });
      return r.bytes + r.architectureBytes;
    });
    await rm(dir, { recursive: true, force: true });
    buildings = undefined;
    runs.push(row('buildings L2', count, l2, PUBLISHED.pg2b3dmBuildingsPerS.high, parseBuildingsPerS));
    runs.push(row('buildings L2+L3', count, both, PUBLISHED.pg2b3dmBuildingsPerS.high, parseBuildingsPerS));
  }
  for (const count of INSTANCE_COUNTS) {
    log(`  scale: ${count.toLocaleString('en-US')} synthetic component instances …`);
    let instances: ComponentInstance[] | undefined = syntheticInstances(count);
    if (count === INSTANCE_COUNTS[INSTANCE_COUNTS.length - 1]) {
      parseInstancesPerS = round(
        count / parseSeconds(instances.map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [c.lon, c.lat] }, properties: { code: c.code, classCode: c.classCode } }))),
      );
    }
    const dir = path.join(tmp, `scale-components-${count}`);
    const m = await measured(async () => (await buildComponentTiles({ instances: instances!, frame, outDir: dir })).bytes);
    await rm(dir, { recursive: true, force: true });
    instances = undefined;
    runs.push(row('components L4', count, m, PUBLISHED.i3dmExportInstancesPerS, parseInstancesPerS));
  }
  // The parse floors were measured on the largest inputs, after the smaller runs' rows were made.
  for (const r of runs) {
    const floor = r.what.startsWith('components') ? parseInstancesPerS : parseBuildingsPerS;
    r.vsParse = round(r.perS / floor, 2);
  }
  return { runs, parseBuildingsPerS, parseInstancesPerS };
}

function reportScale(r: ScaleResults, log: (line: string) => void): void {
  log('');
  log('Scale — synthetic cities, tiles written to a temporary folder');
  const rows = r.runs.map((x) => [
    x.what,
    fmt(x.count),
    fmt(x.seconds, 2),
    fmt(x.perS),
    fmt(x.cpuSeconds, 2),
    fmt(x.perCpuS),
    fmt(x.bytesPerItem),
    fmt(x.rssBeforeMiB),
    fmt(x.peakRssMiB),
    fmt(x.growthMiB),
    `${fmt(x.vsPublished, 1)}×`,
    `${fmt(x.vsPublishedCpu, 1)}×`,
    `${fmt(x.vsParse, 2)}×`,
  ]);
  for (const line of table(['tiler', 'items', 'seconds', 'items/s', 'CPU s', 'items/CPU-s', 'bytes/item', 'RSS before MiB', 'peak MiB', 'growth MiB', 'vs published', 'per CPU-s vs published', 'vs parse'], rows)) log(`  ${line}`);
  log(
    `  published: pg2b3dm ${fmt(PUBLISHED.pg2b3dmBuildingsPerS.low)}–${fmt(PUBLISHED.pg2b3dmBuildingsPerS.high)} buildings/s (ratio against ${fmt(PUBLISHED.pg2b3dmBuildingsPerS.high)}), i3dm.export ${fmt(PUBLISHED.i3dmExportInstancesPerS)} instances/s`,
  );
  log(`  baseline (same run): JSON.parse of the same features as GeoJSON: ${fmt(r.parseBuildingsPerS)} buildings/s, ${fmt(r.parseInstancesPerS)} instances/s`);
  log('  growth = peak RSS while tiling − RSS with the input loaded: flat from the smaller to the larger city means tiles stream.');
  log('  items/CPU-s counts the CPU time this process got (the tilers run on one thread): read it when the load average is high.');
}
