/**
 * What a flood hits, from its max-depth grid and the twin's layers: buildings (deepest water
 * against the footprint), roads (flooded length along the centreline), components (depth at the
 * cover or hydrant) and hotspots (the deepest places, at least HOTSPOT_SPACING_M apart), each
 * hotspot with the nearest cameras and the departments responsible for what is hit around it.
 * Pure: positions come in the grid's CRS via `project`.
 */
import type { OverloadedDrain } from '../../drainage/overloadedDrains';
import type { FootprintRaster, GroundGrid } from './buildingFootprints';
import { cellCentre, cellOf } from './twinGrid';

export interface NamedPoint {
  id: string;
  name?: string;
  lon: number;
  lat: number;
}

export interface ImpactInputs {
  grid: GroundGrid;
  maxDepthM: Float32Array;
  arrivalS: Float32Array;
  /** 1 on permanent water (sea, river, lake at the start): never a hit or a hotspot. */
  permanentWater: Uint8Array;
  footprints: FootprintRaster;
  buildings: ReadonlyArray<NamedPoint & { use?: string }>;
  roads: ReadonlyArray<{ id: string; name: string; coordinates: number[][] }>;
  components: ReadonlyArray<NamedPoint & { classCode: string; ownerId: string }>;
  /** Camera terminals placed at their poles. */
  cameras: ReadonlyArray<NamedPoint & { type: string; poleId: string }>;
  departmentName(id: string): string | undefined;
  className(code: string): string | undefined;
  project(lon: number, lat: number): [number, number];
  unproject(x: number, y: number): [number, number];
  /** Depth that counts as hit, m. */
  hitDepthM: number;
  /** Runs with a drainage network: its spilling manholes and overloaded pipes (overloadedDrains.ts). */
  drains?: ReadonlyArray<OverloadedDrain>;
}

export interface HitBuilding {
  id: string;
  name?: string;
  use?: string;
  lon: number;
  lat: number;
  depthM: number;
}
export interface HitRoad {
  id: string;
  name: string;
  floodedLengthM: number;
  maxDepthM: number;
  lon: number;
  lat: number;
}
export interface HitComponent {
  code: string;
  classCode: string;
  className?: string;
  ownerId: string;
  lon: number;
  lat: number;
  depthM: number;
}
export interface Hotspot {
  lon: number;
  lat: number;
  depthM: number;
  arrivalS: number | null;
  cameras: Array<{ id: string; type: string; poleId: string; distanceM: number }>;
  /** Departments owning the hit components within HOTSPOT_RADIUS_M. */
  departments: Array<{ id: string; name?: string; components: number }>;
}

export interface FloodImpacts {
  buildings: HitBuilding[];
  roads: HitRoad[];
  components: HitComponent[];
  hotspots: Hotspot[];
  /** The "overloaded drains" list, present for runs with a drainage network. */
  drains?: OverloadedDrain[];
  counts: { buildings: number; roads: number; roadLengthM: number; components: number; drains?: number };
}

export const HOTSPOT_COUNT = 8;
export const HOTSPOT_SPACING_M = 250;
export const HOTSPOT_RADIUS_M = 300;
/** Longest lists kept in a summary (counts cover everything). */
export const MAX_LISTED = 200;

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Deepest max depth over the open land cells within one cell of `cell` (and the cell itself). */
function depthAround(grid: GroundGrid, depth: Float32Array, permanentWater: Uint8Array, row: number, col: number): number {
  let best = 0;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const r = row + dr;
      const c = col + dc;
      if (r < 0 || c < 0 || r >= grid.nrows || c >= grid.ncols || permanentWater[r * grid.ncols + c]) continue;
      const v = depth[r * grid.ncols + c]!;
      if (v > best) best = v;
    }
  }
  return best;
}

function hitBuildings(x: ImpactInputs): HitBuilding[] {
  const { grid, maxDepthM, footprints } = x;
  const deepest = new Float32Array(footprints.buildingIds.length);
  for (let r = 0; r < grid.nrows; r++) {
    for (let c = 0; c < grid.ncols; c++) {
      const b = footprints.buildingOf[r * grid.ncols + c]!;
      if (b >= 0) deepest[b] = Math.max(deepest[b]!, depthAround(grid, maxDepthM, x.permanentWater, r, c));
    }
  }
  const byId = new Map(x.buildings.map((b) => [b.id, b]));
  const hit: HitBuilding[] = [];
  footprints.buildingIds.forEach((id, k) => {
    const record = byId.get(id);
    if (!record || !(deepest[k]! >= x.hitDepthM)) return;
    hit.push({ id, name: record.name, use: record.use, lon: record.lon, lat: record.lat, depthM: round2(deepest[k]!) });
  });
  return hit.sort((a, b) => b.depthM - a.depthM);
}

