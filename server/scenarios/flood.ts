/**
 * The flood scenario: rain (uniform or a Chicago design storm) on the loaded twin's DEM, with
 * building footprints as obstacles, Manning's n from land use, a drainage capacity, and optional
 * river inflow and edge boundaries; the model steps on worker threads over the cores idle when it starts
 * (kernel/idleCores.ts: lock-step threads on a busy core stall each other).
 *
 * Files: the result grids and summary.json (simulations/flood/io/floodOutputs.ts), frames.json +
 * frames.bin for playback (depthFrames.ts) and impacts.json: hit buildings, roads, components
 * and hotspots with their nearest cameras and the departments owning what is hit there. The twin
 * has no rescue-team or supply layer: departments (via component ownership) and cameras
 * (camera / traffic-camera terminals on poles) are what the hotspots list.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { idleCores } from '../../kernel/idleCores';
import { DEFAULT_INTENSITY_FORMULA, type RainSpec } from '../../simulations/flood/designStorm';
import type { BoundarySpec, Edge } from '../../simulations/flood/floodProblem';
import { writeDepthFrames } from '../../simulations/flood/io/depthFrames';
import { writeFloodOutputs } from '../../simulations/flood/io/floodOutputs';
import { runFlood } from '../../simulations/flood/runFlood';
import { FloodParamsSchema, parseFloodParams, type FloodRainParams, type FloodScenarioParams } from '../../simulations/flood/scenarioParams';
import { constantSeries, type TimeSeries } from '../../simulations/flood/timeSeries';
import { nodeCellsOnGrid } from '../../simulations/drainage/nodeCells';
import { overloadedDrains } from '../../simulations/drainage/overloadedDrains';
import { readSwmmInp } from '../../simulations/drainage/swmmInp';
import type { DrainageNetwork } from '../../simulations/drainage/network';
import type { SwmmModel } from '../../simulations/drainage/swmmInp';
import { outfallCatchments, readTwinStormNetwork, unknownOutfall, upstreamOf } from '../../simulations/drainage/twinStormNetwork';
import { floodImpacts } from '../../simulations/flood/twin/floodImpacts';
import { twinFloodSetup, type TwinInflow } from '../../simulations/flood/twin/twinFloodSetup';
import type { TwinIndex } from '../twin/TwinIndex';
import { ScenarioParamsError, type ScenarioContext, type ScenarioKind, type ScenarioOutcome } from './ScenarioKind';

function rainSpec(rain: FloodRainParams): RainSpec {
  if ('mmPerHour' in rain) return { kind: 'uniform', mmPerHour: rain.mmPerHour };
  return { kind: 'chicago', storm: { ...rain.storm, formula: DEFAULT_INTENSITY_FORMULA } };
}

function boundarySpecs(params: FloodScenarioParams): Partial<Record<Edge, BoundarySpec>> {
  const out: Partial<Record<Edge, BoundarySpec>> = {};
  for (const [edge, b] of Object.entries(params.boundaries ?? {})) {
    if (!b) continue;
    if (b.type === 'free') out[edge as Edge] = { type: 'free' };
    else {
      const s: TimeSeries = b.seconds ? { seconds: b.seconds, values: b.values } : constantSeries(b.values[0]!);
      out[edge as Edge] = b.type === 'level' ? { type: 'level', levelM: s } : { type: 'flow', dischargeM3s: s };
    }
  }
  return out;
}

async function readOptionalJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** The scenario's pipe network: the twin's (whole, or draining to chosen outfalls) or an uploaded .inp. */
async function drainageNetworkOf(params: FloodScenarioParams, twin: TwinIndex): Promise<SwmmModel | Pick<SwmmModel, 'network' | 'inflows'> | undefined> {
  const choice = params.drainageNetwork;
  if (!choice) return undefined;
  if (choice !== 'twin' && 'inp' in choice) return readSwmmInp(choice.inp, 'params.drainageNetwork.inp');
  const whole = (await readTwinStormNetwork(twin.dir, twin.manifest)).network;
  return { network: choice === 'twin' ? whole : upstreamOf(whole, choice.twin.outfalls), inflows: [] };
}

