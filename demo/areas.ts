/**
 * Water bodies and the natural land-use areas, as polygons traced from the landform: the sea
 * south of the waterline, the river, the beaches, the hill park and the green strips along the
 * river banks. All are clipped to the DEM's extent so the basemap and the terrain agree.
 */
import type { LanduseKind, WaterKind } from '../domain/citySource';
import { DEM_MARGIN_M, DISTRICT_SIZE_M, type PlanFrame } from './frame';
import { clipPolygonToRect, dedupeRing, signedArea, type Vec2 } from './geometry';
import type { Landform } from './landform';
import { RIVER_GREENWAY_M } from './site';

export interface WaterArea {
  id: string;
  kind: WaterKind;
  name: string;
  ring: Vec2[];
}

export interface LanduseArea {
  kind: LanduseKind;
  name?: string;
  ring: Vec2[];
}

const EDGE_STEP_M = 10;
/** Plan extent wide enough to cover the DEM box at any rotation. */
const FAR_M = 2700;

/** Clips a world ring to the DEM box and makes it counter-clockwise; undefined when nothing is left. */
export function clipToDem(ring: readonly Vec2[]): Vec2[] | undefined {
  const lo = -DEM_MARGIN_M;
  const hi = DISTRICT_SIZE_M + DEM_MARGIN_M;
  const clipped = dedupeRing(clipPolygonToRect(ring, lo, lo, hi, hi), 0.01);
  if (clipped.length < 3 || Math.abs(signedArea(clipped)) < 1) return undefined;
  return signedArea(clipped) < 0 ? clipped.reverse() : clipped;
}

/** Clips a world ring to the district square; undefined when less than `minArea` m² is left. */
export function clipToDistrict(ring: readonly Vec2[], minArea = 200): Vec2[] | undefined {
  const clipped = dedupeRing(clipPolygonToRect(ring, 0, 0, DISTRICT_SIZE_M, DISTRICT_SIZE_M), 0.01);
  if (clipped.length < 3 || Math.abs(signedArea(clipped)) < minArea) return undefined;
  return signedArea(clipped) < 0 ? clipped.reverse() : clipped;
}

/** Where the river's centreline meets the waterline (plan q), by fixed-point iteration. */
export function riverMouthQ(landform: Landform): number {
  let q = landform.coastBaseQ;
  for (let i = 0; i < 20; i++) q = landform.coastQ(landform.riverP(q));
  return q;
}

/** A strip along the river between offsets d0 and d1 from its centreline (negative: east bank). */
function riverStrip(landform: Landform, frame: PlanFrame, q0: number, q1: number, d0: (q: number) => number, d1: (q: number) => number): Vec2[] {
  const n = Math.ceil((q1 - q0) / EDGE_STEP_M);
  const side0: Vec2[] = [];
  const side1: Vec2[] = [];
  for (let k = 0; k <= n; k++) {
    const q = q0 + ((q1 - q0) * k) / n;
    const p = landform.riverP(q);
    const slope = (landform.riverP(q + 1) - landform.riverP(q - 1)) / 2;
    const len = Math.hypot(1, slope);
    // Unit normal to the course, pointing towards smaller p (the west bank).
    const np = -1 / len;
    const nq = slope / len;
    side0.push(frame.toWorld(p + np * d0(q), q + nq * d0(q)));
    side1.push(frame.toWorld(p + np * d1(q), q + nq * d1(q)));
  }
  return [...side0, ...side1.reverse()];
}

export function buildWater(landform: Landform, frame: PlanFrame): WaterArea[] {
  const out: WaterArea[] = [];
  const coast: Vec2[] = [];
  for (let p = -FAR_M; p <= FAR_M; p += EDGE_STEP_M) coast.push(frame.toWorld(p, landform.coastQ(p)));
  const sea = clipToDem([...coast, frame.toWorld(FAR_M, -FAR_M * 2), frame.toWorld(-FAR_M, -FAR_M * 2)]);
  if (sea) out.push({ id: 'W01', kind: 'sea', name: '伶仃洋', ring: sea });
  // The river polygon runs 20 m past the mouth so it meets the sea without a seam.
  const half = (q: number): number => landform.riverHalfWidth(q);
  const river = clipToDem(riverStrip(landform, frame, riverMouthQ(landform) - 20, FAR_M, half, (q) => -half(q)));
  if (river) out.push({ id: 'W02', kind: 'river', name: '银湾河', ring: river });
  return out;
}

export function buildNaturalLanduse(landform: Landform, frame: PlanFrame): LanduseArea[] {
  const out: LanduseArea[] = [];
  const push = (kind: LanduseKind, name: string, ring: Vec2[]): void => {
    const clipped = clipToDem(ring);
    if (clipped) out.push({ kind, name, ring: clipped });
  };
  // Beaches on both sides of the river mouth.
  const mouthQ = riverMouthQ(landform);
  const mouthP = landform.riverP(mouthQ);
  const gap = landform.riverHalfWidth(mouthQ) + 10;
  const beach = (p0: number, p1: number): Vec2[] => {
    const n = Math.max(1, Math.ceil((p1 - p0) / EDGE_STEP_M));
    const sea: Vec2[] = [];
    const land: Vec2[] = [];
    for (let k = 0; k <= n; k++) {
      const p = p0 + ((p1 - p0) * k) / n;
      const q = landform.coastQ(p);
      sea.push(frame.toWorld(p, q));
      land.push(frame.toWorld(p, q + landform.beachWidth(p)));
    }
    return [...sea, ...land.reverse()];
  };
  push('beach', '银滩', beach(-FAR_M, mouthP - gap));
  push('beach', '金沙滩', beach(mouthP + gap, FAR_M));

  const hill: Vec2[] = [];
  for (let k = 0; k < 96; k++) {
    const a = (k / 96) * Math.PI * 2;
    const r = landform.hillParkRadius(a);
    hill.push(frame.toWorld(landform.hillCentre[0] + r * Math.cos(a), landform.hillCentre[1] + r * Math.sin(a)));
  }
  push('park', '望海岭森林公园', hill);

  // Green strips on both banks, from behind the beach to the north edge.
  const half = (q: number): number => landform.riverHalfWidth(q);
  const q0 = mouthQ + 60;
  push('park', '银湾河滨河公园', riverStrip(landform, frame, q0, FAR_M, half, (q) => half(q) + RIVER_GREENWAY_M));
  push('park', '银湾河滨河公园', riverStrip(landform, frame, q0, FAR_M, (q) => -half(q), (q) => -half(q) - RIVER_GREENWAY_M));
  return out;
}
