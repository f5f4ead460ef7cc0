/**
 * DEM heights at WGS84 points, fast enough for millions of queries (tile vertices, basemap
 * pixels, building bases).
 *
 * The DEM lives in a projected CRS, and a proj4 call per query would dominate the build. Over a
 * district the projection is smooth, so this samples it once on a lon/lat lattice (nodes ≤ 50 m
 * apart) and interpolates bilinearly: for a transverse Mercator the error is under a millimetre,
 * far below any DEM's accuracy. Heights then come from `sampleGrid` (bilinear between cell centres).
 *
 * Off the DEM, `sampleFalloff` gives the terrain a shore: the nearest edge height faded to 0 over
 * `edgeFalloffM`, so the district does not stand on a plateau with a cliff at its edge.
 */
import type { GeoBounds } from '../../../domain/twinPackage';
import { sampleGrid, type Grid } from '../../../kernel/raster/grid';
import { crsTransform, isGeographicCrs, type CrsTransform } from '../../../kernel/crs/crs';
import { metresPerDegree } from './tilingScheme';

const LATTICE_SPACING_M = 50;
const LATTICE_MAX_NODES = 513;
/** Points along each DEM edge when finding its lon/lat extent (the edges curve slightly). */
const EDGE_SAMPLES = 64;
/** Margin around a lon/lat box, as a share of its span: covers the curvature between edge samples. */
const BOX_PAD = 0.01;

export interface DemSamplerOptions {
  /**
   * Distance beyond the DEM's edge, in metres (on the ground for a lon/lat DEM), over which `sampleFalloff` fades the
   * edge heights to 0. Default 0: nothing off the DEM (the lattice then covers only the DEM).
   */
  edgeFalloffM?: number;
}

export class DemSampler {
  readonly dem: Grid;
  /** Lon/lat box around the DEM's extent (its cells' outer edges). */
  readonly bounds: GeoBounds;
  /** Lon/lat box around the DEM's extent widened by `edgeFalloffM`: where `sampleFalloff` can be above 0. */
  readonly outerBounds: GeoBounds;
  readonly edgeFalloffM: number;
  /**
   * The DEM cell's north–south size in metres: `cellSize` for a projected DEM, the cell's
   * degrees times the metres in a degree of latitude (at the DEM's middle) for a lon/lat one.
   */
  readonly cellSizeM: number;
  /** Metres per DEM unit along x and y: 1 for a projected DEM, metres per degree of lon/lat at its middle for a geographic one. */
  private readonly unitX: number;
  private readonly unitY: number;
  /** `bounds` with its margin: where `sampleExtended` answers. */
  private readonly near: GeoBounds;
  private readonly west: number;
  private readonly south: number;
  private readonly stepLon: number;
  private readonly stepLat: number;
  private readonly nx: number;
  private readonly ny: number;
  /** Projected x, y at each lattice node, row-major from the south. */
  private readonly latticeX: Float64Array;
  private readonly latticeY: Float64Array;

  constructor(dem: Grid, demCrs: string, opts: DemSamplerOptions = {}) {
    const falloffM = opts.edgeFalloffM ?? 0;
    if (!(falloffM >= 0 && Number.isFinite(falloffM))) throw new Error(`edgeFalloffM must be a finite distance ≥ 0, got ${falloffM}`);
    this.dem = dem;
    this.edgeFalloffM = falloffM;
    const transform = crsTransform(demCrs);
    const x0 = dem.xll;
    const y0 = dem.yll;
    const x1 = dem.xll + dem.ncols * dem.cellSize;
    const y1 = dem.yll + dem.nrows * dem.cellSize;
    const b = lonLatBox(transform, x0, y0, x1, y1);
    if (!Number.isFinite(b.west + b.south + b.east + b.north)) throw new Error(`DEM extent does not map to lon/lat in ${demCrs}`);
    this.bounds = b;
    this.near = padBox(b);
    // Distances (falloff, cell size) are metres; a lon/lat DEM's units are degrees, converted at its middle.
    const mid = metresPerDegree((b.south + b.north) / 2);
    const geographic = isGeographicCrs(demCrs);
    this.unitX = geographic ? mid.lon : 1;
    this.unitY = geographic ? mid.lat : 1;
    this.cellSizeM = dem.cellSize * this.unitY;
    // The rectangle widened by the falloff holds every point within that distance of the DEM.
    const fx = falloffM / this.unitX;
    const fy = falloffM / this.unitY;
    this.outerBounds = falloffM > 0 ? lonLatBox(transform, x0 - fx, Math.max(y0 - fy, geographic ? -90 : -Infinity), x1 + fx, Math.min(y1 + fy, geographic ? 90 : Infinity)) : { ...b };
    const o = this.outerBounds;
    if (!Number.isFinite(o.west + o.south + o.east + o.north)) throw new Error(`DEM extent widened by ${falloffM} m does not map to lon/lat in ${demCrs}`);

    // Lattice a little larger than the (outer) box, so points just outside still get a projected
    // position (and a NaN from the grid) rather than an extrapolated one.
    const lattice = padBox(o);
    const m = metresPerDegree((o.south + o.north) / 2);
    this.west = lattice.west;
    this.south = lattice.south;
    const spanLon = lattice.east - lattice.west;
    const spanLat = lattice.north - lattice.south;
    this.nx = Math.min(LATTICE_MAX_NODES, Math.max(2, Math.ceil((spanLon * m.lon) / LATTICE_SPACING_M) + 1));
    this.ny = Math.min(LATTICE_MAX_NODES, Math.max(2, Math.ceil((spanLat * m.lat) / LATTICE_SPACING_M) + 1));
    this.stepLon = spanLon / (this.nx - 1);
    this.stepLat = spanLat / (this.ny - 1);
    this.latticeX = new Float64Array(this.nx * this.ny);
    this.latticeY = new Float64Array(this.nx * this.ny);
    for (let j = 0; j < this.ny; j++) {
      for (let i = 0; i < this.nx; i++) {
        const [x, y] = transform.fromLonLat(this.west + i * this.stepLon, this.south + j * this.stepLat);
        this.latticeX[j * this.nx + i] = x;
        this.latticeY[j * this.nx + i] = y;
      }
    }
  }

