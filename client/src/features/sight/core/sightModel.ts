/**
 * The twin as the sight analyses see it: every building's footprint as a prism in one local
 * east-north-up frame at the district's centre (x east, y north in metres; z in the package's
 * heights, metres above the ellipsoid), a planner's proposed box, and the conversions between
 * that frame and lon/lat. No Cesium: tested in Node.
 */
import { ecefToGeodetic, EnuFrame } from '../../../../../kernel/geodesy';
import type { Grid } from '../../../../../kernel/raster/grid';
import { boxPrism, Obstacles, type Prism } from '../../../../../simulations/sight/obstacles';
import type { GridSpec } from '../../../../../simulations/sight/viewshed';

/** One record of the package's interiors/plans.json (tiles/pipeline/interiors/interiorGlb.ts, InteriorInput). */
export interface Footprint {
  id: string;
  height: number;
  /** Outer ring then holes, metres east/north of `origin`. */
  polygons: Array<Array<Array<[number, number]>>>;
  origin: { lon: number; lat: number; height: number };
}

/** A box a planner places: a proposed building, or a wall to test a view against. */
export interface Proposal {
  lon: number;
  lat: number;
  widthM: number;
  depthM: number;
  heightM: number;
  headingDeg: number;
  /** Its base, m above the ellipsoid (the ground there). */
  baseM: number;
}

export class SightModel {
  readonly frame: EnuFrame;
  readonly buildings: Prism[];

  constructor(
    readonly centre: { lon: number; lat: number; height: number },
    footprints: readonly Footprint[],
  ) {
    this.frame = new EnuFrame(centre.lon, centre.lat, 0);
    this.buildings = footprints.map((f) => {
      const [ox, oy] = this.toLocal(f.origin.lon, f.origin.lat);
      const outer = f.polygons[0]?.[0] ?? [];
      return { id: f.id, ring: outer.map(([x, y]) => [ox + x, oy + y] as [number, number]), baseM: f.origin.height, topM: f.origin.height + f.height };
    });
  }

  /** lon/lat → local metres east, north. */
  toLocal(lon: number, lat: number): [number, number] {
    const p = this.frame.fromGeodetic(lon, lat, 0);
    return [p[0], p[1]];
  }

  /** Local metres → lon/lat. */
  toLonLat(x: number, y: number): [number, number] {
    const p = this.frame.toEcef(x, y, 0);
    const g = ecefToGeodetic(p[0], p[1], p[2]);
    return [g.lon, g.lat];
  }

  proposalPrism(p: Proposal): Prism {
    const [x, y] = this.toLocal(p.lon, p.lat);
    return boxPrism('proposed', x, y, p.widthM, p.depthM, p.headingDeg, p.baseM, p.heightM);
  }

  /** The obstacles: buildings near (x, y) within `radiusM` plus the proposal, on `ground`. */
  obstacles(x: number, y: number, radiusM: number, proposal: Proposal | null, ground?: Grid): Obstacles {
    const near = this.buildings.filter((b) => b.ring.some(([bx, by]) => Math.hypot(bx - x, by - y) <= radiusM));
    if (proposal) near.push(this.proposalPrism(proposal));
    return new Obstacles(near, ground);
  }

  /** A square grid of `cellM` cells centred on (x, y) reaching `radiusM` each way. */
  static gridAround(x: number, y: number, radiusM: number, cellM: number): GridSpec {
    const n = Math.max(1, Math.ceil((2 * radiusM) / cellM));
    return { ncols: n, nrows: n, xll: x - (n * cellM) / 2, yll: y - (n * cellM) / 2, cellSize: cellM };
  }

  /** Ground heights under `grid`'s cell centres from `heightAt` (lon, lat → m; NaN where unknown). */
  groundUnder(grid: GridSpec, heightAt: (lon: number, lat: number) => number): Grid {
    const values = new Float32Array(grid.ncols * grid.nrows);
    for (let row = 0; row < grid.nrows; row++) {
      for (let col = 0; col < grid.ncols; col++) {
        const [lon, lat] = this.toLonLat(grid.xll + (col + 0.5) * grid.cellSize, grid.yll + (grid.nrows - row - 0.5) * grid.cellSize);
        values[row * grid.ncols + col] = heightAt(lon, lat);
      }
    }
    return { ...grid, values };
  }

  /** The grid's outer corners as a lon/lat box. */
  boxOf(grid: GridSpec): { west: number; south: number; east: number; north: number } {
    const [west, south] = this.toLonLat(grid.xll, grid.yll);
    const [east, north] = this.toLonLat(grid.xll + grid.ncols * grid.cellSize, grid.yll + grid.nrows * grid.cellSize);
    return { west, south, east, north };
  }
}
