/**
 * Which surface cell each junction of a network lies in, for coupling it to a flood grid: nodes
 * carry x/y in the grid's projected CRS (a `.inp` file's [COORDINATES], the twin's storm layer
 * projected to the DEM). Junctions without a position, outside the grid or in a blocked cell
 * (a building, DEM no-data) stay uncoupled: water rising above their rim is lost as flooding, as
 * in SWMM without ponding, and the caller says so.
 */
import type { DrainageNetwork } from './network';
import type { NodeCell } from './surfaceCoupling';

/** The grid's placement: lower-left corner and cell size in the CRS, row 0 the north row. */
export interface GridPlacement {
  xll: number;
  yll: number;
  cellSizeM: number;
  ncols: number;
  nrows: number;
}

export interface NodeCellsOnGrid {
  nodeCells: NodeCell[];
  /** Junction ids left uncoupled and why. */
  uncoupled: Array<{ nodeId: string; reason: 'no position' | 'outside the grid' | 'in a blocked cell' }>;
}

export function nodeCellsOnGrid(network: DrainageNetwork, grid: GridPlacement, blocked?: Uint8Array): NodeCellsOnGrid {
  const nodeCells: NodeCell[] = [];
  const uncoupled: NodeCellsOnGrid['uncoupled'] = [];
  for (const node of network.nodes) {
    if (node.kind !== 'junction') continue;
    if (node.x === undefined || node.y === undefined) {
      uncoupled.push({ nodeId: node.id, reason: 'no position' });
      continue;
    }
    const col = Math.floor((node.x - grid.xll) / grid.cellSizeM);
    const row = Math.floor((grid.yll + grid.nrows * grid.cellSizeM - node.y) / grid.cellSizeM);
    if (col < 0 || row < 0 || col >= grid.ncols || row >= grid.nrows) uncoupled.push({ nodeId: node.id, reason: 'outside the grid' });
    else if (blocked?.[row * grid.ncols + col]) uncoupled.push({ nodeId: node.id, reason: 'in a blocked cell' });
    else nodeCells.push({ nodeId: node.id, row, col });
  }
  return { nodeCells, uncoupled };
}
