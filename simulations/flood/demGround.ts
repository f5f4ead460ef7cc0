/**
 * The ground a flood runs on, from a DEM grid: bed elevations, and the cells with no data, which
 * are blocked (no water enters them). The command line and the twin's setup both start here.
 */
export interface DemGround {
  bedM: Float64Array;
  /** 1 where the DEM has no data. */
  blocked: Uint8Array;
}

export function demGround(dem: { ncols: number; nrows: number; values: ArrayLike<number> }): DemGround {
  const cells = dem.ncols * dem.nrows;
  const bedM = new Float64Array(cells);
  const blocked = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) {
    const z = dem.values[i]!;
    if (Number.isNaN(z)) blocked[i] = 1;
    else bedM[i] = z;
  }
  return { bedM, blocked };
}
