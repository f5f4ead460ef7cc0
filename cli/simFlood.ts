/**
 * `citytwin sim flood …`: a flood run on a DEM from the command line, on worker threads, writing
 * ESRI ASCII result grids and summary.json (see docs/flood.md).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { idleCores } from '../kernel/idleCores';
import type { Grid } from '../kernel/raster/grid';
import { DEFAULT_INTENSITY_FORMULA, stormProblem, type ChicagoStorm, type RainSpec } from '../simulations/flood/designStorm';
import {
  DEFAULT_SETTINGS,
  EDGES,
  FLOOD_SCHEMES,
  MAX_DURATION_S,
  type BoundarySpec,
  type Edge,
  type FloodProblem,
  type FloodScheme,
  type PointInflow,
} from '../simulations/flood/floodProblem';
import { readMatchingRaster, readRaster, readSeriesCsv } from '../simulations/flood/io/rasterFiles';
import { writeFloodOutputs } from '../simulations/flood/io/floodOutputs';
import { runFlood } from '../simulations/flood/runFlood';
import { DrainageSchema, RAIN_MM_PER_HOUR, RainRateSchema } from '../simulations/flood/scenarioParams';
import { constantSeries, type SeriesBounds, type TimeSeries } from '../simulations/flood/timeSeries';
import { parseNumber, parseParamNumber, UsageError } from './args';
import type { Log } from './ensureBuilt';
import type { SimCommand } from './simCommand';
import { demGround } from '../simulations/flood/demGround';
import { readFile } from 'node:fs/promises';
import { nodeCellsOnGrid } from '../simulations/drainage/nodeCells';
import { overloadedDrains } from '../simulations/drainage/overloadedDrains';
import type { DrainageCouplingSpec } from '../simulations/drainage/surfaceCoupling';
import { readSwmmInp, type SwmmModel } from '../simulations/drainage/swmmInp';
import type { DrainageNetwork } from '../simulations/drainage/network';
import { outfallCatchments, readTwinStormNetwork, unknownOutfall, upstreamOf } from '../simulations/drainage/twinStormNetwork';
import { readTwinArg } from './twinArg';

export const FLOOD_USAGE = `citytwin sim flood --dem <.asc|.tif> --duration <s> --out <dir> [options]

Runs the local inertial flood model (Bates et al. 2010) on a DEM and writes max-depth.asc,
max-velocity.asc, arrival-time.asc, duration.asc, max-hazard.asc, depth-final.asc,
depth-<seconds>.asc per snapshot and summary.json. No-data DEM cells are obstacles.

  --dem <file>              bed elevation, ESRI ASCII grid or GeoTIFF (projected, metres)
  --duration <s>            simulated seconds
  --out <dir>               output folder
  --manning <n>             Manning's n everywhere (default 0.03)
  --manning-grid <file>     Manning's n per cell (same grid as the DEM)
  --rain <mm/h | csv>       uniform rain, or a csv of seconds,mm/h rows
  --storm <spec>            Chicago design storm: P=<years>,T=<minutes>[,r=<peak ratio 0.4>]
                            [,A=<mm/min>,C=,b=<min>,n=] (local formula i = A(1+C lg P)/(t+b)^n;
                            default A=21.67 C=0.438 b=11.259 n=0.75)
  --drainage <mm/h>         drainage capacity taken from every wet cell (default 0)
  --inflow <csv> --at <x,y> inflow hydrograph (seconds,m3/s) into the cell at x,y (DEM CRS);
                            repeat the pair for more points
  --boundary <edge>:<type>[:<value|csv>]
                            edge west|east|north|south; type level (water level m, fixed or
                            csv of seconds,m), flow (m3/s spread along the edge, fixed or csv)
                            or free (outflow); repeatable; other edges are closed walls
  --init-depth <file>       starting water depth per cell (same grid as the DEM)
  --snapshots <t1,t2,…>     seconds at which to write depth-<t>.asc
  --threads <n>             worker threads (default: the idle cores now, ${idleCores()} of ${availableParallelism()})
  --scheme <name>           inertial-advection (default: local inertial with the convective
                            term, right for fast fronts) or inertial (Bates et al. 2010 as in
                            LISFLOOD-FP, no convective term)
  --wall-limit <s>          give up after this many wall-clock seconds (default 3600)
  --drainage-network <twin | file.inp>
                            couple a pipe network to the surface: the twin package's storm
                            layers (twin, with --twin <dir>, default data/demo/twin) or an EPA
                            SWMM 5 .inp ([COORDINATES] in the DEM's CRS); inlets take water,
                            surcharged manholes spill (docs/drainage.md); writes drainage.json
  --twin <dir>              the twin package for --drainage-network twin
  --drainage-outfalls <id,…>  with --drainage-network twin: only the part draining to these
                            outfalls (their catchments; \`citytwin sim drainage export\` names them)`;

const OPTIONS = {
  dem: { type: 'string' },
  duration: { type: 'string' },
  out: { type: 'string' },
  manning: { type: 'string' },
  'manning-grid': { type: 'string' },
  rain: { type: 'string' },
  storm: { type: 'string' },
  drainage: { type: 'string' },
  inflow: { type: 'string', multiple: true },
  at: { type: 'string', multiple: true },
  boundary: { type: 'string', multiple: true },
  'init-depth': { type: 'string' },
  snapshots: { type: 'string' },
  threads: { type: 'string' },
  scheme: { type: 'string' },
  'wall-limit': { type: 'string' },
  'drainage-network': { type: 'string' },
  twin: { type: 'string' },
  'drainage-outfalls': { type: 'string' },
} as const;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Parses `P=50,T=60,r=0.4[,A=…,C=…,b=…,n=…]` (long names returnPeriod, duration, peak too). */
export function parseStormSpec(spec: string): ChicagoStorm {
  const storm: ChicagoStorm = { returnPeriodYears: Number.NaN, durationMinutes: Number.NaN, peakRatio: 0.4, formula: { ...DEFAULT_INTENSITY_FORMULA } };
  for (const part of spec.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined || rest.length > 0 || !NUMBER.test(value)) {
      throw new UsageError(`--storm: expected key=number pairs like P=50,T=60,r=0.4, got "${part}"`);
    }
    const v = Number(value);
    switch (key) {
      case 'P':
      case 'returnPeriod':
        storm.returnPeriodYears = v;
        break;
      case 'T':
      case 'duration':
        storm.durationMinutes = v;
        break;
      case 'r':
      case 'peak':
        storm.peakRatio = v;
        break;
      case 'A':
        storm.formula.aMmPerMin = v;
        break;
      case 'C':
        storm.formula.c = v;
        break;
      case 'b':
        storm.formula.bMin = v;
        break;
      case 'n':
        storm.formula.n = v;
        break;
      default:
        throw new UsageError(`--storm: unknown key "${key}"; use P, T, r, A, C, b, n`);
    }
  }
  if (Number.isNaN(storm.returnPeriodYears)) throw new UsageError('--storm: missing the return period P=<years>');
  if (Number.isNaN(storm.durationMinutes)) throw new UsageError('--storm: missing the duration T=<minutes>');
  const problem = stormProblem(storm);
  if (problem) throw new UsageError(`--storm: ${problem}`);
  return storm;
}

