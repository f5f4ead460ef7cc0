/**
 * One L4 tile as glTF 2.0 binary: one node per component model present, whose mesh is the
 * model (models.ts) drawn once per instance through EXT_mesh_gpu_instancing (TRANSLATION,
 * ROTATION, SCALE per instance), with a feature id per instance (EXT_instance_features,
 * `_FEATURE_ID_0`) into the tile's property table (EXT_structural_metadata): id, code, class
 * code, model and ground height.
 *
 * Axes as in the building tiles: y-up glTF (east, up, −north) around the tile centre, which the
 * nodes' translation puts back. A yaw turns a model about the vertical, counter-clockwise seen
 * from above, from its arm pointing east.
 */
import { GlbWriter, ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER, type GltfMaterial, type GltfNode, type GltfPrimitive } from '../gltf/glbWriter';
import { EXT_STRUCTURAL_METADATA, addPropertyTable, type MetadataSchema } from '../gltf/structuralMetadata';
import { COMPONENT_MODELS, componentModel, type ComponentModel } from './models';

export const EXT_MESH_GPU_INSTANCING = 'EXT_mesh_gpu_instancing';
export const EXT_INSTANCE_FEATURES = 'EXT_instance_features';
export const COMPONENT_CLASS = 'component';

export const COMPONENT_SCHEMA: MetadataSchema = {
  id: 'citytwin_components',
  version: '1',
  enums: { componentModel: { valueType: 'UINT8', values: COMPONENT_MODELS.map((name, value) => ({ name, value })) } },
  classes: {
    [COMPONENT_CLASS]: {
      name: 'Component',
      description: 'L4 urban component drawn as an instance of its model.',
      properties: {
        id: { type: 'STRING', required: true, description: 'Component code, pole id, signal id or terminal id (layers/*.json).' },
        code: { type: 'STRING', required: true, description: '16-digit component code; empty for a terminal.', noData: '' },
        classCode: { type: 'STRING', required: true, description: '4-digit class code (major + minor); empty when unknown.', noData: '' },
        model: { type: 'ENUM', enumType: 'componentModel', required: true },
        groundHeight: { type: 'SCALAR', componentType: 'FLOAT32', required: true, description: 'Ground under it above the ellipsoid, metres.' },
      },
    },
  },
};

/** One instance: what it is, where (ENU metres of its origin), how turned and how tall. */
export interface ComponentInstance {
  id: string;
  code: string;
  classCode: string;
  model: ComponentModel;
  groundHeight: number;
  lon: number;
  lat: number;
  /** Height of the model's origin above the ground (a camera on its pole), metres. */
  mountM: number;
  yawDeg: number;
  /** Vertical scale (a 12 m pole is the 10 m lamp scaled by 1.2). */
  scaleY: number;
}

/** Instances of a tile, with their positions in the package's ENU frame. */
export interface InstanceColumns {
  instances: readonly ComponentInstance[];
  /** ENU east, north, up of instance i at [3i, 3i + 3). */
  enu: Float64Array;
}

const modelBounds = new Map<ComponentModel, { radius: number; minY: number; maxY: number }>();

/**
 * Horizontal reach and vertical extent of a model at scale 1. The reach is that of the model's
 * x/z bounding square (√2 × its larger half-side), which covers the model at any yaw and can be
 * recomputed from the glb's accessor bounds alone.
 */
export function modelExtent(model: ComponentModel): { radius: number; minY: number; maxY: number } {
  let b = modelBounds.get(model);
  if (!b) {
    b = { radius: 0, minY: Infinity, maxY: -Infinity };
    for (const part of componentModel(model).parts) {
      const p = part.positions;
      for (let i = 0; i < p.length; i += 3) {
        b.radius = Math.max(b.radius, Math.SQRT2 * Math.max(Math.abs(p[i]!), Math.abs(p[i + 2]!)));
        b.minY = Math.min(b.minY, p[i + 1]!);
        b.maxY = Math.max(b.maxY, p[i + 1]!);
      }
    }
    modelBounds.set(model, b);
  }
  return b;
}

/**
 * Encodes the instances `items` (indices into `columns`) around `centre` (ENU metres). Feature
 * ids follow the property table's rows, which are grouped by model so each node's ids are one
 * contiguous range.
 */
