/**
 * Points binned into a regular lon/lat grid of chunks. Each chunk is drawn (or clustered) as a
 * unit, so the renderer can choose detail by distance per chunk, and a pick looks only at the
 * chunks around the cursor.
 */
export interface GridBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface Chunk {
  index: number;
  /** Point indices in this chunk. */
  members: Uint32Array;
  /** Mean position of the members (the cluster marker). */
  lon: number;
  lat: number;
  height: number;
}

export interface SpatialGrid {
  bounds: GridBounds;
  columns: number;
  rows: number;
  chunks: Chunk[];
}

interface PointArrays {
  count: number;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  height: ArrayLike<number>;
}

export function boundsOf(points: PointArrays): GridBounds {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (let i = 0; i < points.count; i++) {
    west = Math.min(west, points.lon[i]!);
    east = Math.max(east, points.lon[i]!);
    south = Math.min(south, points.lat[i]!);
    north = Math.max(north, points.lat[i]!);
  }
  return { west, south, east, north };
}

function cellOf(grid: Pick<SpatialGrid, 'bounds' | 'columns' | 'rows'>, lon: number, lat: number): [number, number] {
  const { west, south, east, north } = grid.bounds;
  // The east/north edges belong to the last cell rather than one past it.
  const c = Math.min(grid.columns - 1, Math.max(0, Math.floor(((lon - west) / (east - west || 1)) * grid.columns)));
  const r = Math.min(grid.rows - 1, Math.max(0, Math.floor(((lat - south) / (north - south || 1)) * grid.rows)));
  return [c, r];
}

/** Bins every point; empty chunks are kept (with no members) so chunk index = row * columns + column. */
export function buildSpatialGrid(points: PointArrays, columns: number, rows: number): SpatialGrid {
  if (!(columns >= 1 && rows >= 1)) throw new Error(`spatial grid needs at least 1×1 chunks, got ${columns}×${rows}`);
  const bounds = boundsOf(points);
  const frame = { bounds, columns, rows };
  const cellOfPoint = new Uint32Array(points.count);
  const sizes = new Uint32Array(columns * rows);
  for (let i = 0; i < points.count; i++) {
    const [c, r] = cellOf(frame, points.lon[i]!, points.lat[i]!);
    cellOfPoint[i] = r * columns + c;
    sizes[cellOfPoint[i]!]!++;
  }
  const members = Array.from(sizes, (n) => new Uint32Array(n));
  const fill = new Uint32Array(columns * rows);
  const sums = new Float64Array(columns * rows * 3);
  for (let i = 0; i < points.count; i++) {
    const cell = cellOfPoint[i]!;
    members[cell]![fill[cell]!++] = i;
    sums[cell * 3] += points.lon[i]!;
    sums[cell * 3 + 1] += points.lat[i]!;
    sums[cell * 3 + 2] += points.height[i]!;
  }
  const chunks = members.map((m, index) => {
    const n = m.length || 1;
    return { index, members: m, lon: sums[index * 3]! / n, lat: sums[index * 3 + 1]! / n, height: sums[index * 3 + 2]! / n };
  });
  return { ...frame, chunks };
}

const M_PER_DEG_LAT = 111_320;

/** The point nearest to (lon, lat) within `radiusM` metres, or -1. Looks at the 3×3 chunks around it. */
export function nearestPoint(grid: SpatialGrid, points: PointArrays, lon: number, lat: number, radiusM: number): number {
  const [c0, r0] = cellOf(grid, lon, lat);
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  let best = -1;
  let bestD2 = radiusM * radiusM;
  for (let r = Math.max(0, r0 - 1); r <= Math.min(grid.rows - 1, r0 + 1); r++) {
    for (let c = Math.max(0, c0 - 1); c <= Math.min(grid.columns - 1, c0 + 1); c++) {
      for (const i of grid.chunks[r * grid.columns + c]!.members) {
        const dx = (points.lon[i]! - lon) * mPerDegLon;
        const dy = (points.lat[i]! - lat) * M_PER_DEG_LAT;
        const d2 = dx * dx + dy * dy;
        if (d2 <= bestD2) {
          bestD2 = d2;
          best = i;
        }
      }
    }
  }
  return best;
}

/**
 * Components per chunk the grid aims at. Every shown chunk is a draw call with the renderer's
 * per-command work around it, so a few thousand points per call: 10k components make 16 chunks
 * (not 576 of about 17 each, which cost more in draw calls than in points), a million about 500.
 */
const POINTS_PER_CHUNK = 2000;
/** Chunks along each axis: at least 4 (so distant parts still collapse), at most 32. */
const MIN_GRID_SIZE = 4;
const MAX_GRID_SIZE = 32;

/** Chunks along each axis of the grid for `count` components. */
export function componentGridSize(count: number): number {
  return Math.min(MAX_GRID_SIZE, Math.max(MIN_GRID_SIZE, Math.ceil(Math.sqrt(count / POINTS_PER_CHUNK))));
}