/** A number given inline, or a csv of seconds,value rows. */
async function numberOrSeries(text: string, option: string, bounds: SeriesBounds): Promise<TimeSeries> {
  if (NUMBER.test(text)) {
    const v = parseNumber(text, option, { min: bounds.min, max: bounds.max })!;
    return constantSeries(v);
  }
  return readSeriesCsv(text, bounds);
}

async function parseBoundary(spec: string): Promise<[Edge, BoundarySpec]> {
  const [edge, type, ...rest] = spec.split(':');
  const value = rest.join(':');
  if (!edge || !(EDGES as readonly string[]).includes(edge)) {
    throw new UsageError(`--boundary "${spec}": edge must be one of ${EDGES.join(', ')}`);
  }
  const option = `--boundary ${edge}`;
  switch (type) {
    case 'free':
      if (value) throw new UsageError(`${option}: a free boundary takes no value, got "${value}"`);
      return [edge as Edge, { type: 'free' }];
    case 'level':
      if (!value) throw new UsageError(`${option}: a level boundary needs a level in m or a csv (e.g. ${edge}:level:2.5)`);
      return [edge as Edge, { type: 'level', levelM: await numberOrSeries(value, option, { valueName: 'level m', min: -12_000, max: 9_000 }) }];
    case 'flow':
      if (!value) throw new UsageError(`${option}: a flow boundary needs a discharge in m³/s or a csv (e.g. ${edge}:flow:50)`);
      return [edge as Edge, { type: 'flow', dischargeM3s: await numberOrSeries(value, option, { valueName: 'm³/s', min: 0, max: 100_000 }) }];
    default:
      throw new UsageError(`${option}: type must be level, flow or free, got "${type ?? ''}"`);
  }
}

