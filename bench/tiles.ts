/**
 * Tiling benchmark: `buildTwin` on the demo city (seed 42), stage by stage.
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
import type { CitySourceManifest } from '../domain/citySource';
import { buildTwin } from '../tiles/build/index';
import { generateDemoCity } from '../tiles/demo/index';
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

export interface TilesResults {
  benchmark: 'tiles';
  machine: MachineInfo;
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
      stage('buildings', 'buildings', written('buildings')),
      stage('basemap', 'Mpx', round((basemap.width * basemap.height) / 1e6, 2)),
      stage('layers', 'records', layerRecords),
    ];
    const totalS = t.total ?? Number.NaN;

    const results: TilesResults = {
      benchmark: 'tiles',
      machine,
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
