/**
 * Traffic flows for the one map from the live feed: each road's flow is the mean of what the
 * traffic cameras on its poles last reported (vehicles per minute, mean speed). Pure: records
 * and readings in, one figure per road out.
 */
import type { PoleRecord } from '../../../../../domain/twinPackage';
import type { TerminalLive } from '../../../../../domain/live';

export interface RoadFlow {
  roadId: string;
  vehiclesPerMin: number;
  meanSpeedKmh: number | null;
  cameras: number;
}

export function roadFlows(poles: readonly PoleRecord[], terminals: ReadonlyMap<string, TerminalLive>): Map<string, RoadFlow> {
  const sums = new Map<string, { vehicles: number; speed: number; speeds: number; cameras: number }>();
  for (const pole of poles) {
    for (const id of pole.terminalIds) {
      if (!id.endsWith('-traffic-camera')) continue;
      const values = terminals.get(id)?.values;
      const vehicles = values?.vehiclesPerMin;
      if (typeof vehicles !== 'number') continue;
      const sum = sums.get(pole.roadId) ?? { vehicles: 0, speed: 0, speeds: 0, cameras: 0 };
      sum.vehicles += vehicles;
      sum.cameras++;
      if (typeof values?.meanSpeedKmh === 'number') {
        sum.speed += values.meanSpeedKmh;
        sum.speeds++;
      }
      sums.set(pole.roadId, sum);
    }
  }
  const flows = new Map<string, RoadFlow>();
  for (const [roadId, s] of sums) {
    flows.set(roadId, { roadId, vehiclesPerMin: s.vehicles / s.cameras, meanSpeedKmh: s.speeds > 0 ? s.speed / s.speeds : null, cameras: s.cameras });
  }
  return flows;
}

/** Green (free) → amber → red (heavy) by vehicles per minute; grey where no camera reports. */
export function flowColor(flow: RoadFlow | undefined): [number, number, number, number] {
  if (!flow) return [120, 130, 145, 120];
  const t = Math.min(1, flow.vehiclesPerMin / 60);
  return t < 0.5 ? [Math.round(53 + 404 * t), 208, 127 - Math.round(180 * t), 230] : [255, Math.round(208 - 300 * (t - 0.5)), 40, 230];
}