  /** DEM height at a WGS84 point; NaN outside the DEM or next to no-data cells. */
  sample(lon: number, lat: number): number {
    const fx = (lon - this.west) / this.stepLon;
    const fy = (lat - this.south) / this.stepLat;
    // Outside the lattice is outside the DEM (the lattice covers the DEM's box with margin).
    if (!(fx >= 0 && fy >= 0 && fx <= this.nx - 1 && fy <= this.ny - 1)) return Number.NaN;
    this.project(lon, lat, scratchXY);
    return sampleGrid(this.dem, scratchXY[0], scratchXY[1]);
  }

  /**
   * Like `sample`, but a point just off the DEM (within a 1 % margin of its lon/lat box) takes
   * the height of the nearest edge cell: for imagery over the DEM's lon/lat box, whose corners
   * the slightly rotated grid does not reach. NaN further out and on no-data cells.
   */
  sampleExtended(lon: number, lat: number): number {
    const b = this.near;
    if (!(lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north)) return Number.NaN;
    this.project(lon, lat, scratchXY);
    this.clampToGrid(scratchXY);
    return sampleGrid(this.dem, scratchXY[0], scratchXY[1]);
  }

  /**
   * Terrain surface height where `sample` has none: the height at the nearest point of the DEM's
   * edge, faded to 0 by a smoothstep over `edgeFalloffM`, so land slopes gently down to the
   * ellipsoid the rest of the globe sits at. Never below 0 (a sea edge stays flat at sea level);
   * 0 on no-data cells and from `edgeFalloffM` on.
   */
  sampleFalloff(lon: number, lat: number): number {
    const fx = (lon - this.west) / this.stepLon;
    const fy = (lat - this.south) / this.stepLat;
    // The lattice covers every point within the falloff distance.
    if (!(fx >= 0 && fy >= 0 && fx <= this.nx - 1 && fy <= this.ny - 1)) return 0;
    this.project(lon, lat, scratchXY);
    const { xll, yll, cellSize, ncols, nrows } = this.dem;
    const x = scratchXY[0];
    const y = scratchXY[1];
    // Distance to the DEM's rectangle, per axis: 0 within its span.
    const dx = Math.max(xll - x, 0, x - (xll + ncols * cellSize)) * this.unitX;
    const dy = Math.max(yll - y, 0, y - (yll + nrows * cellSize)) * this.unitY;
    const t = Math.sqrt(dx * dx + dy * dy) / this.edgeFalloffM;
    // t is NaN for a zero falloff on the DEM itself (a no-data cell): 0 there too.
    if (!(t < 1)) return 0;
    this.clampToGrid(scratchXY);
    const edge = sampleGrid(this.dem, scratchXY[0], scratchXY[1]);
    if (!(edge > 0)) return 0;
    // 1 − smoothstep(t): flat where it meets the edge and where it meets the sea.
    return edge * (1 - t) * (1 - t) * (1 + 2 * t);
  }

