/**
 * Colours of the ground image, chosen to read like an aerial photograph of a subtropical
 * coastal city at noon: grey-beige built-up lowland, forested hills, dark asphalt, blue-green
 * water deepening offshore. Values are sRGB 0–255.
 */
import type { LanduseKind, RoadClass } from '../../../domain/citySource';

export type Rgb = readonly [number, number, number];

/** Built-up or bare ground at sea level and at ~80 m: grey-beige warming to dusty brown. */
export const LOWLAND: Rgb = [170, 163, 149];
export const HIGHLAND: Rgb = [158, 150, 130];
/** Subtropical forest on hills, a little paler on the highest ground. */
export const FOREST: Rgb = [82, 106, 62];
export const SUMMIT: Rgb = [100, 114, 78];

export const LANDUSE: Record<LanduseKind, Rgb> = {
  park: [92, 126, 70],
  beach: [222, 207, 165],
  plaza: [199, 195, 187],
  'industrial-yard': [156, 149, 137],
  campus: [166, 170, 140],
};

export const SEA_SHALLOW: Rgb = [66, 130, 150];
export const SEA_DEEP: Rgb = [20, 56, 92];
export const RIVER: Rgb = [58, 110, 126];
export const LAKE: Rgb = [52, 104, 122];

export const BUILDING: Rgb = [112, 112, 118];
/** Footprints are blended, not painted: a subtle darker patch on whatever ground is there. */
export const BUILDING_ALPHA = 0.45;

export const SIDEWALK: Rgb = [184, 180, 172];
export const ROAD: Record<RoadClass, Rgb> = {
  arterial: [64, 66, 70],
  secondary: [78, 80, 84],
  local: [96, 96, 98],
};
export const CENTRE_LINE: Rgb = [222, 186, 58];
export const LANE_MARK: Rgb = [226, 226, 222];

/** Offshore distance over which the sea darkens from shallow to deep, metres. */
export const SEA_DARKENING_M = 450;
/** Depth below 0 m at which the sea is fully deep regardless of distance. */
export const SEA_DEPTH_FULL_M = 25;

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(Math.max((x - edge0) / (edge1 - edge0), 0), 1);
  return t * t * (3 - 2 * t);
}

/**
 * Ground colour from height and slope. Cities in the Pearl River Delta build on the plains and
 * gentle slopes and leave steep or high ground wooded, so forest takes over with slope (6–14 %)
 * or height (60–110 m); otherwise the ground warms a little with height.
 */
export function landTint(heightM: number, slope: number, out: Uint8Array, o: number): void {
  const h = heightM === heightM ? heightM : 0;
  const dry = smoothstep(0, 80, h);
  const wooded = Math.max(smoothstep(60, 110, h), smoothstep(0.06, 0.14, slope));
  const summit = smoothstep(150, 400, h);
  for (let c = 0; c < 3; c++) {
    const bare = LOWLAND[c]! + (HIGHLAND[c]! - LOWLAND[c]!) * dry;
    const forest = FOREST[c]! + (SUMMIT[c]! - FOREST[c]!) * summit;
    out[o + c] = Math.round(bare + (forest - bare) * wooded);
  }
}

/** Sea colour from distance to the shore and depth. */
export function seaTint(distanceM: number, depthM: number, out: Uint8Array, o: number): void {
  const d = Math.min(distanceM / SEA_DARKENING_M, 1);
  let t = 1 - (1 - d) * (1 - d);
  if (depthM > 0) t = Math.max(t, Math.min(depthM / SEA_DEPTH_FULL_M, 1));
  for (let c = 0; c < 3; c++) out[o + c] = Math.round(SEA_SHALLOW[c]! + (SEA_DEEP[c]! - SEA_SHALLOW[c]!) * t);
}
