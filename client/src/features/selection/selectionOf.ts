/** Selections built from records, for the search box, the 2D map, the tour and automation. */
import type { BuildingRecord } from '../../../../domain/twinPackage';
import { componentProperties, type ComponentSet } from '../components/core/componentSet';
import type { Selection } from './selectionStore';

export function buildingSelection(b: BuildingRecord): Selection {
  return {
    kind: 'building',
    id: b.id,
    properties: { id: b.id, name: b.name ?? null, use: b.use, height: b.height, floors: b.floors, groundHeight: b.groundHeight, gridCode: b.gridCode ?? null },
  };
}

export function componentSelection(set: ComponentSet, index: number): Selection {
  const properties = componentProperties(set, index);
  return { kind: 'component', id: String(properties.code), properties };
}