export function componentTileGlb(columns: InstanceColumns, items: readonly number[], centre: readonly number[]): Uint8Array {
  if (items.length === 0) throw new Error('a component tile needs at least one instance');
  const { instances, enu } = columns;
  const byModel = new Map<ComponentModel, number[]>();
  for (const i of items) {
    const m = instances[i]!.model;
    const list = byModel.get(m);
    if (list) list.push(i);
    else byModel.set(m, [i]);
  }
  const [ce, cn, cu] = centre as [number, number, number];
  const w = new GlbWriter('citytwin tiles build');
  const g = w.gltf;
  const rows: number[] = [];
  const nodes: GltfNode[] = [];
  const materials: GltfMaterial[] = [];
  g.meshes = [];
  for (const model of COMPONENT_MODELS) {
    const list = byModel.get(model);
    if (!list) continue;
    const n = list.length;
    const translation = new Float32Array(3 * n);
    const rotation = new Float32Array(4 * n);
    const scale = new Float32Array(3 * n);
    const featureIds = new Float32Array(n);
    list.forEach((i, k) => {
      const inst = instances[i]!;
      translation[3 * k] = enu[3 * i]! - ce;
      translation[3 * k + 1] = enu[3 * i + 2]! + inst.mountM - cu;
      translation[3 * k + 2] = -(enu[3 * i + 1]! - cn);
      // About glTF +y (up): q = (0, sin θ/2, 0, cos θ/2).
      const half = (inst.yawDeg * Math.PI) / 360;
      rotation[4 * k + 1] = Math.sin(half);
      rotation[4 * k + 3] = Math.cos(half);
      scale[3 * k] = 1;
      scale[3 * k + 1] = inst.scaleY;
      scale[3 * k + 2] = 1;
      featureIds[k] = rows.length;
      rows.push(i);
    });
    const primitives: GltfPrimitive[] = componentModel(model).parts.map((part) => {
      const material = materials.length;
      const mat: GltfMaterial = { name: `${model}-${part.name}`, pbrMetallicRoughness: { baseColorFactor: part.color, metallicFactor: part.metallic, roughnessFactor: 0.6 } };
      if (part.emissive) mat.emissiveFactor = part.emissive;
      materials.push(mat);
      return {
        attributes: {
          POSITION: w.addAccessor(part.positions, 'VEC3', { target: ARRAY_BUFFER, minMax: true }),
          NORMAL: w.addAccessor(part.normals, 'VEC3', { target: ARRAY_BUFFER }),
        },
        indices: w.addAccessor(part.indices, 'SCALAR', { target: ELEMENT_ARRAY_BUFFER }),
        material,
        mode: 4,
      };
    });
    g.meshes.push({ name: model, primitives });
    nodes.push({
      name: model,
      mesh: g.meshes.length - 1,
      translation: [ce, cu, -cn],
      extensions: {
        [EXT_MESH_GPU_INSTANCING]: {
          attributes: {
            // min/max let a checker bound the content without reading the instances.
            TRANSLATION: w.addAccessor(translation, 'VEC3', { minMax: true }),
            ROTATION: w.addAccessor(rotation, 'VEC4'),
            SCALE: w.addAccessor(scale, 'VEC3', { minMax: true }),
            _FEATURE_ID_0: w.addAccessor(featureIds, 'SCALAR'),
          },
        },
        [EXT_INSTANCE_FEATURES]: { featureIds: [{ featureCount: n, attribute: 0, propertyTable: 0 }] },
      },
    });
  }
  const row = (f: (c: ComponentInstance) => string | number) => rows.map((i) => f(instances[i]!));
  const table = addPropertyTable(w, COMPONENT_SCHEMA, COMPONENT_CLASS, rows.length, {
    id: row((c) => c.id) as string[],
    code: row((c) => c.code) as string[],
    classCode: row((c) => c.classCode) as string[],
    model: row((c) => c.model) as string[],
    groundHeight: row((c) => c.groundHeight) as number[],
  });
  g.extensionsUsed = [EXT_MESH_GPU_INSTANCING, EXT_INSTANCE_FEATURES, EXT_STRUCTURAL_METADATA];
  // Without instancing a client would draw each model once at the tile centre: wrong, not degraded.
  g.extensionsRequired = [EXT_MESH_GPU_INSTANCING];
  g.extensions = { [EXT_STRUCTURAL_METADATA]: { schema: COMPONENT_SCHEMA, propertyTables: [table] } };
  g.materials = materials;
  g.nodes = nodes;
  g.scene = 0;
  g.scenes = [{ nodes: nodes.map((_, k) => k) }];
  return w.toGlb();
}
