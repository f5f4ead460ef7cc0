/**
 * Roads a flood closes: an edge is impassable when the water anywhere along it is deeper than the
 * threshold (CLOSED_DEPTH_M, 15 cm: the project's waterlogging alarm level) in a flood run's
 * maximum-depth grid (max-depth.asc, simulations/flood/io/floodOutputs.ts). Pure: the grid and
 * the projection come in; the caller reads the file.
 */
import { CLOSED_DEPTH_M } from '../../../domain/emergency';
import type { Grid } from '../../../kernel/raster/grid';
import type { RoadGraph } from './roadGraph';

/** Water depth at a point, metres (0 where dry or unknown). */
export type DepthAt = (lon: number, lat: number) => number;

/**
 * Depth of the grid cell a point falls in. Cells without data (building footprints, never wet)
 * and points outside the grid count as dry: a road is not under a building.
 */
export function gridDepthAt(grid: Grid, fromLonLat: (lon: number, lat: number) => [number, number]): DepthAt {
  const { ncols, nrows, cellSize, xll, yll, values } = grid;
  const top = yll + nrows * cellSize;
  return (lon, lat) => {
    const [x, y] = fromLonLat(lon, lat);
    const col = Math.floor((x - xll) / cellSize);
    const row = Math.floor((top - y) / cellSize);
    if (col < 0 || row < 0 || col >= ncols || row >= nrows) return 0;
    const d = values[row * ncols + col]!;
    return Number.isNaN(d) ? 0 : d;
  };
}

/** 1 for each edge with water deeper than `thresholdM` at any of its points sampled every `stepM`. */
export function closedEdges(g: RoadGraph, depthAt: DepthAt, thresholdM = CLOSED_DEPTH_M, stepM = 5): Uint8Array {
  const closed = new Uint8Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.edgeA[e]!;
    const b = g.edgeB[e]!;
    const steps = Math.max(1, Math.ceil(g.lengthM[e]! / stepM));
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      if (depthAt(g.lon[a]! + (g.lon[b]! - g.lon[a]!) * t, g.lat[a]! + (g.lat[b]! - g.lat[a]!) * t) > thresholdM) {
        closed[e] = 1;
        break;
      }
    }
  }
  return closed;
}
