/**
 * Water supply, gas, power and telecom along the demo's roads, each at its place in a Chinese
 * road cross-section (GB 50289 puts cables and ducts under the footways, pressure pipes under the
 * verge or the outer lanes) and in its own depth band, so lines of different networks cross one
 * another at junctions with room to spare. One line per network per piece (≤ 120 m) of road on land;
 * sizes grow with the road's class. Bridges carry no buried line.
 */
import type { PipeSection, UtilityNetwork } from '../domain/pipes';
import type { PlanFrame } from './frame';
import type { Vec2 } from './geometry';
import type { Landform } from './landform';
import type { Rng } from '../kernel/random';
import type { Road } from './roads';
import { landIntervals, solidGround } from './roadGraph';
import type { RoadClass } from '../domain/citySource';

/** Lines are recorded in pieces of at most this length, as a survey records them between its points. */
const PIECE_M = 120;

export interface UtilityLine {
  id: string;
  network: UtilityNetwork;
  points: Vec2[];
  section: PipeSection;
  /** Ground to the top of the pipe or duct, metres. */
  depthM: number;
  material: string;
  owner: string;
  installYear: number;
  pressureMPa?: number;
}

interface NetworkLayout {
  network: UtilityNetwork;
  prefix: string;
  /** Offset from the centreline as a share of the half-width: + left of the road's direction. */
  lateral: number;
  depthM: number;
  owner: string;
  section(cls: RoadClass): PipeSection;
  material(cls: RoadClass): string;
  pressureMPa?: number;
}

const circle = (d: number): PipeSection => ({ shape: 'circular', diameterM: d });
const box = (w: number, h: number): PipeSection => ({ shape: 'rectangular', widthM: w, heightM: h });
const byClass = <T,>(arterial: T, secondary: T, local: T) => (cls: RoadClass): T => (cls === 'arterial' ? arterial : cls === 'secondary' ? secondary : local);

/** Depth bands (top of pipe), 0.2 m apart at the largest sections: telecom 0.5, power 1.0, gas 1.65, water 2.15 m. */
const LAYOUTS: NetworkLayout[] = [
  { network: 'telecom', prefix: 'TX', lateral: 0.88, depthM: 0.5, owner: 'telecom', section: byClass(box(0.8, 0.3), box(0.6, 0.3), box(0.4, 0.25)), material: () => 'PVC-duct' },
  { network: 'power', prefix: 'DL', lateral: -0.86, depthM: 1.0, owner: 'power-supply', section: byClass(box(1.0, 0.45), box(0.8, 0.4), box(0.6, 0.35)), material: () => 'concrete-duct' },
  { network: 'gas', prefix: 'RQ', lateral: 0.6, depthM: 1.65, owner: 'gas', section: byClass(circle(0.3), circle(0.2), circle(0.11)), material: byClass('steel', 'PE', 'PE'), pressureMPa: 0.4 },
  { network: 'water', prefix: 'JS', lateral: -0.5, depthM: 2.15, owner: 'water-affairs', section: byClass(circle(0.6), circle(0.4), circle(0.2)), material: () => 'ductile-iron', pressureMPa: 0.35 },
];

export function layUtilityLines(roads: readonly Road[], landform: Landform, frame: PlanFrame, rng: Rng): UtilityLine[] {
  const onLand = solidGround(landform, frame);
  const out: UtilityLine[] = [];
  const counts = new Map<UtilityNetwork, number>();
  for (const road of roads) {
    const half = road.widthM / 2;
    const pieces = landIntervals(road.line, onLand).flatMap(([s0, s1]) => {
      const n = Math.ceil((s1 - s0) / PIECE_M);
      return Array.from({ length: n }, (_, k) => road.line.slice(s0 + ((s1 - s0) * k) / n, s0 + ((s1 - s0) * (k + 1)) / n));
    });
    for (const centre of pieces) {
      for (const layout of LAYOUTS) {
        const n = (counts.get(layout.network) ?? 0) + 1;
        counts.set(layout.network, n);
        out.push({
          id: `${layout.prefix}${String(n).padStart(5, '0')}`,
          network: layout.network,
          points: offsetLine(centre, layout.lateral * half),
          section: layout.section(road.class),
          depthM: layout.depthM,
          material: layout.material(road.class),
          owner: layout.owner,
          installYear: rng.int(1995, 2023),
          ...(layout.pressureMPa !== undefined ? { pressureMPa: layout.pressureMPa } : {}),
        });
      }
    }
  }
  return out;
}

/** A polyline moved `offset` metres to its left (mitred at the vertices). */
function offsetLine(points: readonly Vec2[], offset: number): Vec2[] {
  const normalOf = (a: Vec2, b: Vec2): Vec2 => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    return [-(b[1] - a[1]) / len, (b[0] - a[0]) / len];
  };
  return points.map((p, i) => {
    const before = i > 0 ? normalOf(points[i - 1]!, p) : undefined;
    const after = i + 1 < points.length ? normalOf(p, points[i + 1]!) : undefined;
    const [nx, ny] = before && after ? [(before[0] + after[0]) / 2, (before[1] + after[1]) / 2] : (before ?? after)!;
    const scale = Math.max(0.5, Math.hypot(nx, ny));
    return [p[0] + (nx / scale / scale) * offset, p[1] + (ny / scale / scale) * offset];
  });
}
