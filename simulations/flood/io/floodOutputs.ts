/**
 * Writes a flood run's results: ESRI ASCII grids on the DEM's georeferencing (max-depth.asc,
 * max-velocity.asc, arrival-time.asc, duration.asc, max-hazard.asc, depth-final.asc,
 * depth-<seconds>.asc per snapshot; obstacles and never-wet cells as NODATA) and summary.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatAsciiGrid } from '../../../kernel/raster/asciiGrid';
import type { CoupledMassBalance, FloodResult, FloodVolumes } from '../runFlood';

export interface GridPlacement {
  xll: number;
  yll: number;
}

export interface FloodSummary {
  grid: { ncols: number; nrows: number; cellSizeM: number; xll: number; yll: number };
  volumeInM3: FloodVolumes;
  massBalanceError: number;
  maxDepthM: number;
  wetCells: number;
  wetAreaM2: number;
  steps: number;
  simulatedSeconds: number;
  wallSeconds: number;
  cellUpdatesPerSecond: number;
  threads: number;
  snapshotsS: number[];
  files: string[];
  /** Runs with a drainage network: both domains' balance and the counts the hit list starts from (details in drainage.json). */
  drainage?: { massBalance: CoupledMassBalance; nodes: number; links: number; overloadedLinks: number; spillingNodes: number; pipeSteps: number };
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** File name of the depth snapshot at `seconds`. */
export function snapshotFileName(seconds: number): string {
  return `depth-${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}.asc`;
}

export function floodSummary(result: FloodResult, at: GridPlacement, files: string[]): FloodSummary {
  const v = result.volumesM3;
  return {
    grid: { ncols: result.ncols, nrows: result.nrows, cellSizeM: result.cellSizeM, xll: at.xll, yll: at.yll },
    volumeInM3: {
      initial: round(v.initial, 3),
      rain: round(v.rain, 3),
      inflow: round(v.inflow, 3),
      outflow: round(v.outflow, 3),
      drainage: round(v.drainage, 3),
      ...(v.toDrains !== undefined ? { toDrains: round(v.toDrains, 3), fromDrains: round(v.fromDrains ?? 0, 3) } : {}),
      final: round(v.final, 3),
    },
    massBalanceError: result.massBalanceError,
    maxDepthM: round(result.maxDepthOverallM, 4),
    wetCells: result.wetCells,
    wetAreaM2: result.wetCells * result.cellSizeM * result.cellSizeM,
    steps: result.steps,
    simulatedSeconds: result.simulatedSeconds,
    wallSeconds: round(result.wallSeconds, 3),
    cellUpdatesPerSecond: Math.round(result.cellUpdatesPerSecond),
    threads: result.threads,
    snapshotsS: result.snapshots.map((s) => s.timeS),
    files,
    ...(result.drainage
      ? {
          drainage: {
            massBalance: result.drainage.massBalance,
            nodes: result.drainage.pipes.nodes.length,
            links: result.drainage.pipes.links.length,
            overloadedLinks: result.drainage.pipes.links.filter((l) => l.peakLoadRatio > 1).length,
            spillingNodes: result.drainage.pipes.nodes.filter((n) => n.floodVolumeM3 > 0.01).length,
            pipeSteps: result.drainage.pipes.steps,
          },
        }
      : {}),
  };
}

/** Writes every grid and summary.json into `dir`; returns the summary (its `files` lists them). */
export async function writeFloodOutputs(dir: string, result: FloodResult, at: GridPlacement): Promise<FloodSummary> {
  await mkdir(dir, { recursive: true });
  const grids: Array<[string, Float32Array, number]> = [
    ['max-depth.asc', result.maxDepthM, 3],
    ['max-velocity.asc', result.maxSpeedMs, 3],
    ['arrival-time.asc', result.arrivalS, 1],
    ['duration.asc', result.durationS, 1],
    ['max-hazard.asc', result.maxHazard, 3],
    ['depth-final.asc', result.finalDepthM, 3],
    ...result.snapshots.map((s): [string, Float32Array, number] => [snapshotFileName(s.timeS), s.depthM, 3]),
  ];
  for (const [name, values, decimals] of grids) {
    const text = formatAsciiGrid({ ncols: result.ncols, nrows: result.nrows, xll: at.xll, yll: at.yll, cellSize: result.cellSizeM, values }, decimals);
    await writeFile(path.join(dir, name), text);
  }
  const files = [...grids.map(([name]) => name), 'summary.json'];
  if (result.drainage) {
    // The pipe run in full: series at report steps, per-link and per-node summaries (simulations/drainage/pipeResults.ts).
    await writeFile(path.join(dir, 'drainage.json'), JSON.stringify(result.drainage) + '\n');
    files.push('drainage.json');
  }
  const summary = floodSummary(result, at, files);
  await writeFile(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
