/**
 * Level of service of a signalised intersection by mean control delay per vehicle (Highway
 * Capacity Manual, signalised intersections): A ≤ 10 s, B ≤ 20, C ≤ 35, D ≤ 55, E ≤ 80, F above.
 */
export type LevelOfService = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

const THRESHOLDS: ReadonlyArray<readonly [LevelOfService, number]> = [
  ['A', 10],
  ['B', 20],
  ['C', 35],
  ['D', 55],
  ['E', 80],
];

export function levelOfService(controlDelaySeconds: number): LevelOfService {
  for (const [los, max] of THRESHOLDS) if (controlDelaySeconds <= max) return los;
  return 'F';
}