/** The DEM cell holding point x,y (DEM CRS). */
function cellAt(text: string, dem: Grid, option: string): { row: number; col: number } {
  const parts = text.split(',');
  if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p.trim()))) throw new UsageError(`${option} must be x,y in the DEM's coordinates, got "${text}"`);
  const [x, y] = parts.map(Number) as [number, number];
  const col = Math.floor((x - dem.xll) / dem.cellSize);
  const row = Math.floor((dem.yll + dem.nrows * dem.cellSize - y) / dem.cellSize);
  if (col < 0 || row < 0 || col >= dem.ncols || row >= dem.nrows) {
    throw new UsageError(`${option} ${text} is outside the DEM (x ${dem.xll}…${dem.xll + dem.ncols * dem.cellSize}, y ${dem.yll}…${dem.yll + dem.nrows * dem.cellSize})`);
  }
  return { row, col };
}

async function rainSpec(rain: string | undefined, storm: string | undefined): Promise<RainSpec> {
  if (rain !== undefined && storm !== undefined) throw new UsageError('give --rain or --storm, not both');
  if (storm !== undefined) return { kind: 'chicago', storm: parseStormSpec(storm) };
  if (rain === undefined) return { kind: 'none' };
  if (NUMBER.test(rain)) return { kind: 'uniform', mmPerHour: parseParamNumber(rain, '--rain', RainRateSchema)! };
  return { kind: 'series', series: await readSeriesCsv(rain, { valueName: 'mm/h', ...RAIN_MM_PER_HOUR }) };
}

function snapshotTimes(text: string | undefined, durationS: number): number[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part) => parseNumber(part.trim(), '--snapshots', { min: Number.MIN_VALUE, max: durationS })!);
}

