/**
 * One building tile as glTF 2.0 binary: the extruded mesh of a quadtree leaf, one feature id per
 * building (EXT_mesh_features, `_FEATURE_ID_0`) and its attributes in a property table
 * (EXT_structural_metadata), so a client can pick a building (Cesium3DTileFeature.getProperty)
 * and style it by `use` or `height` without another request.
 *
 * Axes: glTF is y-up. Vertices are stored as (east, up, −north) relative to the tile centre, and
 * the node's translation puts the centre back; 3D Tiles rotates y-up content to z-up, giving
 * (east, north, up) in the tileset's ENU frame.
 */
import { BUILDING_USES, type BuildingProps } from '../../../domain/citySource';
import {
  ARRAY_BUFFER,
  ELEMENT_ARRAY_BUFFER,
  GlbWriter,
} from '../gltf/glbWriter';
import {
  EXT_MESH_FEATURES,
  EXT_STRUCTURAL_METADATA,
  addPropertyTable,
  type ColumnValues,
  type MetadataSchema,
} from '../gltf/structuralMetadata';
import { toGltfYUp } from '../gltf/materialPrimitives';
import type { MeshBuffer } from './meshBuffer';

export const BUILDING_CLASS = 'building';

/** The schema every building tile embeds; clients may rely on these names and types. */
export const BUILDING_SCHEMA: MetadataSchema = {
  id: 'citytwin_buildings',
  version: '1',
  enums: {
    buildingUse: {
      valueType: 'UINT8',
      values: BUILDING_USES.map((name, value) => ({ name, value })),
    },
  },
  classes: {
    [BUILDING_CLASS]: {
      name: 'Building',
      description: 'L2 white model: an extruded footprint.',
      properties: {
        id: { type: 'STRING', required: true, description: 'Building id in the city source and layers/buildings.json.' },
        name: { type: 'STRING', noData: '', description: 'Name, empty when the building has none.' },
        use: { type: 'ENUM', enumType: 'buildingUse', required: true },
        height: { type: 'SCALAR', componentType: 'FLOAT32', required: true, description: 'Ground to roof top, metres.' },
        floors: { type: 'SCALAR', componentType: 'UINT16', required: true },
        groundHeight: {
          type: 'SCALAR',
          componentType: 'FLOAT32',
          required: true,
          description: 'Height of the base above the ellipsoid, metres.',
        },
        gridCode: { type: 'STRING', noData: '', description: 'Unit grid cell of the centroid, empty when unknown.' },
      },
    },
  },
};

export interface TileBuilding {
  properties: BuildingProps;
  groundHeight: number;
}

/** Light grey, rough, non-metallic: colour by use comes from client styling over the metadata. */
const WHITE_MODEL_MATERIAL = {
  name: 'white-model',
  pbrMetallicRoughness: { baseColorFactor: [0.92, 0.92, 0.9, 1], metallicFactor: 0, roughnessFactor: 0.9 },
};

/** The building class's columns, one row per building (L3 adds its own to these). */
export function buildingColumns(buildings: readonly TileBuilding[]): Record<string, ColumnValues> {
  return {
    id: buildings.map((b) => b.properties.id),
    name: buildings.map((b) => b.properties.name ?? ''),
    use: buildings.map((b) => b.properties.use),
    height: buildings.map((b) => b.properties.height),
    floors: buildings.map((b) => b.properties.floors),
    groundHeight: buildings.map((b) => b.groundHeight),
    gridCode: buildings.map((b) => b.properties.gridCode ?? ''),
  };
}

/**
 * Encodes a tile's mesh (feature id i = buildings[i]) as GLB bytes, centred on `centre`
 * (ENU metres, usually the centre of the mesh's bounds).
 */
export function buildingTileGlb(mesh: MeshBuffer, buildings: readonly TileBuilding[], centre: readonly number[]): Uint8Array {
  const n = mesh.vertexCount;
  if (n === 0 || buildings.length === 0) throw new Error('a building tile needs at least one building with geometry');
  const [ce, cn, cu] = centre as [number, number, number];
  const { positions, normals } = toGltfYUp(mesh.positions, mesh.normals, n, centre);
  // 0xFFFF is the primitive-restart value and may not be used as an index.
  const indices = n < 0xffff ? Uint16Array.from(mesh.indices.subarray(0, mesh.indexCount)) : mesh.indices.slice(0, mesh.indexCount);

  const w = new GlbWriter('citytwin tiles build');
  const position = w.addAccessor(positions, 'VEC3', { target: ARRAY_BUFFER, minMax: true });
  const normal = w.addAccessor(normals, 'VEC3', { target: ARRAY_BUFFER });
  const featureId = w.addAccessor(mesh.featureIds.slice(0, n), 'SCALAR', { target: ARRAY_BUFFER });
  const index = w.addAccessor(indices, 'SCALAR', { target: ELEMENT_ARRAY_BUFFER });
  const table = addPropertyTable(w, BUILDING_SCHEMA, BUILDING_CLASS, buildings.length, buildingColumns(buildings));

  const g = w.gltf;
  g.extensionsUsed = [EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA];
  g.extensions = { [EXT_STRUCTURAL_METADATA]: { schema: BUILDING_SCHEMA, propertyTables: [table] } };
  g.scene = 0;
  g.scenes = [{ nodes: [0] }];
  g.nodes = [{ name: 'buildings', mesh: 0, translation: [ce, cu, -cn] }];
  g.materials = [WHITE_MODEL_MATERIAL];
  g.meshes = [
    {
      primitives: [
        {
          attributes: { POSITION: position, NORMAL: normal, _FEATURE_ID_0: featureId },
          indices: index,
          material: 0,
          mode: 4,
          extensions: {
            [EXT_MESH_FEATURES]: { featureIds: [{ featureCount: buildings.length, attribute: 0, propertyTable: 0 }] },
          },
        },
      ],
    },
  ];
  return w.toGlb();
}
