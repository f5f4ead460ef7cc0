/**
 * A MaterialMesh (local ENU, z up) as glTF primitives over shared vertex attributes, one per
 * material with triangles: positions and normals turned to glTF's y-up (east, up, −north)
 * around `centre`, the feature id attribute, and texture coordinates when asked.
 */
import type { MaterialMesh } from '../architecture/materialMesh';
import { ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER, type GlbWriter, type GltfPrimitive } from './glbWriter';
import { EXT_MESH_FEATURES } from './structuralMetadata';

export interface MeshPrimitives {
  primitives: GltfPrimitive[];
  /** For each primitive, the mesh material it draws. */
  materials: number[];
}

/**
 * ENU z-up vertices (float64 positions, normals) as glTF y-up float32 arrays around `centre`:
 * (e, n, u) → (e − ce, u − cu, −(n − cn)).
 */
export function toGltfYUp(srcPositions: Float64Array, srcNormals: Float32Array, count: number, centre: readonly number[]): { positions: Float32Array; normals: Float32Array } {
  const [ce, cn, cu] = centre as [number, number, number];
  const positions = new Float32Array(3 * count);
  const normals = new Float32Array(3 * count);
  for (let i = 0; i < 3 * count; i += 3) {
    positions[i] = srcPositions[i]! - ce;
    positions[i + 1] = srcPositions[i + 2]! - cu;
    positions[i + 2] = -(srcPositions[i + 1]! - cn);
    normals[i] = srcNormals[i]!;
    normals[i + 1] = srcNormals[i + 2]!;
    normals[i + 2] = -srcNormals[i + 1]!;
  }
  return { positions, normals };
}

export function materialPrimitives(w: GlbWriter, mesh: MaterialMesh, centre: readonly number[], featureCount: number, withUvs: boolean): MeshPrimitives {
  const n = mesh.vertexCount;
  const { positions, normals } = toGltfYUp(mesh.positions, mesh.normals, n, centre);
  const attributes: Record<string, number> = {
    POSITION: w.addAccessor(positions, 'VEC3', { target: ARRAY_BUFFER, minMax: true }),
    NORMAL: w.addAccessor(normals, 'VEC3', { target: ARRAY_BUFFER }),
  };
  if (withUvs) attributes.TEXCOORD_0 = w.addAccessor(mesh.uvs.slice(0, 2 * n), 'VEC2', { target: ARRAY_BUFFER });
  attributes._FEATURE_ID_0 = w.addAccessor(mesh.featureIds.slice(0, n), 'SCALAR', { target: ARRAY_BUFFER });
  const extensions = { [EXT_MESH_FEATURES]: { featureIds: [{ featureCount, attribute: 0, propertyTable: 0 }] } };
  const out: MeshPrimitives = { primitives: [], materials: [] };
  for (let m = 0; m < mesh.materialCount; m++) {
    const count = mesh.indexCounts[m]!;
    if (count === 0) continue;
    const list = mesh.indices[m]!.subarray(0, count);
    // 0xFFFF is the primitive-restart value and may not be used as an index.
    const indices = w.addAccessor(n < 0xffff ? Uint16Array.from(list) : list.slice(), 'SCALAR', { target: ELEMENT_ARRAY_BUFFER });
    out.primitives.push({ attributes, indices, material: out.materials.length, mode: 4, extensions });
    out.materials.push(m);
  }
  return out;
}