/** Everything the options describe, checked; files are read here. */
export async function floodProblemFromArgs(
  argv: string[],
): Promise<{ problem: FloodProblem; dem: Grid; outDir: string; threads: number; wallLimitS: number; notes: string[] }> {
  const { values: v, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: OPTIONS });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}\n\n${FLOOD_USAGE}`);
  if (!v.dem) throw new UsageError(`missing --dem <.asc|.tif>\n\n${FLOOD_USAGE}`);
  if (!v.duration) throw new UsageError('missing --duration <seconds>');
  if (!v.out) throw new UsageError('missing --out <dir>');
  const durationS = parseNumber(v.duration, '--duration', { min: 1, max: MAX_DURATION_S })!;
  if (v.manning !== undefined && v['manning-grid'] !== undefined) throw new UsageError('give --manning or --manning-grid, not both');
  const manning = parseNumber(v.manning, '--manning', { min: 0, max: 1 }) ?? 0.03;
  const drainage = parseParamNumber(v.drainage, '--drainage', DrainageSchema) ?? 0;
  const threads = parseNumber(v.threads, '--threads', { min: 1, max: 16, integer: true }) ?? idleCores();
  const wallLimitS = parseNumber(v['wall-limit'], '--wall-limit', { min: 1, max: 7 * 24 * 3600 }) ?? 3600;
  const scheme = v.scheme ?? DEFAULT_SETTINGS.scheme;
  if (!(FLOOD_SCHEMES as readonly string[]).includes(scheme)) throw new UsageError(`--scheme: unknown scheme "${scheme}"; use ${FLOOD_SCHEMES.join(' or ')}`);
  const snapshotsS = snapshotTimes(v.snapshots, durationS);
  const inflowFiles = v.inflow ?? [];
  const points = v.at ?? [];
  if (inflowFiles.length !== points.length) {
    throw new UsageError(`each --inflow needs its --at x,y: got ${inflowFiles.length} --inflow and ${points.length} --at`);
  }
  const rain = await rainSpec(v.rain, v.storm);

  const dem = await readRaster(v.dem);
  const cells = dem.ncols * dem.nrows;
  const { bedM, blocked } = demGround(dem);
  let manningN: number | Float32Array = manning;
  if (v['manning-grid'] !== undefined) {
    const grid = await readMatchingRaster(v['manning-grid'], dem);
    for (let i = 0; i < cells; i++) {
      const n = grid.values[i]!;
      if (!blocked[i] && !(n >= 0 && n <= 1)) {
        throw new UsageError(`${v['manning-grid']}: row ${Math.floor(i / dem.ncols) + 1}, column ${(i % dem.ncols) + 1}: Manning's n must be between 0 and 1, got ${n}`);
      }
    }
    manningN = grid.values.map((n) => (Number.isNaN(n) ? 0 : n));
  }
  let initialDepthM: Float32Array | undefined;
  if (v['init-depth'] !== undefined) {
    const grid = await readMatchingRaster(v['init-depth'], dem);
    for (let i = 0; i < cells; i++) {
      const h = grid.values[i]!;
      if (h < 0) throw new UsageError(`${v['init-depth']}: row ${Math.floor(i / dem.ncols) + 1}, column ${(i % dem.ncols) + 1}: depth must be ≥ 0, got ${h}`);
    }
    // No-data in the starting depth means dry.
    initialDepthM = grid.values.map((h) => (Number.isNaN(h) ? 0 : h));
  }
  const inflows: PointInflow[] = [];
  for (let k = 0; k < inflowFiles.length; k++) {
    const { row, col } = cellAt(points[k]!, dem, '--at');
    if (blocked[row * dem.ncols + col]) throw new UsageError(`--at ${points[k]} falls on a no-data DEM cell`);
    inflows.push({ row, col, dischargeM3s: await readSeriesCsv(inflowFiles[k]!, { valueName: 'm³/s', min: 0, max: 100_000 }) });
  }
  const boundaries: Partial<Record<Edge, BoundarySpec>> = {};
  for (const spec of v.boundary ?? []) {
    const [edge, boundary] = await parseBoundary(spec);
    if (boundaries[edge]) throw new UsageError(`--boundary: the ${edge} edge is given twice`);
    boundaries[edge] = boundary;
  }
  const problem: FloodProblem = {
    grid: { ncols: dem.ncols, nrows: dem.nrows, cellSizeM: dem.cellSize, bedM, blocked, manningN, initialDepthM },
    forcing: { rain, drainageMmPerHour: drainage, inflows, boundaries },
    settings: { ...DEFAULT_SETTINGS, scheme: scheme as FloodScheme, durationS, snapshotTimesS: snapshotsS },
  };
  const notes: string[] = [];
  if (v['drainage-network'] !== undefined) {
    problem.drainage = await drainageOption(v['drainage-network'], v.twin, v['drainage-outfalls'], dem, blocked, notes);
  } else if (v['drainage-outfalls'] !== undefined) throw new UsageError('--drainage-outfalls is only used with --drainage-network twin');
  return { problem, dem, outDir: path.resolve(v.out), threads, wallLimitS, notes };
}

/** The twin package's storm network (in its DEM's CRS). */
async function twinNetwork(twinDir: string | undefined, outfalls: string | undefined): Promise<Pick<SwmmModel, 'network' | 'inflows'>> {
  const { dir, manifest } = await readTwinArg(twinDir);
  let whole: DrainageNetwork;
  try {
    whole = (await readTwinStormNetwork(dir, manifest)).network;
  } catch (err) {
    throw new UsageError(`--drainage-network twin: ${(err as Error).message}`);
  }
  if (outfalls === undefined) return { network: whole, inflows: [] };
  const ids = outfalls.split(',').map((id) => id.trim());
  const unknown = unknownOutfall(whole, ids);
  if (unknown) throw new UsageError(`--drainage-outfalls: "${unknown.id}" is not an outfall of ${dir}'s storm network (${outfallCatchments(whole).slice(0, 5).map((o) => o.id).join(', ')}, …)`);
  return { network: upstreamOf(whole, ids), inflows: [] };
}

/** A `.inp` network (its [INFLOWS] too). */
async function inpNetwork(file: string, notes: string[]): Promise<SwmmModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--drainage-network: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const model = readSwmmInp(text, path.basename(file));
    notes.push(...model.warnings);
    return model;
  } catch (err) {
    throw new UsageError(`--drainage-network: ${(err as Error).message}`);
  }
}

