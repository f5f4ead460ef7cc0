/**
 * One L3 tile as glTF 2.0 binary: one primitive per material over shared vertex attributes
 * (POSITION, NORMAL, TEXCOORD_0, _FEATURE_ID_0), facade PNGs embedded in the buffer (no external
 * URIs), and the L2 building properties plus the roof drawn, per feature (EXT_mesh_features +
 * EXT_structural_metadata). Axes as in L2: y-up glTF (east, up, −north) around the tile centre.
 */
import { BUILDING_USES, ROOF_SHAPES, type RoofShape } from '../../../domain/citySource';
import { BUILDING_SCHEMA, BUILDING_CLASS, buildingColumns, type TileBuilding } from '../buildings/buildingGlb';
import { GlbWriter, type GltfMaterial } from '../gltf/glbWriter';
import { materialPrimitives } from '../gltf/materialPrimitives';
import { EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA, addPropertyTable, type MetadataSchema } from '../gltf/structuralMetadata';
import { facadePng, roofLookAt } from './facadeMaterials';
import type { MaterialMesh } from './materialMesh';

export const ARCHITECTURE_CLASS = 'architecture';

const buildingClass = BUILDING_SCHEMA.classes[BUILDING_CLASS]!;

/** The L2 building class plus what L3 adds: the roof each building got and where it came from. */
export const ARCHITECTURE_SCHEMA: MetadataSchema = {
  id: 'citytwin_architecture',
  version: '1',
  enums: {
    ...BUILDING_SCHEMA.enums,
    roofShape: { valueType: 'UINT8', values: ROOF_SHAPES.map((name, value) => ({ name, value })) },
  },
  classes: {
    [ARCHITECTURE_CLASS]: {
      name: 'Building (architecture)',
      description: 'L3 architectural appearance: facades textured by use, LoD2 or generated roofs.',
      properties: {
        ...buildingClass.properties,
        roofShape: { type: 'ENUM', enumType: 'roofShape', required: true, description: 'Generated roof drawn; "flat" where LoD2 surfaces were used.' },
        lod2: { type: 'SCALAR', componentType: 'UINT8', required: true, description: '1 when the shell is the source’s LoD2 surfaces, 0 when generated.' },
      },
    },
  },
};

export interface ArchitectureBuilding extends TileBuilding {
  roofShape: RoofShape;
  lod2: boolean;
}

const LINEAR = 9729;
const LINEAR_MIPMAP_LINEAR = 9987;
const REPEAT = 10497;

/** Encodes a tile's mesh (feature id i = buildings[i]), centred on `centre` (ENU metres). */
export function architectureTileGlb(mesh: MaterialMesh, buildings: readonly ArchitectureBuilding[], centre: readonly number[]): Uint8Array {
  if (mesh.vertexCount === 0 || buildings.length === 0) throw new Error('an architecture tile needs at least one building with geometry');
  const [ce, cn, cu] = centre as [number, number, number];
  const w = new GlbWriter('citytwin tiles build');
  const g = w.gltf;
  const { primitives, materials } = materialPrimitives(w, mesh, centre, buildings.length, true);
  g.materials = materials.map((m) => materialFor(w, m));
  const table = addPropertyTable(w, ARCHITECTURE_SCHEMA, ARCHITECTURE_CLASS, buildings.length, {
    ...buildingColumns(buildings),
    roofShape: buildings.map((b) => b.roofShape),
    lod2: buildings.map((b) => (b.lod2 ? 1 : 0)),
  });
  g.extensionsUsed = [EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA];
  g.extensions = { [EXT_STRUCTURAL_METADATA]: { schema: ARCHITECTURE_SCHEMA, propertyTables: [table] } };
  g.scene = 0;
  g.scenes = [{ nodes: [0] }];
  g.nodes = [{ name: 'architecture', mesh: 0, translation: [ce, cu, -cn] }];
  g.meshes = [{ primitives }];
  return w.toGlb();
}

/** A facade material with its embedded texture, or a plain roof material. */
function materialFor(w: GlbWriter, m: number): GltfMaterial {
  const roof = roofLookAt(m);
  if (roof) return { name: roof.name, pbrMetallicRoughness: { baseColorFactor: [...roof.color], metallicFactor: 0, roughnessFactor: 0.85 } };
  const use = BUILDING_USES[m]!;
  const g = w.gltf;
  const image = (g.images ??= []).push({ bufferView: w.addBufferView(facadePng(use)), mimeType: 'image/png' }) - 1;
  const sampler = (g.samplers ??= []).length > 0 ? 0 : g.samplers.push({ magFilter: LINEAR, minFilter: LINEAR_MIPMAP_LINEAR, wrapS: REPEAT, wrapT: REPEAT }) - 1;
  const texture = (g.textures ??= []).push({ sampler, source: image }) - 1;
  return { name: `facade-${use}`, pbrMetallicRoughness: { baseColorTexture: { index: texture }, metallicFactor: 0, roughnessFactor: 0.8 } };
}
