/**
 * The geographic (EPSG:4326) quadtree that Cesium terrain uses, with TMS row numbering.
 *
 * Level 0 is two 180° × 180° tiles (west, east); each level halves the tile size, so level L has
 * 2^(L+1) × 2^L tiles. TMS counts rows from the south (y = 0 touches the south pole), which is what
 * a layer.json with `"scheme": "tms"` tells CesiumTerrainProvider to expect.
 */
import type { GeoBounds } from '../../../domain/twinPackage';

/** Vertices per tile edge: 65 × 65 matches Cesium's own heightmap tiles and keeps indices 16-bit. */
export const TILE_GRID_SIZE = 65;

/** Deepest level accepted: level 24 vertices are ~1 cm apart, far finer than any DEM we take. */
export const MAX_SUPPORTED_LEVEL = 24;

/** Inclusive range of tile columns and TMS rows at one level, as layer.json's `available` lists it. */
export interface TileRange {
  startX: number;
  startY: number;
  endX: number;
  endY: number;
}

export function tileSizeDeg(level: number): number {
  return 180 / 2 ** level;
}

export function tilesX(level: number): number {
  return 2 ** (level + 1);
}

export function tilesY(level: number): number {
  return 2 ** level;
}

/** Rectangle of tile (level, x, y) with y in TMS order (0 = southernmost row). */
export function tileBounds(level: number, x: number, y: number, out: GeoBounds = { west: 0, south: 0, east: 0, north: 0 }): GeoBounds {
  const size = tileSizeDeg(level);
  out.west = -180 + x * size;
  out.east = -180 + (x + 1) * size;
  out.south = -90 + y * size;
  out.north = -90 + (y + 1) * size;
  return out;
}

/**
 * Tiles at `level` whose interior overlaps `bounds` (a tile that only touches an edge is left
 * out). Level 0 always gets both world tiles: Cesium needs both roots before it draws anything.
 */
export function tileRangeForBounds(level: number, bounds: GeoBounds): TileRange {
  if (level === 0) return { startX: 0, startY: 0, endX: 1, endY: 0 };
  const size = tileSizeDeg(level);
  const clampX = (v: number) => Math.min(Math.max(v, 0), tilesX(level) - 1);
  const clampY = (v: number) => Math.min(Math.max(v, 0), tilesY(level) - 1);
  return {
    startX: clampX(Math.floor((bounds.west + 180) / size)),
    endX: clampX(Math.ceil((bounds.east + 180) / size) - 1),
    startY: clampY(Math.floor((bounds.south + 90) / size)),
    endY: clampY(Math.ceil((bounds.north + 90) / size) - 1),
  };
}

export function rangeTileCount(r: TileRange): number {
  return (r.endX - r.startX + 1) * (r.endY - r.startY + 1);
}

/** Metres per degree of latitude and of longitude at a latitude, on the WGS84 ellipsoid. */
export function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const a = 6_378_137;
  const e2 = 0.00669437999014;
  const phi = (latDeg * Math.PI) / 180;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const meridional = (a * (1 - e2)) / (w * w * w);
  const normal = a / w;
  return { lat: (meridional * Math.PI) / 180, lon: (normal * Math.cos(phi) * Math.PI) / 180 };
}

/**
 * The first level whose vertex spacing (tile size / (grid − 1)) is no coarser than `cellSizeM`.
 * Spacing is measured north–south, the longer side of a geographic tile's cell away from the
 * equator, so the finest level resolves the DEM along both axes.
 */
export function defaultMaxLevel(cellSizeM: number, latDeg: number, gridSize = TILE_GRID_SIZE): number {
  const mPerDegLat = metresPerDegree(latDeg).lat;
  for (let level = 0; level < MAX_SUPPORTED_LEVEL; level++) {
    const spacingM = (tileSizeDeg(level) / (gridSize - 1)) * mPerDegLat;
    // A hair of slack so a DEM cell that equals the spacing up to rounding picks that level.
    if (spacingM <= cellSizeM * (1 + 1e-9)) return level;
  }
  return MAX_SUPPORTED_LEVEL;
}
