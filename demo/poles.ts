/**
 * Smart lamp poles along every road, 30–40 m apart measured along the centreline, standing half
 * the road's width plus a metre from it. Roads 30 m or wider get poles on alternate sides.
 *
 * Spacing is chosen per road by dynamic programming over candidate chainages every 0.5 m: a
 * pole may not stand on another road's carriageway (at junctions), in the river or the sea, so
 * the spacing flexes between 30 and 40 m to step over crossings while staying near its target.
 */
import { formatComponentCode } from '../domain/components';
import { COUNTY_CODE, inDistrict, type PlanFrame } from './frame';
import type { Landform } from './landform';
import type { Rng } from '../kernel/random';
import type { Road, RoadIndex } from './roads';

export interface Pole {
  id: string;
  code: string;
  road: Road;
  x: number;
  y: number;
  heightM: number;
  /** Distance along the road's centreline, metres. */
  chainage: number;
}

export const POLE_MIN_SPACING_M = 30;
export const POLE_MAX_SPACING_M = 40;
/** Roads at least this wide carry poles on both sides, alternating. */
const BOTH_SIDES_WIDTH_M = 30;
const STEP_M = 0.5;
/** A pole keeps this far outside a crossing road's width. */
const CROSSING_CLEARANCE_M = 0.5;
/** Cost of a gap outside 30–40 m: only taken when nothing else fits. */
const BREAK_COST = 1e7;
/** Cost per metre of leaving the start or end of a road without a pole. */
const END_COST_PER_M = 1;

const HEIGHT_BY_KIND: Record<Road['kind'], number> = {
  arterial: 12,
  'ew-secondary': 11,
  coastal: 10,
  'ns-secondary': 10,
  local: 8,
};

export function placePoles(roads: readonly Road[], index: RoadIndex, landform: Landform, frame: PlanFrame, rng: Rng): Pole[] {
  const poles: Pole[] = [];
  for (const road of roads) {
    const target = rng.range(33, 37);
    for (const { chainage, side } of planRoad(road, index, landform, frame, target)) {
      const offset = side * (road.widthM / 2 + 1);
      const [x, y] = road.line.offsetPoint(chainage, offset);
      const n = poles.length + 1;
      poles.push({
        id: `P${String(n).padStart(5, '0')}`,
        code: formatComponentCode(COUNTY_CODE, '0118', n),
        road,
        x,
        y,
        heightM: HEIGHT_BY_KIND[road.kind] + (road.kind === 'local' && rng.chance(0.3) ? 1 : 0),
        chainage,
      });
    }
  }
  return poles;
}

/** Pole chainages and sides (+1 left of the direction of travel, −1 right) for one road. */
function planRoad(road: Road, index: RoadIndex, landform: Landform, frame: PlanFrame, target: number): Array<{ chainage: number; side: number }> {
  const both = road.widthM >= BOTH_SIDES_WIDTH_M;
  const sides = both ? [1, -1] : [1];
  const offset = road.widthM / 2 + 1;
  const n = Math.floor(road.line.length / STEP_M) + 1;
  const allowed = sides.map(() => new Uint8Array(n));
  let first = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    sides.forEach((side, k) => {
      const [x, y] = road.line.offsetPoint(i * STEP_M, side * offset);
      if (poleSiteOk(x, y, road, index, landform, frame)) {
        allowed[k]![i] = 1;
        if (first < 0) first = i;
        last = i;
      }
    });
  }
  if (first < 0) return [];

  const minStep = Math.round(POLE_MIN_SPACING_M / STEP_M);
  const maxStep = Math.round(POLE_MAX_SPACING_M / STEP_M);
  const S = sides.length;
  // cost[k][i]: cheapest plan whose latest pole stands at step i on side k.
  const cost = sides.map(() => new Float64Array(n).fill(Number.POSITIVE_INFINITY));
  const from = sides.map(() => new Int32Array(n).fill(-1));
  // Best plan ending at or before i - maxStep - 1, per side: the fallback when a gap cannot be bridged.
  const farBest = new Float64Array(S).fill(Number.POSITIVE_INFINITY);
  const farArg = new Int32Array(S).fill(-1);
  for (let i = first; i < n; i++) {
    const far = i - maxStep - 1;
    if (far >= first) {
      for (let k = 0; k < S; k++) {
        if (cost[k]![far]! < farBest[k]!) {
          farBest[k] = cost[k]![far]!;
          farArg[k] = far;
        }
      }
    }
    for (let k = 0; k < S; k++) {
      if (!allowed[k]![i]) continue;
      // Alternating roads: the previous pole stood on the other side.
      const prevK = both ? 1 - k : k;
      let best = (i - first) * STEP_M <= POLE_MAX_SPACING_M ? (i - first) * STEP_M * END_COST_PER_M : Number.POSITIVE_INFINITY;
      let arg = -1;
      for (let j = Math.max(first, i - maxStep); j <= i - minStep; j++) {
        const c = cost[prevK]![j]!;
        if (c === Number.POSITIVE_INFINITY) continue;
        const dev = (i - j) * STEP_M - target;
        const total = c + dev * dev;
        if (total < best) {
          best = total;
          arg = j;
        }
      }
      if (arg < 0 && best === Number.POSITIVE_INFINITY && farArg[prevK]! >= 0) {
        best = farBest[prevK]! + BREAK_COST;
        arg = farArg[prevK]!;
      }
      cost[k]![i] = best;
      from[k]![i] = arg;
    }
  }
  // Finish at the cheapest pole near the end of the usable stretch.
  let bestEnd = Number.POSITIVE_INFINITY;
  let endI = -1;
  let endK = 0;
  for (let i = last; i >= first && (last - i) * STEP_M <= POLE_MAX_SPACING_M; i--) {
    for (let k = 0; k < S; k++) {
      const total = cost[k]![i]! + (last - i) * STEP_M * END_COST_PER_M;
      if (total < bestEnd) {
        bestEnd = total;
        endI = i;
        endK = k;
      }
    }
  }
  const out: Array<{ chainage: number; side: number }> = [];
  for (let i = endI, k = endK; i >= 0; ) {
    out.push({ chainage: i * STEP_M, side: sides[k]! });
    const j = from[k]![i]!;
    if (both) k = 1 - k;
    i = j;
  }
  return out.reverse();
}

function poleSiteOk(x: number, y: number, road: Road, index: RoadIndex, landform: Landform, frame: PlanFrame): boolean {
  if (!inDistrict(x, y, 2)) return false;
  const [p, q] = frame.toPlan(x, y);
  if (landform.isSea(p, q) || landform.inHillPark(p, q)) return false;
  // Bridges carry their poles over the water; other roads keep them on the bank.
  if (!road.bridges && landform.riverDistance(p, q) < landform.riverHalfWidth(q) + 1) return false;
  return !index.onOtherRoad(x, y, road, CROSSING_CLEARANCE_M);
}
