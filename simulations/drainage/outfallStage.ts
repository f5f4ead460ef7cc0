/**
 * The water level an outfall's boundary sets at a time: a fixed stage, a stage series (linear in
 * time between points, the end values held outside), the run's sea level for tidal outfalls, or
 * "free"/"normal" when the outfall's own link decides (critical or normal depth: pipeSolver.ts).
 */
import { seriesValueAt } from '../flood/timeSeries';
import type { OutfallBoundary } from './network';

/** Stage in metres, or which depth rule applies when the boundary sets none. */
export function outfallStageM(boundary: OutfallBoundary, seaLevelAt: ((tS: number) => number) | undefined, tS: number): number | 'free' | 'normal' {
  if (seaLevelAt) return seaLevelAt(tS);
  switch (boundary.type) {
    case 'free':
      return 'free';
    case 'normal':
      return 'normal';
    case 'fixed':
      return boundary.stageM;
    case 'timeseries':
      return seriesValueAt({ seconds: boundary.times, values: boundary.stagesM }, tS);
  }
}
