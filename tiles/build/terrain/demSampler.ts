/**
 * DEM heights at WGS84 points, fast enough for millions of queries (tile vertices, basemap
 * pixels, building bases).
 *
 * The DEM lives in a projected CRS, and a proj4 call per query would dominate the build. Over a
 * district the projection is smooth, so this samples it once on a lon/lat lattice (nodes ≤ 50 m
 * apart) and interpolates bilinearly: for a transverse Mercator the error is under a millimetre,
 * far below any DEM's accuracy. Heights then come from `sampleGrid` (bilinear between cell centres).
 */
import type { GeoBounds } from '../../../domain/twinPackage';
import { sampleGrid, type Grid } from '../../source/asciiGrid';
import { crsTransform } from '../../source/crs';
import { metresPerDegree } from './tilingScheme';

const LATTICE_SPACING_M = 50;
const LATTICE_MAX_NODES = 513;
/** Points along each DEM edge when finding its lon/lat extent (the edges curve slightly). */
const EDGE_SAMPLES = 64;

export class DemSampler {
  readonly dem: Grid;
  /** Lon/lat box around the DEM's extent (its cells' outer edges). */
  readonly bounds: GeoBounds;
  private readonly west: number;
  private readonly south: number;
  private readonly stepLon: number;
  private readonly stepLat: number;
  private readonly nx: number;
  private readonly ny: number;
  /** Projected x, y at each lattice node, row-major from the south. */
  private readonly latticeX: Float64Array;
  private readonly latticeY: Float64Array;

  constructor(dem: Grid, demCrs: string) {
    this.dem = dem;
    const transform = crsTransform(demCrs);
    const x0 = dem.xll;
    const y0 = dem.yll;
    const x1 = dem.xll + dem.ncols * dem.cellSize;
    const y1 = dem.yll + dem.nrows * dem.cellSize;
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
    if (!Number.isFinite(b.west + b.south + b.east + b.north)) throw new Error(`DEM extent does not map to lon/lat in ${demCrs}`);
    this.bounds = b;

    // Lattice a little larger than the box, so points just outside still get a projected
    // position (and a NaN from the grid) rather than an extrapolated one.
    const m = metresPerDegree((b.south + b.north) / 2);
    const padLon = (b.east - b.west) * 0.01 + 1e-6;
    const padLat = (b.north - b.south) * 0.01 + 1e-6;
    this.west = b.west - padLon;
    this.south = b.south - padLat;
    const spanLon = b.east - b.west + 2 * padLon;
    const spanLat = b.north - b.south + 2 * padLat;
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
   * Like `sample`, but a point just off the DEM (within the lattice's margin) takes the height
   * of the nearest edge cell: for imagery over the DEM's lon/lat box, whose corners the
   * slightly rotated grid does not reach. NaN further out and on no-data cells.
   */
  sampleExtended(lon: number, lat: number): number {
    const fx = (lon - this.west) / this.stepLon;
    const fy = (lat - this.south) / this.stepLat;
    if (!(fx >= 0 && fy >= 0 && fx <= this.nx - 1 && fy <= this.ny - 1)) return Number.NaN;
    this.project(lon, lat, scratchXY);
    const { xll, yll, cellSize, ncols, nrows } = this.dem;
    // Cell centres of the outermost cells bound the clamp.
    const x = Math.min(Math.max(scratchXY[0], xll + cellSize / 2), xll + (ncols - 0.5) * cellSize);
    const y = Math.min(Math.max(scratchXY[1], yll + cellSize / 2), yll + (nrows - 0.5) * cellSize);
    return sampleGrid(this.dem, x, y);
  }

  /**
   * Largest and smallest DEM values in cells that may overlap a lon/lat rectangle (the box of
   * its projected corners, one cell wider): what a coarse tile must admit in its header even
   * where its vertices miss a peak. `found` is false when no finite cell overlaps.
   */
  rangeIn(west: number, south: number, east: number, north: number, out: { min: number; max: number; found: boolean }): typeof out {
    out.min = Infinity;
    out.max = -Infinity;
    out.found = false;
    if (east < this.bounds.west || west > this.bounds.east || north < this.bounds.south || south > this.bounds.north) return out;
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
    const { ncols, nrows, cellSize, values } = this.dem;
    const top = this.dem.yll + nrows * cellSize;
    const c0 = Math.max(0, Math.floor((minX - this.dem.xll) / cellSize) - 1);
    const c1 = Math.min(ncols - 1, Math.floor((maxX - this.dem.xll) / cellSize) + 1);
    const r0 = Math.max(0, Math.floor((top - maxY) / cellSize) - 1);
    const r1 = Math.min(nrows - 1, Math.floor((top - minY) / cellSize) + 1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const v = values[r * ncols + c]!;
        if (v < out.min) out.min = v;
        if (v > out.max) out.max = v;
      }
    }
    out.found = out.min <= out.max;
    return out;
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
