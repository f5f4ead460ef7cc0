/**
 * The BIM contract shared by the IFC import (tiles/import/ifc) and the indoor viewer
 * (client/src/features/bim): the element categories of an IFC interior glb, in the order of its
 * `bimCategory` enum and of its `bim-<category>` materials. `space` is a room (IfcSpace).
 */
export const BIM_CATEGORIES = ['space', 'wall', 'door', 'window', 'stair', 'slab', 'roof', 'column', 'beam', 'railing', 'covering', 'furniture', 'other'] as const;
export type BimCategory = (typeof BIM_CATEGORIES)[number];