function hitRoads(x: ImpactInputs): HitRoad[] {
  const step = x.grid.cellSize / 2;
  const out: HitRoad[] = [];
  for (const road of x.roads) {
    let flooded = 0;
    let deepest = 0;
    let at: [number, number] = [0, 0];
    const pts = road.coordinates.map(([lon, lat]) => x.project(lon!, lat!));
    for (let i = 1; i < pts.length; i++) {
      const [ax, ay] = pts[i - 1]!;
      const [bx, by] = pts[i]!;
      const length = Math.hypot(bx - ax, by - ay);
      const n = Math.max(1, Math.ceil(length / step));
      for (let k = 0; k < n; k++) {
        const f = (k + 0.5) / n;
        const px = ax + f * (bx - ax);
        const py = ay + f * (by - ay);
        const cell = cellOf(x.grid, px, py);
        if (!cell) continue;
        const d = depthAround(x.grid, x.maxDepthM, x.permanentWater, cell.row, cell.col);
        if (d >= x.hitDepthM) flooded += length / n;
        if (d > deepest) {
          deepest = d;
          at = [px, py];
        }
      }
    }
    if (flooded > 0) {
      const [lon, lat] = x.unproject(at[0], at[1]);
      out.push({ id: road.id, name: road.name, floodedLengthM: Math.round(flooded), maxDepthM: round2(deepest), lon, lat });
    }
  }
  return out.sort((a, b) => b.floodedLengthM - a.floodedLengthM);
}

function hitComponents(x: ImpactInputs): HitComponent[] {
  const out: HitComponent[] = [];
  for (const comp of x.components) {
    const [px, py] = x.project(comp.lon, comp.lat);
    const cell = cellOf(x.grid, px, py);
    if (!cell) continue;
    const d = depthAround(x.grid, x.maxDepthM, x.permanentWater, cell.row, cell.col);
    if (d < x.hitDepthM) continue;
    out.push({ code: comp.id, classCode: comp.classCode, className: x.className(comp.classCode), ownerId: comp.ownerId, lon: comp.lon, lat: comp.lat, depthM: round2(d) });
  }
  return out.sort((a, b) => b.depthM - a.depthM);
}

/** The deepest cells, greedily, no two closer than HOTSPOT_SPACING_M. */
function hotspots(x: ImpactInputs, components: HitComponent[]): Hotspot[] {
  const { grid, maxDepthM } = x;
  const order: number[] = [];
  for (let i = 0; i < maxDepthM.length; i++) if (maxDepthM[i]! >= x.hitDepthM && !x.permanentWater[i]) order.push(i);
  order.sort((a, b) => maxDepthM[b]! - maxDepthM[a]!);
  const chosen: Array<[number, number, number]> = [];
  for (const i of order) {
    if (chosen.length >= HOTSPOT_COUNT) break;
    const [cx, cy] = cellCentre(grid, Math.floor(i / grid.ncols), i % grid.ncols);
    if (chosen.some(([px, py]) => Math.hypot(px - cx, py - cy) < HOTSPOT_SPACING_M)) continue;
    chosen.push([cx, cy, i]);
  }
  const cameras = x.cameras.map((c) => ({ c, xy: x.project(c.lon, c.lat) }));
  const comps = components.map((c) => ({ c, xy: x.project(c.lon, c.lat) }));
  return chosen.map(([cx, cy, i]) => {
    const [lon, lat] = x.unproject(cx, cy);
    const near = cameras
      .map(({ c, xy }) => ({ id: c.id, type: c.type, poleId: c.poleId, distanceM: Math.round(Math.hypot(xy[0] - cx, xy[1] - cy)) }))
      .sort((a, b) => a.distanceM - b.distanceM)
      .slice(0, 3);
    const owners = new Map<string, number>();
    for (const { c, xy } of comps) if (Math.hypot(xy[0] - cx, xy[1] - cy) <= HOTSPOT_RADIUS_M) owners.set(c.ownerId, (owners.get(c.ownerId) ?? 0) + 1);
    const arrival = x.arrivalS[i]!;
    return {
      lon,
      lat,
      depthM: round2(maxDepthM[i]!),
      arrivalS: Number.isFinite(arrival) ? Math.round(arrival) : null,
      cameras: near,
      departments: [...owners].map(([id, n]) => ({ id, name: x.departmentName(id), components: n })).sort((a, b) => b.components - a.components),
    };
  });
}

export function floodImpacts(x: ImpactInputs): FloodImpacts {
  const buildings = hitBuildings(x);
  const roads = hitRoads(x);
  const components = hitComponents(x);
  return {
    buildings: buildings.slice(0, MAX_LISTED),
    roads: roads.slice(0, MAX_LISTED),
    components: components.slice(0, MAX_LISTED),
    hotspots: hotspots(x, components),
    counts: {
      buildings: buildings.length,
      roads: roads.length,
      roadLengthM: roads.reduce((n, r) => n + r.floodedLengthM, 0),
      components: components.length,
      ...(x.drains ? { drains: x.drains.length } : {}),
    },
    ...(x.drains ? { drains: x.drains.slice(0, MAX_LISTED) } : {}),
  };
}
