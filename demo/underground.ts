/**
 * The demo's underground networks: storm drains draining by gravity to the river and the sea,
 * sewers beside them draining to pumping stations, and water, gas, power and telecom lines along
 * every road (drainage.ts, utilityLines.ts), all on the road graph (roadGraph.ts).
 */
import type { Grid } from '../kernel/raster/grid';
import type { Rng } from '../kernel/random';
import { layGravityNetwork, sewerTerminals, stormTerminals, type DrainageNetworkModel } from './drainage';
import type { PlanFrame } from './frame';
import type { Junction } from './junctions';
import type { Landform } from './landform';
import { buildRoadGraph } from './roadGraph';
import type { Road } from './roads';
import { groundAt } from './terrain';
import { layUtilityLines, type UtilityLine } from './utilityLines';

export interface Underground {
  storm: DrainageNetworkModel;
  sewer: DrainageNetworkModel;
  utilities: UtilityLine[];
}

/** Sewers run this far beside the storm drains (a world offset: about 2.5 m across the near-axis street grid). */
const SEWER_OFFSET_M = 2.5;

export function buildUnderground(roads: readonly Road[], junctions: readonly Junction[], landform: Landform, frame: PlanFrame, dem: Grid, rng: Rng): Underground {
  const graph = buildRoadGraph(roads, junctions, landform, frame);
  const ground = (x: number, y: number): number => Math.round(groundAt(dem, x, y) * 100) / 100;
  const storm = layGravityNetwork(graph, stormTerminals(graph), { network: 'storm', prefix: 'YS', coverM: 1.2, offset: [0, 0], owner: 'drainage' }, ground, rng.fork('storm'));
  const sewer = layGravityNetwork(
    graph,
    sewerTerminals(graph, ground),
    { network: 'sewer', prefix: 'WS', coverM: 1.6, offset: [SEWER_OFFSET_M, SEWER_OFFSET_M], owner: 'drainage' },
    ground,
    rng.fork('sewer'),
  );
  return { storm, sewer, utilities: layUtilityLines(roads, landform, frame, rng.fork('utilities')) };
}
