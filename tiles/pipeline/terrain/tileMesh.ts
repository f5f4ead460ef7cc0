/**
 * One terrain tile's mesh: a regular grid of vertices sampled from the DEM (off it, the edge
 * faded to 0: `DemSampler.sampleFalloff`), with normals, a water mask and the header bounds,
 * ready for `encodeQuantizedMesh`.
 *
 * Vertex (i, j) sits at u = round(i · 32767 / (n − 1)), v likewise, counting i from the west and
 * j from the south, and its height is sampled at exactly that quantised position, so a decoder
 * sees the DEM's own bilinear height there. Tiles that share an edge share its vertices' positions
 * and heights, and normals come from central differences over a one-vertex ring sampled beyond
 * the tile, so lighting has no seams between tiles either.
 */
import type { Vec3 } from '../../../kernel/geodesy';
import type { GeoBounds } from '../../../domain/twinPackage';
import { fillRings, intersectsBox, northUpTransform, preparePolygons, type PixelTransform, type PreparedPolygon } from '../basemap/raster';
import type { WaterCollection } from '../geojson';
import type { DemSampler } from './demSampler';
import {
  QUANTIZED_MAX,
  WATER_MASK_SIZE,
  boundingSphere,
  horizonOcclusionPoint,
  octEncode,
  type QuantizedMesh,
  type Sphere,
} from './quantizedMesh';
import { TILE_GRID_SIZE, tileBounds } from './tilingScheme';

const E2 = 0.00669437999014; // WGS84 first eccentricity squared
const A = 6_378_137;
const DEG = Math.PI / 180;

export interface PreparedWater {
  /** Sea polygons: vertex heights inside are raised to at least 0 (the sea surface). */
  sea: PreparedPolygon[];
  /** All water (sea, river, lake): the water mask. */
  all: PreparedPolygon[];
}

export function prepareWater(water: WaterCollection): PreparedWater {
  const out: PreparedWater = { sea: [], all: [] };
  for (const f of water.features) {
    if (!f.geometry) continue;
    const parts = preparePolygons(f.geometry);
    out.all.push(...parts);
    if (f.properties?.kind === 'sea') out.sea.push(...parts);
  }
  return out;
}

/** What a build returns besides the mesh: the height range of vertices that fell on the DEM. */
export interface TileStats {
  /** NaN when no vertex of the tile fell on the DEM. */
  demMin: number;
  demMax: number;
}

const ALL_LAND = new Uint8Array([0]);
const ALL_WATER = new Uint8Array([255]);

/**
 * Builds tile meshes one at a time into reused buffers: the mesh `build` returns is valid until
 * the next call, which suits encode-then-write.
 */
export class TileMeshBuilder {
  private readonly n: number;
  private readonly sampler: DemSampler;
  private readonly water: PreparedWater;
  private readonly district: GeoBounds;
  // Grid with a one-vertex ring around the tile: (n + 2)², index (j + 1) · (n + 2) + (i + 1).
  private readonly ringLon: Float64Array;
  private readonly ringLat: Float64Array;
  private readonly cosLon: Float64Array;
  private readonly sinLon: Float64Array;
  private readonly primeVertical: Float64Array;
  private readonly cosLat: Float64Array;
  private readonly sinLat: Float64Array;
  private readonly heights: Float64Array;
  private readonly seaMask: Uint8Array;
  private readonly positions: Float64Array;
  private readonly boundPoints: Float64Array;
  private readonly waterMask = new Uint8Array(WATER_MASK_SIZE * WATER_MASK_SIZE);
  private readonly mesh: QuantizedMesh;
  private readonly tile: GeoBounds = { west: 0, south: 0, east: 0, north: 0 };
  private readonly sphere: Sphere = { center: [0, 0, 0], radius: 0 };
  private readonly range = { min: 0, max: 0, found: false };