/** Outfalls named in the params must be the twin's storm outfalls: a 400 naming the first that is not. */
async function checkFloodParams(params: FloodScenarioParams, twin: TwinIndex): Promise<void> {
  const choice = params.drainageNetwork;
  if (!choice || choice === 'twin' || !('twin' in choice)) return;
  const at = 'params.drainageNetwork.twin.outfalls';
  let network: DrainageNetwork;
  try {
    network = (await readTwinStormNetwork(twin.dir, twin.manifest)).network;
  } catch (err) {
    throw new ScenarioParamsError(at, (err as Error).message);
  }
  const unknown = unknownOutfall(network, choice.twin.outfalls);
  if (unknown) {
    const some = outfallCatchments(network).slice(0, 5).map((o) => o.id);
    throw new ScenarioParamsError(`${at}[${unknown.index}]`, `"${unknown.id}" is not an outfall of the twin's storm network (GET /api/pipes/outfalls lists them; e.g. ${some.join(', ')})`);
  }
}

async function runFloodScenario(params: FloodScenarioParams, ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const { twin } = ctx;
  ctx.onProgress(0, 'preparing the grid');
  const snapshotTimesS: number[] = [];
  for (let t = params.snapshotEverySeconds; t < params.durationSeconds; t += params.snapshotEverySeconds) snapshotTimesS.push(t);
  snapshotTimesS.push(params.durationSeconds);
  const inflows: TwinInflow[] = params.inflow ? [{ lon: params.inflow.lon, lat: params.inflow.lat, dischargeM3s: { seconds: params.inflow.seconds, values: params.inflow.dischargeM3s } }] : [];
  const setup = await twinFloodSetup(twin.dir, twin.manifest, {
    maxCells: params.maxCells,
    durationS: params.durationSeconds,
    snapshotTimesS,
    rain: rainSpec(params.rain),
    drainageMmPerHour: params.drainageMmPerHour,
    inflows,
    boundaries: boundarySpecs(params),
  });
  const network = await drainageNetworkOf(params, twin);
  let uncoupledNodes = 0;
  if (network) {
    const g = setup.grid;
    const placed = nodeCellsOnGrid(network.network, { xll: g.xll, yll: g.yll, cellSizeM: g.cellSize, ncols: g.ncols, nrows: g.nrows }, setup.problem.grid.blocked);
    uncoupledNodes = placed.uncoupled.length;
    setup.problem.drainage = { network: network.network, nodeCells: placed.nodeCells, inflows: network.inflows, ...('options' in network ? { lengtheningStepS: network.options.lengtheningStepS } : {}) };
  }
  ctx.onProgress(0.05, 'simulating');
  const result = await runFlood(setup.problem, {
    threads: idleCores(),
    signal: ctx.signal,
    wallClockLimitS: 1800,
    onProgress: (fraction, t) => ctx.onProgress(0.05 + 0.85 * fraction, `${Math.round(t / 60)} of ${Math.round(params.durationSeconds / 60)} min`),
  });
  ctx.onProgress(0.92, 'writing results');
  const { grid, crs } = setup;
  const summary = await writeFloodOutputs(ctx.outDir, result, { xll: grid.xll, yll: grid.yll });
  const top = grid.yll + grid.nrows * grid.cellSize;
  const right = grid.xll + grid.ncols * grid.cellSize;
  const corners: Array<[number, number]> = [crs.toLonLat(grid.xll, top), crs.toLonLat(right, top), crs.toLonLat(right, grid.yll), crs.toLonLat(grid.xll, grid.yll)];
  const frameFiles = await writeDepthFrames(ctx.outDir, result, corners);

  const files = twin.manifest.files;
  const roads = await readOptionalJson<{ features: Array<{ geometry: { type: string; coordinates: number[][] }; properties: { id: string; name: string } }> }>(path.join(twin.dir, files.roads), { features: [] });
  const classes = await readOptionalJson<Array<{ code: string; en: string; zh: string }>>(path.join(twin.dir, 'layers/component-classes.json'), []);
  const classNames = new Map(classes.map((c) => [c.code, c.en]));
  const permanentWater = Uint8Array.from(setup.problem.grid.initialDepthM ?? [], (h) => (h > 0 ? 1 : 0));
  let maxLandDepthM = 0;
  let floodedLandCells = 0;
  result.maxDepthM.forEach((d, i) => {
    if (permanentWater[i]) return;
    if (d > maxLandDepthM) maxLandDepthM = d;
    if (d >= params.hitDepthM) floodedLandCells++;
  });
  const impacts = floodImpacts({
    grid,
    maxDepthM: result.maxDepthM,
    arrivalS: result.arrivalS,
    permanentWater,
    footprints: setup.footprints,
    buildings: twin.buildings,
    roads: roads.features.filter((f) => f.geometry.type === 'LineString').map((f) => ({ id: f.properties.id, name: f.properties.name, coordinates: f.geometry.coordinates })),
    components: twin.components.map((c) => ({ id: c.code, lon: c.lon, lat: c.lat, classCode: c.classCode, ownerId: c.ownerId })),
    cameras: twin.terminals
      .filter((t) => t.type === 'camera' || t.type === 'traffic-camera')
      .flatMap((t) => {
        const pole = twin.poleById.get(t.poleId);
        return pole ? [{ id: t.id, type: t.type, poleId: t.poleId, lon: pole.lon, lat: pole.lat }] : [];
      }),
    departmentName: (id) => twin.departmentById.get(id)?.name.en,
    className: (code) => classNames.get(code),
    project: (lon, lat) => crs.fromLonLat(lon, lat),
    unproject: (x, y) => crs.toLonLat(x, y),
    hitDepthM: params.hitDepthM,
    drains: result.drainage && network ? overloadedDrains(result.drainage.pipes, 200, network.network, (x, y) => crs.toLonLat(x, y)) : undefined,
  });
  await writeFile(path.join(ctx.outDir, 'impacts.json'), JSON.stringify(impacts) + '\n');
  ctx.onProgress(1, 'done');
  return {
    summary: {
      grid: summary.grid,
      sourceCellSizeM: setup.sourceCellSizeM,
      volumeInM3: summary.volumeInM3,
      massBalanceError: summary.massBalanceError,
      maxDepthM: summary.maxDepthM,
      /** Deepest water away from the sea, river and lakes: what the flood did on land. */
      maxLandDepthM: Math.round(maxLandDepthM * 1000) / 1000,
      /** Every wet cell at the end, the sea and river included (as the CLI's summary counts it). */
      wetAreaM2: summary.wetAreaM2,
      /** Land (not sea, river or lake) that was under at least hitDepthM at some time. */
      floodedLandAreaM2: Math.round(floodedLandCells * grid.cellSize * grid.cellSize),
      steps: summary.steps,
      simulatedSeconds: summary.simulatedSeconds,
      wallSeconds: summary.wallSeconds,
      cellUpdatesPerSecond: summary.cellUpdatesPerSecond,
      hit: impacts.counts,
      hotspots: impacts.hotspots.length,
      ...(summary.drainage ? { drainage: { ...summary.drainage, uncoupledNodes } } : {}),
      rescueResources: 'cameras (camera and traffic-camera terminals on poles) and departments owning the hit components; the twin has no rescue-team or supply layer',
    },
    files: [...summary.files, ...frameFiles, 'impacts.json'],
  };
}

export const floodScenario: ScenarioKind<FloodScenarioParams> = {
  kind: 'flood',
  paramsSchema: FloodParamsSchema,
  parseParams: parseFloodParams,
  checkAgainstTwin: checkFloodParams,
  run: runFloodScenario,
};
