/**
 * The DEM: ground heights on a 5 m grid over the district plus its margin, from the landform.
 * Sea floor falls to about −6 m offshore, the beach rises 0–2 m, land climbs gently inland, the
 * hill stands in the north-west and the river runs in a channel 3–4 m below its banks.
 */
import type { Grid } from '../kernel/raster/grid';
import { sampleGrid } from '../kernel/raster/grid';
import { DEM_CELL_M, DEM_MARGIN_M, DISTRICT_SIZE_M, ORIGIN_X, ORIGIN_Y, type PlanFrame } from './frame';
import { smoothstep } from './geometry';
import { Landform } from './landform';
import { Noise2D } from './noise';
import type { Rng } from '../kernel/random';

/** Width of the strip beside the channel that is graded to bank level, metres. */
const VALLEY_BLEND_M = 45;

export class Terrain {
  private readonly texture: Noise2D;
  private readonly hillTexture: Noise2D;

  constructor(
    private readonly landform: Landform,
    rng: Rng,
  ) {
    this.texture = new Noise2D(rng);
    this.hillTexture = new Noise2D(rng);
  }

  /** Ground height at a plan point, metres. */
  heightAt(p: number, q: number): number {
    const lf = this.landform;
    const beachW = lf.beachWidth(p);
    const d = q - lf.coastQ(p);
    let h = Landform.profile(d, beachW);
    if (d > beachW) {
      // Texture fades in behind the beach, so the shore stays a clean 0–2 m.
      h += 1.5 * this.texture.fbm(p / 350, q / 350, 3) * smoothstep(beachW, beachW + 500, d);
    }
    const hill = lf.hillHeight(p, q);
    if (hill > 0.01) h += hill * (1 + 0.07 * this.hillTexture.fbm(p / 90, q / 90, 2));

    if (Math.abs(p - lf.riverAxisP) < lf.riverSwing + 120) {
      const dr = lf.riverDistance(p, q);
      const half = lf.riverHalfWidth(q);
      if (dr < half + VALLEY_BLEND_M) {
        const bank = lf.riverBankLevel(q);
        // Flat bed over the inner 70 % of the width, sloped banks at the edges.
        const bed = bank - lf.riverDepth * smoothstep(0, 0.3, 1 - Math.min(dr / half, 1));
        if (d < 0) {
          // Offshore the channel only deepens the sea floor.
          if (dr < half) h = Math.min(h, bed);
        } else {
          // Grade the strip beside the river to bank level so the banks are even on both sides.
          const w = 1 - smoothstep(half, half + VALLEY_BLEND_M, dr);
          h = h * (1 - w) + bank * w;
          if (dr < half) h = bed;
        }
      }
    }
    return h;
  }
}

/** Samples the terrain at cell centres into an ESRI-style grid in EPSG:4547 (row 0 = north). */
export function buildDem(terrain: Terrain, frame: PlanFrame): Grid {
  const extent = DISTRICT_SIZE_M + 2 * DEM_MARGIN_M;
  const n = Math.round(extent / DEM_CELL_M);
  const values = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    const v = DISTRICT_SIZE_M + DEM_MARGIN_M - (r + 0.5) * DEM_CELL_M;
    for (let c = 0; c < n; c++) {
      const u = -DEM_MARGIN_M + (c + 0.5) * DEM_CELL_M;
      const [p, q] = frame.toPlan(u, v);
      // Rounded to centimetres here so what the generator samples equals what the file says.
      values[r * n + c] = Math.round(terrain.heightAt(p, q) * 100) / 100;
    }
  }
  return { ncols: n, nrows: n, xll: ORIGIN_X - DEM_MARGIN_M, yll: ORIGIN_Y - DEM_MARGIN_M, cellSize: DEM_CELL_M, values };
}

/** Ground height from the DEM at a world point (district metres). */
export function groundAt(dem: Grid, u: number, v: number): number {
  return sampleGrid(dem, ORIGIN_X + u, ORIGIN_Y + v);
}
