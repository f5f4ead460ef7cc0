/**
 * The synthetic district and the independent checks test/tiles/terrain.test.ts measures the
 * quantized-mesh terrain against: expected heights, tile vertices, Cesium's horizon test.
 */
import { WGS84_A, WGS84_B, type Vec3 } from '../../kernel/geodesy';
import { sampleGrid } from '../../kernel/raster/grid';
import { crsTransform } from '../../kernel/crs/crs';
import type { Position } from '../../tiles/pipeline/geojson';
import type { DecodedQuantizedMesh } from '../../tiles/pipeline/terrain/decode';
import { DEFAULT_EDGE_FALLOFF_M } from '../../tiles/pipeline/terrain/index';
import { QUANTIZED_MAX } from '../../tiles/pipeline/terrain/quantizedMesh';
import { tileBounds, TILE_GRID_SIZE } from '../../tiles/pipeline/terrain/tilingScheme';
import { DEM_CRS, syntheticDistrict } from './syntheticDistrict';

// 1.2 km × 1 km at 10 m: small enough to check every vertex of every tile.
export const district = syntheticDistrict(120, 100, 10);
export const { dem } = district;
export const proj = crsTransform(DEM_CRS);

export function key(level: number, x: number, y: number): string {
  return `${level}/${x}/${y}`;
}

export function parseKey(k: string): [number, number, number] {
  const [z, x, y] = k.split('/').map(Number);
  return [z!, x!, y!];
}

/** Ray-casting point-in-polygon over the first ring (the test polygons have no holes). */
export function inRing(lon: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as [number, number];
    const [xj, yj] = ring[j]! as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function waterRing(kind: 'sea' | 'river'): Position[] {
  const f = district.water.features.find((w) => w.properties.kind === kind)!;
  if (f.geometry.type !== 'Polygon') throw new Error('test water is Polygon');
  return f.geometry.coordinates[0]!;
}
export const seaRing = waterRing('sea');
export const riverRing = waterRing('river');

/** Distance in metres from a projected point to the DEM's outer edge (negative outside). */
export function insideDemBy(x: number, y: number): number {
  const x1 = dem.xll + dem.ncols * dem.cellSize;
  const y1 = dem.yll + dem.nrows * dem.cellSize;
  return Math.min(x - dem.xll, x1 - x, y - dem.yll, y1 - y);
}

/**
 * What the terrain surface should be, computed independently: proj4 per point, then the grid;
 * off the DEM, the nearest edge cell's height (never below 0) faded by 1 − smoothstep over the
 * falloff distance.
 */
export function expectedHeight(lon: number, lat: number): { h: number; nearDemEdge: boolean; offDemM: number } {
  const [x, y] = proj.fromLonLat(lon, lat);
  const inside = insideDemBy(x, y);
  let h = sampleGrid(dem, x, y);
  let offDemM = 0;
  if (Number.isNaN(h)) {
    const x1 = dem.xll + dem.ncols * dem.cellSize;
    const y1 = dem.yll + dem.nrows * dem.cellSize;
    const dx = Math.max(dem.xll - x, 0, x - x1);
    const dy = Math.max(dem.yll - y, 0, y - y1);
    offDemM = Math.hypot(dx, dy);
    const half = dem.cellSize / 2;
    const edge = sampleGrid(dem, Math.min(Math.max(x, dem.xll + half), x1 - half), Math.min(Math.max(y, dem.yll + half), y1 - half));
    const t = offDemM / DEFAULT_EDGE_FALLOFF_M;
    h = t < 1 ? Math.max(edge, 0) * (1 - t) * (1 - t) * (1 + 2 * t) : 0;
  }
  if (inRing(lon, lat, seaRing)) h = Math.max(h, 0);
  return { h, nearDemEdge: Math.abs(inside) < 0.01, offDemM };
}

export interface Vertex {
  lon: number;
  lat: number;
  h: number;
}

export function vertices(level: number, x: number, y: number, t: DecodedQuantizedMesh): Vertex[] {
  const b = tileBounds(level, x, y);
  const { minHeight, maxHeight } = t.header;
  return Array.from(t.u, (u, i) => ({
    lon: b.west + (u / QUANTIZED_MAX) * (b.east - b.west),
    lat: b.south + (t.v[i]! / QUANTIZED_MAX) * (b.north - b.south),
    h: minHeight + (t.height[i]! / QUANTIZED_MAX) * (maxHeight - minHeight),
  }));
}

/** Index of the vertex at grid column i, row j (from the south-west), by its quantised u/v. */
export function vertexAt(t: DecodedQuantizedMesh, i: number, j: number): number | undefined {
  let index = gridIndex.get(t);
  if (!index) {
    index = new Map<number, number>();
    for (let n = 0; n < t.u.length; n++) index.set(t.u[n]! * 65536 + t.v[n]!, n);
    gridIndex.set(t, index);
  }
  const q = (k: number) => Math.round((k * QUANTIZED_MAX) / (TILE_GRID_SIZE - 1));
  return index.get(q(i) * 65536 + q(j));
}
export const gridIndex = new WeakMap<DecodedQuantizedMesh, Map<number, number>>();

export function toScaled(p: Vec3): Vec3 {
  return [p[0] / WGS84_A, p[1] / WGS84_A, p[2] / WGS84_B];
}

/** Cesium's horizon test (EllipsoidalOccluder.isScaledSpacePointVisible), written from the 2013 blog post. */
export function visibleFrom(camera: Vec3, point: Vec3): boolean {
  const vh2 = camera[0] ** 2 + camera[1] ** 2 + camera[2] ** 2 - 1;
  const vt: Vec3 = [point[0] - camera[0], point[1] - camera[1], point[2] - camera[2]];
  const vtDotVc = -(vt[0] * camera[0] + vt[1] * camera[1] + vt[2] * camera[2]);
  const occluded = vh2 < 0 ? vtDotVc > 0 : vtDotVc > vh2 && (vtDotVc * vtDotVc) / (vt[0] ** 2 + vt[1] ** 2 + vt[2] ** 2) > vh2;
  return !occluded;
}