  /**
   * Range of the surface heights under a lon/lat rectangle that the DEM decides: its values in
   * cells that may overlap it (the box of its projected corners, one cell wider), and where the
   * rectangle reaches off the DEM, the edge cells nearest to it and 0, between which the faded
   * surface lies. What a coarse tile must admit in its header even where its vertices miss a
   * peak. `found` is false where no finite cell is involved.
   */
  rangeIn(west: number, south: number, east: number, north: number, out: { min: number; max: number; found: boolean }): typeof out {
    out.min = Infinity;
    out.max = -Infinity;
    out.found = false;
    const o = this.outerBounds;
    if (east < o.west || west > o.east || north < o.south || south > o.north) return out;
    const w = Math.max(west, this.west);
    const e = Math.min(east, this.west + (this.nx - 1) * this.stepLon);
    const s = Math.max(south, this.south);
    const n = Math.min(north, this.south + (this.ny - 1) * this.stepLat);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const [lon, lat] of [[w, s], [e, s], [w, n], [e, n]] as const) {
      this.project(lon, lat, scratchXY);
      minX = Math.min(minX, scratchXY[0]);
      maxX = Math.max(maxX, scratchXY[0]);
      minY = Math.min(minY, scratchXY[1]);
      maxY = Math.max(maxY, scratchXY[1]);
    }
    const { xll, yll, ncols, nrows, cellSize, values } = this.dem;
    const top = yll + nrows * cellSize;
    // Clamping both ends into the grid picks the edge cells for a rectangle beside it.
    const c0 = clampIndex(Math.floor((minX - xll) / cellSize) - 1, ncols);
    const c1 = clampIndex(Math.floor((maxX - xll) / cellSize) + 1, ncols);
    const r0 = clampIndex(Math.floor((top - maxY) / cellSize) - 1, nrows);
    const r1 = clampIndex(Math.floor((top - minY) / cellSize) + 1, nrows);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const v = values[r * ncols + c]!;
        if (v < out.min) out.min = v;
        if (v > out.max) out.max = v;
      }
    }
    const offDem = minX < xll || maxX > xll + ncols * cellSize || minY < yll || maxY > top;
    if (offDem) {
      out.min = Math.min(out.min, 0);
      out.max = Math.max(out.max, 0);
    }
    out.found = out.min <= out.max;
    return out;
  }

  /** Moves projected coordinates into the grid, onto its outermost cell centres (same heights as its edge). */
  private clampToGrid(xy: [number, number]): void {
    const { xll, yll, cellSize, ncols, nrows } = this.dem;
    xy[0] = Math.min(Math.max(xy[0], xll + cellSize / 2), xll + (ncols - 0.5) * cellSize);
    xy[1] = Math.min(Math.max(xy[1], yll + cellSize / 2), yll + (nrows - 0.5) * cellSize);
  }

  /** Projected DEM coordinates of a lon/lat point inside the lattice. */
  private project(lon: number, lat: number, out: [number, number]): void {
    const fx = Math.min(Math.max((lon - this.west) / this.stepLon, 0), this.nx - 1);
    const fy = Math.min(Math.max((lat - this.south) / this.stepLat, 0), this.ny - 1);
    const i = Math.min(Math.floor(fx), this.nx - 2);
    const j = Math.min(Math.floor(fy), this.ny - 2);
    const tx = fx - i;
    const ty = fy - j;
    const k = j * this.nx + i;
    const k2 = k + this.nx;
    const X = this.latticeX;
    const Y = this.latticeY;
    out[0] = (X[k]! * (1 - tx) + X[k + 1]! * tx) * (1 - ty) + (X[k2]! * (1 - tx) + X[k2 + 1]! * tx) * ty;
    out[1] = (Y[k]! * (1 - tx) + Y[k + 1]! * tx) * (1 - ty) + (Y[k2]! * (1 - tx) + Y[k2 + 1]! * tx) * ty;
  }
}

const scratchXY: [number, number] = [0, 0];

function clampIndex(i: number, count: number): number {
  return Math.min(Math.max(i, 0), count - 1);
}

/** Lon/lat box around a projected rectangle, from points along its (slightly curved) edges. */
function lonLatBox(transform: CrsTransform, x0: number, y0: number, x1: number, y1: number): GeoBounds {
  const b: GeoBounds = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const add = (x: number, y: number) => {
    const [lon, lat] = transform.toLonLat(x, y);
    b.west = Math.min(b.west, lon);
    b.east = Math.max(b.east, lon);
    b.south = Math.min(b.south, lat);
    b.north = Math.max(b.north, lat);
  };
  for (let i = 0; i <= EDGE_SAMPLES; i++) {
    const t = i / EDGE_SAMPLES;
    add(x0 + (x1 - x0) * t, y0);
    add(x0 + (x1 - x0) * t, y1);
    add(x0, y0 + (y1 - y0) * t);
    add(x1, y0 + (y1 - y0) * t);
  }
  return b;
}

/** A box widened by BOX_PAD of its span (and a hair, for a degenerate one) on every side. */
function padBox(b: GeoBounds): GeoBounds {
  const padLon = (b.east - b.west) * BOX_PAD + 1e-6;
  const padLat = (b.north - b.south) * BOX_PAD + 1e-6;
  return { west: b.west - padLon, south: b.south - padLat, east: b.east + padLon, north: b.north + padLat };
}
