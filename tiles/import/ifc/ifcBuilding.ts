/**
 * An imported IFC model as a city-source building: its footprint (the convex hull of what stands
 * above the model's z = 0, seen from above), height and storeys for L2, and, once the pipeline
 * knows the ground under it, its elements' outer faces as LoD2-style surfaces for the L3 shell
 * (tiles/pipeline/architecture/shell.ts draws them like CityJSON's).
 */
import type { BuildingProps, BuildingSurface, BuildingUse } from '../../../domain/citySource';
import type { Polygon } from '../../pipeline/geojson';
import type { SourceFeature } from '../../source/layerValidators';
import { convexHull } from '../cityjsonGeometry';
import type { BimCategory } from '../../../domain/bim';
import type { IfcModel } from './ifcModel';
import { PlacementFrame, type IfcPlacement } from './ifcPlacement';

/** What the L3 shell is made of: the building's envelope and structure, never rooms or furniture. */
const SHELL: ReadonlySet<BimCategory> = new Set(['wall', 'roof', 'slab', 'window', 'door', 'column', 'beam', 'railing', 'stair']);
/** Faces below the ground (foundations) are hidden by the terrain and left out of the shell. */
const BELOW_GROUND_M = -0.05;
/** Lowest storey height a building record is given (m). */
const MIN_HEIGHT_M = 2.5;

/** An IFC model in a city source: the building's id, the model, and where it stands. */
export interface BimBuilding {
  buildingId: string;
  model: IfcModel;
  placement: IfcPlacement;
}

/** The building id an IFC model gets: `ifc-` and its IfcBuilding GlobalId. */
export function bimBuildingId(model: IfcModel): string {
  return `ifc-${model.building.globalId}`;
}

/** The building record's properties and footprint, placed as if the ground were at the model's z = 0. */
export function bimBuildingFeature(bim: BimBuilding, index: number, use: BuildingUse): SourceFeature<Polygon, BuildingProps> {
  const { model, placement } = bim;
  const frame = new PlacementFrame(placement, placement.height ?? 0);
  // The hull in model metres, then only its corners placed.
  const points: Array<[number, number]> = [];
  let top = 0;
  for (const e of model.elements) {
    if (e.category === 'space' || e.category === 'furniture') continue;
    const p = e.mesh.positions;
    for (let i = 0; i < p.length; i += 3) {
      if (p[i + 2]! < BELOW_GROUND_M) continue;
      top = Math.max(top, p[i + 2]!);
      points.push([p[i]!, p[i + 1]!]);
    }
  }
  const ring = convexHull(points).map(([x, y]): [number, number] => {
    const g = frame.geodetic(x, y, 0);
    return [g.lon, g.lat];
  });
  if (ring.length < 4) throw new Error(`${model.file}: the model has no walls, slabs or roofs above its z = 0 to make a footprint from`);
  // Every storey with elements, basement and roof levels included: the L5 interior's floor index
  // (0 = the lowest IfcBuildingStorey) then matches the building's floors in the twin's controls.
  const storeys = model.storeys.filter((_, k) => model.elements.some((e) => e.storey === k));
  const props: BuildingProps = {
    id: bim.buildingId,
    height: Math.max(MIN_HEIGHT_M, Math.round(top * 100) / 100),
    floors: Math.max(1, storeys.length),
    use,
  };
  if (model.building.name !== '') props.name = model.building.name;
  return { index, geometry: { type: 'Polygon', coordinates: [ring] }, properties: props };
}

/**
 * The shell's surfaces for a building whose base is at `groundHeight`: one triangle per surface,
 * heights above the base. Upward faces are roofs, steep ones walls, downward ones ground (which
 * the L3 shell leaves out).
 */
export function bimShellSurfaces(bim: BimBuilding, groundHeight: number): BuildingSurface[] {
  const base = bim.placement.height ?? groundHeight;
  const place = new PlacementFrame(bim.placement, base).linear();
  const g: [number, number, number] = [0, 0, 0];
  const lift = base - groundHeight;
  const out: BuildingSurface[] = [];
  for (const e of bim.model.elements) {
    if (!SHELL.has(e.category)) continue;
    const { positions: p, normals: nrm, indices } = e.mesh;
    for (let t = 0; t < indices.length; t += 3) {
      const corners = [indices[t]!, indices[t + 1]!, indices[t + 2]!];
      if (corners.every((v) => p[3 * v + 2]! + lift < BELOW_GROUND_M)) continue;
      const nz = (nrm[3 * corners[0]! + 2]! + nrm[3 * corners[1]! + 2]! + nrm[3 * corners[2]! + 2]!) / 3;
      const kind: BuildingSurface['kind'] = e.category === 'roof' || nz > 0.3 ? 'roof' : nz < -0.3 ? 'ground' : 'wall';
      if (kind === 'ground') continue;
      const ring = corners.map((v): [number, number, number] => {
        place(p[3 * v]!, p[3 * v + 1]!, p[3 * v + 2]!, g);
        return [g[0], g[1], Math.round((g[2] - groundHeight) * 1000) / 1000];
      });
      out.push({ kind, rings: [ring] });
    }
  }
  return out;
}