  constructor(sampler: DemSampler, water: PreparedWater, gridSize = TILE_GRID_SIZE) {
    if (gridSize < 2 || gridSize * gridSize > 65536) throw new Error('grid size must keep indices 16-bit');
    const n = gridSize;
    const m = n + 2;
    this.n = n;
    this.sampler = sampler;
    this.water = water;
    this.district = sampler.bounds;
    this.ringLon = new Float64Array(m);
    this.ringLat = new Float64Array(m);
    this.cosLon = new Float64Array(m);
    this.sinLon = new Float64Array(m);
    this.primeVertical = new Float64Array(m);
    this.cosLat = new Float64Array(m);
    this.sinLat = new Float64Array(m);
    this.heights = new Float64Array(m * m);
    this.seaMask = new Uint8Array(m * m);
    this.positions = new Float64Array(3 * m * m);
    this.boundPoints = new Float64Array(3 * 2 * n * n);

    // Positions and topology are the same for every tile; only heights and extensions change.
    const u = new Uint16Array(n * n);
    const v = new Uint16Array(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        u[j * n + i] = quantizedCoordinate(i, n);
        v[j * n + i] = quantizedCoordinate(j, n);
      }
    }
    const indices = new Uint32Array(6 * (n - 1) * (n - 1));
    let t = 0;
    for (let j = 0; j < n - 1; j++) {
      for (let i = 0; i < n - 1; i++) {
        const sw = j * n + i;
        const se = sw + 1;
        const nw = sw + n;
        const ne = nw + 1;
        // Counter-clockwise seen from above (u east, v north), as the spec requires.
        indices[t++] = sw;
        indices[t++] = se;
        indices[t++] = ne;
        indices[t++] = sw;
        indices[t++] = ne;
        indices[t++] = nw;
      }
    }
    const line = (start: number, stride: number) => Uint32Array.from({ length: n }, (_, k) => start + k * stride);
    this.mesh = {
      header: {
        center: [0, 0, 0],
        minHeight: 0,
        maxHeight: 0,
        boundingSphereCenter: [0, 0, 0],
        boundingSphereRadius: 0,
        horizonOcclusionPoint: [0, 0, 0],
      },
      u,
      v,
      height: new Uint16Array(n * n),
      indices,
      westIndices: line(0, n),
      southIndices: line(0, 1),
      eastIndices: line(n - 1, n),
      northIndices: line((n - 1) * n, 1),
      octNormals: new Uint8Array(2 * n * n),
      waterMask: ALL_LAND,
    };
  }

  build(level: number, x: number, y: number, stats: TileStats): QuantizedMesh {
    const { n, mesh } = this;
    const m = n + 2;
    const tile = tileBounds(level, x, y, this.tile);
    const width = tile.east - tile.west;
    const height = tile.north - tile.south;
    const step = width / (n - 1); // tiles are square in degrees

    for (let k = 0; k < m; k++) {
      // Inside the tile: the quantised position a decoder will see; the ring: one step out.
      const q = k === 0 ? -step : k === m - 1 ? width + step : (quantizedCoordinate(k - 1, n) / QUANTIZED_MAX) * width;
      const lon = tile.west + q;
      const lat = Math.min(90, Math.max(-90, tile.south + (k === 0 ? -step : k === m - 1 ? height + step : (quantizedCoordinate(k - 1, n) / QUANTIZED_MAX) * height)));
      this.ringLon[k] = lon;
      this.ringLat[k] = lat;
      this.cosLon[k] = Math.cos(lon * DEG);
      this.sinLon[k] = Math.sin(lon * DEG);
      const sinLat = Math.sin(lat * DEG);
      this.sinLat[k] = sinLat;
      this.cosLat[k] = Math.cos(lat * DEG);
      this.primeVertical[k] = A / Math.sqrt(1 - E2 * sinLat * sinLat);
    }

    this.rasteriseSea(tile, step);
    this.sampleHeights(stats);
    this.computePositions();

    // Header heights: the vertices' range, widened to the DEM cells under the tile so a coarse
    // tile whose vertices miss a hilltop still bounds it (Cesium culls whole subtrees by it).
    let vMin = Infinity;
    let vMax = -Infinity;
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= n; i++) {
        const h = this.heights[j * m + i]!;
        if (h < vMin) vMin = h;
        if (h > vMax) vMax = h;
      }
    }
    const area = this.sampler.rangeIn(tile.west, tile.south, tile.east, tile.north, this.range);
    // Sea cells are raised to 0 on the mesh, so a negative DEM value only widens the floor to 0;
    // off the DEM the range already holds the faded edge (0 up to the edge cells).
    const minH = Math.fround(area.found ? Math.min(vMin, Math.max(area.min, 0)) : vMin);
    const maxH = Math.fround(area.found ? Math.max(vMax, area.max) : vMax);
    const span = maxH - minH;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const h = this.heights[(j + 1) * m + i + 1]!;
        const q = span > 0 ? Math.round(((h - minH) / span) * QUANTIZED_MAX) : 0;
        mesh.height[j * n + i] = Math.min(QUANTIZED_MAX, Math.max(0, q));
      }
    }

    this.computeNormals();
    this.computeHeader(minH, maxH);
    mesh.waterMask = this.computeWaterMask(tile);
    return mesh;
  }

  private rasteriseSea(tile: GeoBounds, step: number): void {
    const m = this.n + 2;
    this.seaMask.fill(0);
    // Node k of the ring grid is the centre of pixel k: px = (lon − (west − step)) / step + 0.5.
    const t: PixelTransform = {
      sx: 1 / step,
      ox: -(tile.west - step) / step + 0.5,
      sy: 1 / step,
      oy: -(tile.south - step) / step + 0.5,
    };
    const mask = this.seaMask;
    for (const p of this.water.sea) {
      if (!intersectsBox(p, tile.west - step, tile.south - step, tile.east + step, tile.north + step)) continue;
      fillRings(p.rings, t, m, m, (row, x0, x1) => mask.fill(1, row * m + x0, row * m + x1));
    }
  }

  private sampleHeights(stats: TileStats): void {
    const m = this.n + 2;
    let demMin = Infinity;
    let demMax = -Infinity;
    for (let j = 0; j < m; j++) {
      const lat = this.ringLat[j]!;
      const inner = j > 0 && j < m - 1;
      for (let i = 0; i < m; i++) {
        const k = j * m + i;
        let h = this.sampler.sample(this.ringLon[i]!, lat);
        const onDem = h === h;
        // Off the DEM the edge fades to the ellipsoid (on no-data cells the surface is at it).
        if (!onDem) h = this.sampler.sampleFalloff(this.ringLon[i]!, lat);
        if (this.seaMask[k] === 1 && h < 0) h = 0;
        this.heights[k] = h;
        if (onDem && inner && i > 0 && i < m - 1) {
          if (h < demMin) demMin = h;
          if (h > demMax) demMax = h;
        }
      }
    }
    stats.demMin = demMin <= demMax ? demMin : Number.NaN;
    stats.demMax = demMin <= demMax ? demMax : Number.NaN;
  }

  private computePositions(): void {
    const m = this.n + 2;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < m; i++) {
        const k = j * m + i;
        this.ecef(i, j, this.heights[k]!, this.positions, 3 * k);
      }
    }
  }

  /** ECEF of ring-grid node (i, j) at a height, from the per-row and per-column tables. */
  private ecef(i: number, j: number, h: number, out: Float64Array, o: number): void {
    const nPhi = this.primeVertical[j]!;
    const r = (nPhi + h) * this.cosLat[j]!;
    out[o] = r * this.cosLon[i]!;
    out[o + 1] = r * this.sinLon[i]!;
    out[o + 2] = (nPhi * (1 - E2) + h) * this.sinLat[j]!;
  }

  private computeNormals(): void {
    const { n, positions: p } = this;
    const m = n + 2;
    const normals = this.mesh.octNormals!;
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= n; i++) {
        const e = 3 * (j * m + i + 1), w = 3 * (j * m + i - 1);
        const no = 3 * ((j + 1) * m + i), so = 3 * ((j - 1) * m + i);
        const ex = p[e]! - p[w]!, ey = p[e + 1]! - p[w + 1]!, ez = p[e + 2]! - p[w + 2]!;
        const nx = p[no]! - p[so]!, ny = p[no + 1]! - p[so + 1]!, nz = p[no + 2]! - p[so + 2]!;
        // East × north points up, out of the surface.
        let cx = ey * nz - ez * ny;
        let cy = ez * nx - ex * nz;
        let cz = ex * ny - ey * nx;
        let len = Math.hypot(cx, cy, cz);
        if (!(len > 1e-9 * (Math.hypot(ex, ey, ez) * Math.hypot(nx, ny, nz)))) {
          // Degenerate at the poles, where a row of vertices collapses to one point: use the ellipsoid normal.
          cx = this.cosLat[j]! * this.cosLon[i]!;
          cy = this.cosLat[j]! * this.sinLon[i]!;
          cz = this.sinLat[j]!;
          len = 1;
        }
        octEncode(cx / len, cy / len, cz / len, normals, 2 * ((j - 1) * n + (i - 1)));
      }
    }
  }

  private computeHeader(minH: number, maxH: number): void {
    const { n, boundPoints: pts } = this;
    const header = this.mesh.header;
    // The sphere holds the tile's whole height column (every vertex lies between its
    // min-height and max-height points); the horizon point uses the max-height surface.
    let o = 0;
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= n; i++) {
        this.ecef(i, j, maxH, pts, o);
        this.ecef(i, j, minH, pts, o + 3 * n * n);
        o += 3;
      }
    }
    const sphere = boundingSphere(pts, 2 * n * n, this.sphere);
    copy(sphere.center, header.center);
    copy(sphere.center, header.boundingSphereCenter);
    header.boundingSphereRadius = sphere.radius;
    header.minHeight = minH;
    header.maxHeight = maxH;
    horizonOcclusionPoint(pts, n * n, sphere.center, header.horizonOcclusionPoint);
  }

  /** 256 × 256 water mask (rows north → south) inside the district, or one byte if uniform. */
  private computeWaterMask(tile: GeoBounds): Uint8Array {
    const d = this.district;
    if (tile.east <= d.west || tile.west >= d.east || tile.north <= d.south || tile.south >= d.north) return ALL_LAND;
    const candidates = this.water.all.filter((p) => intersectsBox(p, tile.west, tile.south, tile.east, tile.north));
    if (candidates.length === 0) return ALL_LAND;

    const size = WATER_MASK_SIZE;
    const t = northUpTransform(tile.west, tile.south, tile.east, tile.north, size, size);
    // Only pixels whose centres fall inside the district can be water.
    const c0 = Math.max(0, Math.ceil((d.west - tile.west) * t.sx - 0.5));
    const c1 = Math.min(size, Math.floor((d.east - tile.west) * t.sx - 0.5) + 1);
    const r0 = Math.max(0, Math.ceil(d.north * t.sy + t.oy - 0.5));
    const r1 = Math.min(size, Math.floor(d.south * t.sy + t.oy - 0.5) + 1);
    const mask = this.waterMask;
    mask.fill(0);
    for (const p of candidates) {
      fillRings(p.rings, t, size, size, (row, x0, x1) => {
        if (row < r0 || row >= r1) return;
        const a = Math.max(x0, c0);
        const b = Math.min(x1, c1);
        if (b > a) mask.fill(255, row * size + a, row * size + b);
      });
    }
    let water = 0;
    for (let k = 0; k < mask.length; k++) water += mask[k]! >> 7;
    if (water === 0) return ALL_LAND;
    if (water === mask.length) return ALL_WATER;
    return mask;
  }
}

/** Grid index k of n along one axis → quantised coordinate, exact 0 and 32767 at the edges. */
function quantizedCoordinate(k: number, n: number): number {
  return Math.round((k * QUANTIZED_MAX) / (n - 1));
}

function copy(from: Vec3, to: Vec3): void {
  to[0] = from[0];
  to[1] = from[1];
  to[2] = from[2];
}
