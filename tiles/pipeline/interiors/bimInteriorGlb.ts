/**
 * L5 from an IFC model: the building's interior glb as the generated interiors are laid out
 * (interiorGlb.ts) — one node and mesh per storey, `floor-1` (the lowest IfcBuildingStorey) …
 * `floor-N`, y-up metres around the building record's origin (footprint centroid on its ground
 * height) — but with the model's own elements: every IfcSpace a room (a translucent volume) and
 * walls, doors, windows, stairs, slabs, roofs … each one feature (EXT_mesh_features) with its
 * IFC GlobalId, type, names, storey, floor area and property sets (EXT_structural_metadata).
 * One primitive per category, its material named `bim-<category>`, so a viewer switches
 * categories by material.
 */
import { EnuFrame, type Vec3 } from '../../../kernel/geodesy';
import { BIM_CATEGORIES, type BimCategory } from '../../../domain/bim';
import { ModelToEnu, type IfcPlacement } from '../../import/ifc/ifcPlacement';
import type { BimBuilding } from '../../import/ifc/ifcBuilding';
import { MaterialMesh } from '../architecture/materialMesh';
import { GlbWriter, type GltfMaterial } from '../gltf/glbWriter';
import { materialPrimitives } from '../gltf/materialPrimitives';
import { EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA, addPropertyTable, type MetadataSchema } from '../gltf/structuralMetadata';

export const BIM_CLASS = 'bimElement';

export const BIM_SCHEMA: MetadataSchema = {
  id: 'citytwin_bim',
  version: '1',
  enums: { bimCategory: { valueType: 'UINT8', values: BIM_CATEGORIES.map((name, value) => ({ name, value })) } },
  classes: {
    [BIM_CLASS]: {
      name: 'BIM element',
      description: 'L5 from IFC: one IfcSpace (a room) or building element.',
      properties: {
        buildingId: { type: 'STRING', required: true },
        floor: { type: 'SCALAR', componentType: 'UINT16', required: true, description: 'Storey index from 0, lowest IfcBuildingStorey first.' },
        storey: { type: 'STRING', required: true, description: 'The IfcBuildingStorey’s Name.' },
        category: { type: 'ENUM', enumType: 'bimCategory', required: true },
        ifcType: { type: 'STRING', required: true, description: 'IFC entity, e.g. IfcWallStandardCase.' },
        globalId: { type: 'STRING', required: true, description: 'IFC GlobalId (22 characters).' },
        name: { type: 'STRING', required: true },
        longName: { type: 'STRING', required: true, description: 'IfcSpace.LongName (the room’s name); empty for elements.' },
        areaM2: { type: 'SCALAR', componentType: 'FLOAT32', required: true, description: 'Floor area of a space, m²; 0 for elements.' },
        elevationM: { type: 'SCALAR', componentType: 'FLOAT32', required: true, description: 'Storey elevation above the building’s base, m.' },
        properties: { type: 'STRING', required: true, description: 'Property and quantity sets as JSON: {"Pset_…": {"name": value}}.' },
      },
    },
  },
};

const COLOURS: Record<BimCategory, [number, number, number, number]> = {
  space: [0.35, 0.7, 1, 0.28],
  wall: [0.92, 0.91, 0.88, 1],
  door: [0.6, 0.42, 0.26, 1],
  window: [0.55, 0.75, 0.9, 0.55],
  stair: [0.75, 0.6, 0.45, 1],
  slab: [0.7, 0.7, 0.68, 1],
  roof: [0.62, 0.3, 0.25, 1],
  column: [0.8, 0.8, 0.78, 1],
  beam: [0.78, 0.76, 0.72, 1],
  railing: [0.4, 0.4, 0.42, 1],
  covering: [0.85, 0.83, 0.78, 1],
  furniture: [0.72, 0.62, 0.5, 1],
  other: [0.6, 0.6, 0.6, 1],
};
const MATERIALS: GltfMaterial[] = BIM_CATEGORIES.map((c) => {
  const colour = COLOURS[c];
  const m: GltfMaterial = { name: `bim-${c}`, pbrMetallicRoughness: { baseColorFactor: colour, metallicFactor: 0, roughnessFactor: 0.9 }, doubleSided: true };
  if (colour[3] < 1) m.alphaMode = 'BLEND';
  return m;
});

export interface BimInteriorOrigin {
  id: string;
  lon: number;
  lat: number;
  groundHeight: number;
}

/**
 * The interior glb of `bim` for a building record at `origin`. The model's z = 0 is at the
 * placement's height, or at the record's ground height when it has none. ENU frames at the
 * placement point and the record's centroid (metres apart) are taken as parallel.
 */
