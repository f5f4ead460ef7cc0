/**
 * One pipes tile as glTF 2.0 binary: one primitive per network (its colour, after the usual
 * Chinese pipeline map colours) over shared vertex attributes, a feature id per pipe, line,
 * manhole or outfall (EXT_mesh_features) and their attributes in a property table
 * (EXT_structural_metadata). Axes as in the other levels: y-up glTF around the tile centre.
 */
import { PIPE_NETWORKS, PIPE_SHAPES, type PipeNetwork } from '../../../domain/pipes';
import type { MaterialMesh } from '../architecture/materialMesh';
import { GlbWriter, type GltfMaterial } from '../gltf/glbWriter';
import { materialPrimitives } from '../gltf/materialPrimitives';
import { EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA, addPropertyTable, type ClassProperty, type MetadataSchema } from '../gltf/structuralMetadata';
import { NO_VALUE, PIPE_FEATURE_KINDS, type PipeFeature } from './pipeFeatures';

export const PIPE_CLASS = 'pipe';

const metres = (description: string): ClassProperty => ({ type: 'SCALAR', componentType: 'FLOAT32', required: true, noData: NO_VALUE, description });
const text = (description: string): ClassProperty => ({ type: 'STRING', required: true, noData: '', description });

/** The schema every pipes tile embeds; the client's attribute panel shows these names. */
export const PIPE_SCHEMA: MetadataSchema = {
  id: 'citytwin_pipes',
  version: '1',
  enums: {
    pipeNetwork: { valueType: 'UINT8', values: PIPE_NETWORKS.map((name, value) => ({ name, value })) },
    pipeKind: { valueType: 'UINT8', values: PIPE_FEATURE_KINDS.map((name, value) => ({ name, value })) },
    pipeShape: { valueType: 'UINT8', values: PIPE_SHAPES.map((name, value) => ({ name, value })) },
  },
  classes: {
    [PIPE_CLASS]: {
      name: 'Underground network feature',
      description: 'L4 underground: a drainage pipe, a utility line, a manhole or an outfall at its true depth.',
      properties: {
        id: { type: 'STRING', required: true, description: 'Id in the city source (drainage nodes, drainage pipes, utility lines).' },
        network: { type: 'ENUM', enumType: 'pipeNetwork', required: true },
        kind: { type: 'ENUM', enumType: 'pipeKind', required: true },
        shape: { type: 'ENUM', enumType: 'pipeShape', required: true },
        widthM: metres('Diameter, or width of a rectangular section or a shaft, metres.'),
        heightM: metres('Diameter, or height of a rectangular section, metres.'),
        material: text('Material, empty for nodes.'),
        owner: text('Owner or operator.'),
        installYear: { type: 'SCALAR', componentType: 'UINT16', required: true, noData: 0, description: 'Year laid; 0 when unknown.' },
        fromNode: text('Drainage pipes: the node at the line\'s start.'),
        toNode: text('Drainage pipes: the node at the line\'s end.'),
        fromInvert: metres('Drainage pipes: invert elevation at fromNode, metres.'),
        toInvert: metres('Drainage pipes: invert elevation at toNode, metres.'),
        slopePct: metres('Drainage pipes: fall from fromNode to toNode per length, per cent.'),
        depthM: metres('Lines: ground to the top; manholes: rim to invert, metres.'),
        rimElevation: metres('Manholes: ground / cover level, metres.'),
        invertElevation: metres('Manholes and outfalls: invert elevation, metres.'),
      },
    },
  },
};

/** Map colours: water blue, storm and sewer browns, gas yellow, power red, telecom green (linear RGB). */
const NETWORK_COLOURS: Record<PipeNetwork, [number, number, number]> = {
  storm: [0.55, 0.3, 0.08],
  sewer: [0.3, 0.16, 0.05],
  water: [0.05, 0.3, 0.9],
  gas: [0.95, 0.75, 0.02],
  power: [0.85, 0.05, 0.03],
  telecom: [0.05, 0.6, 0.12],
};

const NUMBER_COLUMNS = ['widthM', 'heightM', 'installYear', 'fromInvert', 'toInvert', 'slopePct', 'depthM', 'rimElevation', 'invertElevation'] as const;
const TEXT_COLUMNS = ['id', 'network', 'kind', 'shape', 'material', 'owner', 'fromNode', 'toNode'] as const;

/** Encodes a tile's mesh (feature id i = features[i]), centred on `centre` (ENU metres). */
export function pipeTileGlb(mesh: MaterialMesh, features: readonly PipeFeature[], centre: readonly number[]): Uint8Array {
  if (mesh.vertexCount === 0 || features.length === 0) throw new Error('a pipes tile needs at least one feature with geometry');
  const [ce, cn, cu] = centre as [number, number, number];
  const w = new GlbWriter('citytwin tiles build');
  const g = w.gltf;
  const { primitives, materials } = materialPrimitives(w, mesh, centre, features.length, false);
  g.materials = materials.map((m): GltfMaterial => {
    const network = PIPE_NETWORKS[m]!;
    return { name: `pipe-${network}`, pbrMetallicRoughness: { baseColorFactor: [...NETWORK_COLOURS[network], 1], metallicFactor: 0, roughnessFactor: 0.7 } };
  });
  const columns: Record<string, readonly string[] | number[]> = {};
  for (const key of TEXT_COLUMNS) columns[key] = features.map((f) => f[key]);
  for (const key of NUMBER_COLUMNS) columns[key] = features.map((f) => f[key]);
  const table = addPropertyTable(w, PIPE_SCHEMA, PIPE_CLASS, features.length, columns);
  g.extensionsUsed = [EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA];
  g.extensions = { [EXT_STRUCTURAL_METADATA]: { schema: PIPE_SCHEMA, propertyTables: [table] } };
  g.scene = 0;
  g.scenes = [{ nodes: [0] }];
  g.nodes = [{ name: 'pipes', mesh: 0, translation: [ce, cu, -cn] }];
  g.meshes = [{ primitives }];
  return w.toGlb();
}