/** Reads the network and places its junctions on the DEM's cells. */
async function drainageOption(value: string, twinDir: string | undefined, outfalls: string | undefined, dem: Grid, blocked: Uint8Array, notes: string[]): Promise<DrainageCouplingSpec> {
  if (twinDir !== undefined && value !== 'twin') throw new UsageError('--twin is only used with --drainage-network twin');
  if (outfalls !== undefined && value !== 'twin') throw new UsageError('--drainage-outfalls is only used with --drainage-network twin');
  const file = value === 'twin' ? "the twin's storm network" : value;
  const inp = value === 'twin' ? undefined : await inpNetwork(value, notes);
  const model = inp ?? (await twinNetwork(twinDir, outfalls));
  const { nodeCells, uncoupled } = nodeCellsOnGrid(model.network, { xll: dem.xll, yll: dem.yll, cellSizeM: dem.cellSize, ncols: dem.ncols, nrows: dem.nrows }, blocked);
  if (nodeCells.length === 0) throw new UsageError(`--drainage-network: no junction of ${file} lies on an open cell of the DEM (are its positions in the DEM's CRS?)`);
  if (uncoupled.length > 0) {
    notes.push(`${uncoupled.length} junction(s) not coupled to the surface (their spills are lost): ${uncoupled.slice(0, 5).map((u) => `${u.nodeId} ${u.reason}`).join(', ')}${uncoupled.length > 5 ? ', …' : ''}`);
  }
  // A .inp's LENGTHENING_STEP holds coupled too (the twin's network: the coupling's default).
  return { network: model.network, nodeCells, inflows: model.inflows, ...(inp ? { lengtheningStepS: inp.options.lengtheningStepS } : {}) };
}

export async function floodCommand(argv: string[], log: Log): Promise<void> {
  const { problem, dem, outDir, threads, wallLimitS, notes } = await floodProblemFromArgs(argv);
  const { ncols, nrows, cellSizeM } = problem.grid;
  log(`flood: ${ncols} × ${nrows} cells of ${cellSizeM} m, ${problem.settings.durationS} s simulated, ${threads} thread(s)`);
  for (const note of notes) log(`  note: ${note}`);
  if (problem.drainage) {
    const d = problem.drainage;
    log(`  drainage network: ${d.network.nodes.length} nodes, ${d.network.links.length} links, ${d.nodeCells.length} junctions coupled to the surface`);
  }
  let reported = 0;
  const result = await runFlood(problem, {
    threads,
    wallClockLimitS: wallLimitS,
    onProgress: (fraction) => {
      if (fraction >= reported + 0.1 || fraction === 1) {
        reported = Math.floor(fraction * 10) / 10;
        log(`  ${Math.round(fraction * 100)} %`);
      }
    },
  });
  const summary = await writeFloodOutputs(outDir, result, { xll: dem.xll, yll: dem.yll });
  const vol = summary.volumeInM3;
  log(`  max depth ${summary.maxDepthM.toFixed(2)} m, ${summary.wetCells} wet cells, ${summary.steps} steps in ${summary.wallSeconds.toFixed(1)} s (${(summary.cellUpdatesPerSecond / 1e6).toFixed(1)} M cell updates/s)`);
  log(`  volumes m³: initial ${vol.initial.toFixed(0)}, rain ${vol.rain.toFixed(0)}, inflow ${vol.inflow.toFixed(0)}, outflow ${vol.outflow.toFixed(0)}, drainage ${vol.drainage.toFixed(0)}, final ${vol.final.toFixed(0)}; mass balance error ${summary.massBalanceError.toExponential(1)}`);
  if (result.drainage) {
    const b = result.drainage.massBalance;
    const hits = overloadedDrains(result.drainage.pipes, 5);
    log(`  drains m³: inlets ${(vol.toDrains ?? 0).toFixed(0)}, spilled back ${(vol.fromDrains ?? 0).toFixed(0)}, outfalls ${b.outfalls.toFixed(0)}, lost ${b.floodingLost.toFixed(0)}; both domains' balance error ${b.relativeError.toExponential(1)}`);
    if (hits.length > 0) log(`  overloaded drains: ${hits.map((h) => (h.kind === 'link' ? `${h.id} ${h.value.toFixed(2)}× capacity` : `${h.id} spilled ${h.value.toFixed(0)} m³`)).join(', ')}`);
  }
  log(`Results written to ${outDir} (${summary.files.length} files).`);
}

export const floodSimCommand: SimCommand = { usage: FLOOD_USAGE, run: floodCommand };
