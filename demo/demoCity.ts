/**
 * The whole demo district as plain data in world metres: the pure half of the generator.
 * Each stage draws from its own forked random stream, so the stages stay independent.
 */
import type { Department } from '../domain/citySource';
import type { Grid } from '../kernel/raster/grid';
import { buildNaturalLanduse, buildWater, type LanduseArea, type WaterArea } from './areas';
import { buildBuildings } from './buildings';
import { placeComponents, type Component } from './components';
import { DEPARTMENTS } from './departments';
import { PlanFrame } from './frame';
import { buildGridCells, type CellGrid } from './grid';
import { chooseSignals, findJunctions, type Signal } from './junctions';
import { Landform } from './landform';
import { planLayout } from './layout';
import type { BuildingDraft } from './placement';
import { placePoles, type Pole } from './poles';
import { Rng } from '../kernel/random';
import { placeResources, type DemoResource } from './resources';
import { RoadIndex, buildRoads, type Road } from './roads';
import { Site } from './site';
import { equipPoles, type Terminal } from './terminals';
import { Terrain, buildDem } from './terrain';
import { buildUnderground, type Underground } from './underground';

export interface DemoCityModel {
  seed: number;
  frame: PlanFrame;
  dem: Grid;
  roads: Road[];
  signals: Signal[];
  poles: Pole[];
  terminals: Terminal[];
  components: Component[];
  buildings: BuildingDraft[];
  cells: CellGrid;
  departments: Department[];
  water: WaterArea[];
  landuse: LanduseArea[];
  underground: Underground;
  resources: DemoResource[];
}

export function buildDemoCityModel(seed: number): DemoCityModel {
  const root = new Rng(seed);
  const frameRng = root.fork('frame');
  // A few degrees of turn keeps the street grid off the map axes, as real plans are.
  const frame = new PlanFrame(frameRng.sign() * frameRng.range(3, 6) * (Math.PI / 180));
  const landform = new Landform(root.fork('landform'), frame);
  const site = new Site(landform, frame);
  const dem = buildDem(new Terrain(landform, root.fork('terrain')), frame);
  const layout = planLayout(landform, frame, site, root.fork('layout'));
  const roads = buildRoads(layout, landform, frame, root.fork('roads'));
  const roadIndex = new RoadIndex(roads);
  const junctions = findJunctions(roads);
  const signals = chooseSignals(junctions, root.fork('signals'));
  const poles = placePoles(roads, roadIndex, landform, frame, root.fork('poles'));
  const components = placeComponents(roads, landform, frame, root.fork('components'));
  const terminals = equipPoles(poles, signals, components, dem, landform, frame, root.fork('terminals'));
  const built = buildBuildings(layout, site, frame, roadIndex, root.fork('buildings'));
  const cells = buildGridCells(landform, frame, root.fork('grid'));
  return {
    seed,
    frame,
    dem,
    roads,
    signals,
    poles,
    terminals,
    components,
    buildings: built.buildings,
    cells,
    departments: DEPARTMENTS,
    water: buildWater(landform, frame),
    landuse: [...buildNaturalLanduse(landform, frame), ...built.areas],
    underground: buildUnderground(roads, junctions, landform, frame, dem, root.fork('underground')),
    resources: placeResources(roads, built.buildings, root.fork('resources')),
  };
}
