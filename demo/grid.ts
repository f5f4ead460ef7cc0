/**
 * Unit grid cells (万米单元网格): 100 m squares over the district's land, grouped five by five
 * into communities under one street (街道). Codes: county (6) + street (3) + community (3) +
 * cell serial within the community (2).
 */
import type { Vec2 } from './geometry';
import { COUNTY_CODE, DISTRICT_SIZE_M, type PlanFrame } from './frame';
import type { Landform } from './landform';
import { COMMUNITY_STEMS } from './names';
import type { Rng } from '../kernel/random';

export const CELL_M = 100;
const COMMUNITY_CELLS = 5;
export const STREET_NAME = '滨海湾街道';
/** Fictional street code under the county. */
export const STREET_CODE = '101';

export interface GridCell {
  code: string;
  streetName: string;
  communityName: string;
  /** Column and row of the cell, counted from the district's south-west corner. */
  col: number;
  row: number;
  ring: Vec2[];
}

export class CellGrid {
  private readonly byPosition = new Map<number, GridCell>();

  constructor(readonly cells: readonly GridCell[]) {
    for (const cell of cells) this.byPosition.set(cell.row * 1000 + cell.col, cell);
  }

  /** Code of the cell a world point falls in, if that cell exists (land). */
  codeAt(u: number, v: number): string | undefined {
    const col = Math.floor(u / CELL_M);
    const row = Math.floor(v / CELL_M);
    return this.byPosition.get(row * 1000 + col)?.code;
  }
}

export function buildGridCells(landform: Landform, frame: PlanFrame, rng: Rng): CellGrid {
  const n = DISTRICT_SIZE_M / CELL_M;
  const onLand = (col: number, row: number): boolean => {
    // A cell is kept when any of a 5 × 5 sample of it is above the waterline.
    for (let i = 0; i <= 4; i++) {
      for (let j = 0; j <= 4; j++) {
        const [p, q] = frame.toPlan((col + i / 4) * CELL_M, (row + j / 4) * CELL_M);
        if (!landform.isSea(p, q)) return true;
      }
    }
    return false;
  };
  const names = rng.shuffle(COMMUNITY_STEMS.slice());
  const communities = n / COMMUNITY_CELLS;
  const cells: GridCell[] = [];
  let community = 0;
  // Communities are numbered from the north-west, row by row, as maps are read.
  for (let cr = communities - 1; cr >= 0; cr--) {
    for (let cc = 0; cc < communities; cc++) {
      const members: Array<[number, number]> = [];
      for (let r = (cr + 1) * COMMUNITY_CELLS - 1; r >= cr * COMMUNITY_CELLS; r--) {
        for (let c = cc * COMMUNITY_CELLS; c < (cc + 1) * COMMUNITY_CELLS; c++) {
          if (onLand(c, r)) members.push([c, r]);
        }
      }
      if (members.length === 0) continue;
      community++;
      const stem = names[(community - 1) % names.length]!;
      const communityCode = String(community).padStart(3, '0');
      members.forEach(([c, r], k) => {
        cells.push({
          code: `${COUNTY_CODE}${STREET_CODE}${communityCode}${String(k + 1).padStart(2, '0')}`,
          streetName: STREET_NAME,
          communityName: `${stem.zh}社区`,
          col: c,
          row: r,
          ring: [
            [c * CELL_M, r * CELL_M],
            [(c + 1) * CELL_M, r * CELL_M],
            [(c + 1) * CELL_M, (r + 1) * CELL_M],
            [c * CELL_M, (r + 1) * CELL_M],
          ],
        });
      });
    }
  }
  return new CellGrid(cells);
}
