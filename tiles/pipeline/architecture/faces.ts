/**
 * Planar faces for L3 content: convex polygons (fan) and general polygons with holes (earcut in
 * the face's own plane), each with a flat normal from the vertices (Newell's method) and
 * texture coordinates for facades: u = metres along the wall / bay width, v = −metres above the
 * base / floor height, so the facade image repeats once per bay and once per floor with its top
 * row at the ceiling.
 */
import earcut from 'earcut';
import { BAY_WIDTH_M } from './facadeMaterials';
import type { MaterialMesh } from './materialMesh';

/** Where facade v counts floors from: the building's base point and its local vertical. */
export interface FacadeFrame {
  base: readonly number[];
  up: readonly number[];
  floorHeightM: number;
}

// Faces with less doubled area than this (m²) are slivers and are dropped.
const MIN_AREA2_M2 = 1e-6;

const scratchNormal = [0, 0, 0];

/** Newell normal (length = doubled area) of `count` xyz points in `pts`, into `out`. */
export function newellNormal(pts: ArrayLike<number>, count: number, out: number[] = scratchNormal): number[] {
  let nx = 0;
  let ny = 0;
  let nz = 0;
  for (let i = 0; i < count; i++) {
    const j = i + 1 === count ? 0 : i + 1;
    const [x0, y0, z0] = [pts[3 * i]!, pts[3 * i + 1]!, pts[3 * i + 2]!];
    const [x1, y1, z1] = [pts[3 * j]!, pts[3 * j + 1]!, pts[3 * j + 2]!];
    nx += (y0 - y1) * (z0 + z1);
    ny += (z0 - z1) * (x0 + x1);
    nz += (x0 - x1) * (y0 + y1);
  }
  out[0] = nx;
  out[1] = ny;
  out[2] = nz;
  return out;
}

/**
 * Appends vertices for `count` points with one normal; facade UVs when `facade` is given, else 0.
 * Returns the first vertex index.
 */
function addVertices(mesh: MaterialMesh, pts: ArrayLike<number>, count: number, n: readonly number[], featureId: number, facade: FacadeFrame | undefined): number {
  const first = mesh.vertexCount;
  let ax = 0;
  let ay = 0;
  let az = 0;
  if (facade) {
    // Along the wall: up × normal, horizontal on a vertical face.
    const [ux, uy, uz] = facade.up as [number, number, number];
    ax = uy * n[2]! - uz * n[1]!;
    ay = uz * n[0]! - ux * n[2]!;
    az = ux * n[1]! - uy * n[0]!;
    const len = Math.hypot(ax, ay, az) || 1;
    ax /= len;
    ay /= len;
    az /= len;
  }
  for (let i = 0; i < count; i++) {
    const x = pts[3 * i]!;
    const y = pts[3 * i + 1]!;
    const z = pts[3 * i + 2]!;
    let u = 0;
    let v = 0;
    if (facade) {
      const dx = x - pts[0]!;
      const dy = y - pts[1]!;
      const dz = z - pts[2]!;
      u = (dx * ax + dy * ay + dz * az) / BAY_WIDTH_M;
      const b = facade.base;
      const up = facade.up;
      v = -((x - b[0]!) * up[0]! + (y - b[1]!) * up[1]! + (z - b[2]!) * up[2]!) / facade.floorHeightM;
    }
    mesh.vertex(x, y, z, n[0]!, n[1]!, n[2]!, u, v, featureId);
  }
  return first;
}

/** Unit normal of a face, or undefined for a sliver. */
function unitNormal(pts: ArrayLike<number>, count: number): number[] | undefined {
  const n = newellNormal(pts, count);
  const len = Math.hypot(n[0]!, n[1]!, n[2]!);
  if (len < MIN_AREA2_M2) return undefined;
  return [n[0]! / len, n[1]! / len, n[2]! / len];
}

/** A convex planar polygon, counter-clockwise seen from its front. Returns triangles added. */
export function addConvexFace(mesh: MaterialMesh, material: number, pts: ArrayLike<number>, count: number, featureId: number, facade?: FacadeFrame): number {
  const n = unitNormal(pts, count);
  if (!n) return 0;
  const first = addVertices(mesh, pts, count, n, featureId, facade);
  for (let i = 1; i + 1 < count; i++) mesh.triangle(material, first, first + i, first + i + 1);
  return count - 2;
}

/**
 * A planar polygon with holes (`ringStarts` as in FootprintRings; the outer ring's winding gives
 * the front), triangulated with earcut in the polygon's plane. Returns triangles added.
 */
export function addPolygonFace(
  mesh: MaterialMesh,
  material: number,
  pts: Float64Array,
  ringStarts: readonly number[],
  featureId: number,
  facade?: FacadeFrame,
): number {
  const count = ringStarts[ringStarts.length - 1]!;
  const outer = ringStarts[1]!;
  const n = unitNormal(pts, outer);
  if (!n || count < 3) return 0;
  // A basis of the plane: any unit vector orthogonal to n, then n × e1.
  const e1 = Math.abs(n[2]!) < 0.9 ? [-n[1]!, n[0]!, 0] : [0, -n[2]!, n[1]!];
  const l1 = Math.hypot(e1[0]!, e1[1]!, e1[2]!);
  e1[0]! /= l1;
  e1[1]! /= l1;
  e1[2]! /= l1;
  const e2 = [n[1]! * e1[2]! - n[2]! * e1[1]!, n[2]! * e1[0]! - n[0]! * e1[2]!, n[0]! * e1[1]! - n[1]! * e1[0]!];
  const flat = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    const x = pts[3 * i]!;
    const y = pts[3 * i + 1]!;
    const z = pts[3 * i + 2]!;
    flat[2 * i] = x * e1[0]! + y * e1[1]! + z * e1[2]!;
    flat[2 * i + 1] = x * e2[0]! + y * e2[1]! + z * e2[2]!;
  }
  const tris = earcut(flat, ringStarts.slice(1, ringStarts.length - 1), 2);
  if (tris.length === 0) return 0;
  const first = addVertices(mesh, pts, count, n, featureId, facade);
  let added = 0;
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t]!;
    let b = tris[t + 1]!;
    let c = tris[t + 2]!;
    // In the (e1, e2) basis, e1 × e2 = n: counter-clockwise there faces the front.
    const area2 = (flat[2 * b]! - flat[2 * a]!) * (flat[2 * c + 1]! - flat[2 * a + 1]!) - (flat[2 * b + 1]! - flat[2 * a + 1]!) * (flat[2 * c]! - flat[2 * a]!);
    if (Math.abs(area2) < MIN_AREA2_M2) continue;
    if (area2 < 0) [b, c] = [c, b];
    mesh.triangle(material, first + a, first + b, first + c);
    added++;
  }
  return added;
}