export function bimInteriorGlb(bim: BimBuilding, origin: BimInteriorOrigin): { glb: Uint8Array; rooms: number; elements: number } {
  const { model, placement } = bim;
  const offset = placementOffset(placement, origin);
  const turn = new ModelToEnu(placement.headingDeg);
  const base = (placement.height ?? origin.groundHeight) - origin.groundHeight;
  const rows = {
    buildingId: [] as string[],
    floor: [] as number[],
    storey: [] as string[],
    category: [] as string[],
    ifcType: [] as string[],
    globalId: [] as string[],
    name: [] as string[],
    longName: [] as string[],
    areaM2: [] as number[],
    elevationM: [] as number[],
    properties: [] as string[],
  };
  const byStorey = model.storeys.map(() => [] as number[]);
  model.elements.forEach((e, i) => byStorey[e.storey]!.push(i));
  const w = new GlbWriter('citytwin tiles build --ifc');
  const g = w.gltf;
  g.meshes = [];
  g.nodes = [];
  const mesh = new MaterialMesh(MATERIALS.length);
  const xy: [number, number] = [0, 0];
  const nxy: [number, number] = [0, 0];
  let rooms = 0;
  const featureCount = model.elements.length;
  byStorey.forEach((members, floor) => {
    if (members.length === 0) return;
    mesh.reset();
    const storey = model.storeys[floor]!;
    for (const i of members) {
      const e = model.elements[i]!;
      const fid = rows.globalId.length;
      rows.buildingId.push(origin.id);
      rows.floor.push(floor);
      rows.storey.push(storey.name);
      rows.category.push(e.category);
      rows.ifcType.push(e.ifcType);
      rows.globalId.push(e.globalId);
      rows.name.push(e.name);
      rows.longName.push(e.longName);
      rows.areaM2.push(e.areaM2);
      rows.elevationM.push(Math.round((storey.elevationM + base) * 100) / 100);
      rows.properties.push(JSON.stringify(e.properties));
      if (e.category === 'space') rooms++;
      const { positions: p, normals: n, indices } = e.mesh;
      const first = mesh.vertexCount;
      for (let v = 0; v < p.length; v += 3) {
        turn.plan(p[v]!, p[v + 1]!, xy);
        turn.direction(n[v]!, n[v + 1]!, nxy);
        mesh.vertex(xy[0] + offset[0], xy[1] + offset[1], p[v + 2]! + base + offset[2], nxy[0], nxy[1], n[v + 2]!, 0, 0, fid);
      }
      const material = BIM_CATEGORIES.indexOf(e.category);
      for (let t = 0; t < indices.length; t += 3) mesh.triangle(material, first + indices[t]!, first + indices[t + 1]!, first + indices[t + 2]!);
    }
    const { primitives, materials } = materialPrimitives(w, mesh, [0, 0, 0], featureCount, false);
    primitives.forEach((prim, k) => (prim.material = materials[k]));
    g.meshes!.push({ name: `floor-${floor + 1}`, primitives });
    g.nodes!.push({ name: `floor-${floor + 1}`, mesh: g.meshes!.length - 1 });
  });
  if (rows.globalId.length === 0) throw new Error(`${model.file}: no element with geometry to make an interior of`);
  const table = addPropertyTable(w, BIM_SCHEMA, BIM_CLASS, rows.globalId.length, rows);
  g.extensionsUsed = [EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA];
  g.extensions = { [EXT_STRUCTURAL_METADATA]: { schema: BIM_SCHEMA, propertyTables: [table] } };
  g.materials = MATERIALS;
  g.scene = 0;
  g.scenes = [
    {
      nodes: g.nodes.map((_, k) => k),
      extras: {
        buildingId: origin.id,
        origin: { lon: origin.lon, lat: origin.lat, height: origin.groundHeight },
        frame: 'east-up-south (glTF y-up) metres at origin',
        source: { format: 'IFC', schema: model.schema, file: model.file.split(/[\\/]/).pop(), building: model.building.globalId },
        storeys: model.storeys.map((s) => ({ name: s.name, globalId: s.globalId, elevationM: Math.round((s.elevationM + base) * 100) / 100 })),
      },
    },
  ];
  return { glb: w.toGlb(), rooms, elements: rows.globalId.length };
}

/** The placement point in metres east, north, up of the record's origin. */
function placementOffset(placement: IfcPlacement, origin: BimInteriorOrigin): Vec3 {
  const frame = new EnuFrame(origin.lon, origin.lat, origin.groundHeight);
  return frame.fromGeodetic(placement.lon, placement.lat, origin.groundHeight);
}
