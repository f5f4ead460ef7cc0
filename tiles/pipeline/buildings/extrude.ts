/**
 * Extrusion of one footprint polygon into a closed-top prism (L2 white model, CityGML LOD1):
 * a flat roof triangulated with earcut and vertical walls, one quad per footprint edge with
 * its own four vertices so each wall gets a flat outward normal. No floor: buildings stand on
 * the terrain. Pure geometry over typed arrays in local ENU metres.
 */
import earcut from 'earcut';
import type { MeshBuffer } from './meshBuffer';

/**
 * One polygon, rings without the closing vertex: exterior first, then holes. Vertex i is at
 * [3i, 3i+3) of `bottom` (on the ground) and `top` (at the roof). Ring r spans vertices
 * [ringStarts[r], ringStarts[r+1]).
 */
export interface FootprintRings {
  bottom: Float64Array;
  top: Float64Array;
  ringStarts: readonly number[];
}

// Edges shorter than this make no visible wall and give unstable normals (metres).
const MIN_EDGE_M = 1e-3;
// Roof triangles with less than this doubled area (m²) are slivers from collinear vertices.
const MIN_TRIANGLE_AREA2_M2 = 1e-6;

/** Twice the signed area of ring [start, end) of `xyz` in the east-north plane; > 0 is counter-clockwise. */
export function ringArea2En(xyz: Float64Array, start: number, end: number): number {
  let a = 0;
  for (let i = start; i < end; i++) {
    const j = i + 1 === end ? start : i + 1;
    a += xyz[3 * i]! * xyz[3 * j + 1]! - xyz[3 * j]! * xyz[3 * i + 1]!;
  }
  return a;
}

/**
 * Appends roof and walls of one polygon to `mesh`. `up` is the unit roof normal (local
 * vertical at the building, in the same ENU frame). Returns the number of triangles added.
 */
export function extrudePolygon(mesh: MeshBuffer, rings: FootprintRings, up: readonly number[], featureId: number): number {
  const { bottom, top, ringStarts } = rings;
  const ringCount = ringStarts.length - 1;
  const n = ringStarts[ringCount]!;
  if (ringCount < 1 || n < 3) return 0;
  let triangles = 0;

  // Roof: earcut reads x, y of each xyz triple (dimensions = 3) and returns vertex indices.
  const holes = ringStarts.slice(1, ringCount);
  const roof = earcut(top.subarray(0, 3 * n), holes, 3);
  mesh.reserve(n + 4 * n, roof.length + 6 * n);
  const base = mesh.vertexCount;
  for (let i = 0; i < n; i++) mesh.vertex(top[3 * i]!, top[3 * i + 1]!, top[3 * i + 2]!, up[0]!, up[1]!, up[2]!, featureId);
  for (let t = 0; t < roof.length; t += 3) {
    const a = roof[t]!;
    let b = roof[t + 1]!;
    let c = roof[t + 2]!;
    const area2 =
      (top[3 * b]! - top[3 * a]!) * (top[3 * c + 1]! - top[3 * a + 1]!) -
      (top[3 * b + 1]! - top[3 * a + 1]!) * (top[3 * c]! - top[3 * a]!);
    if (Math.abs(area2) < MIN_TRIANGLE_AREA2_M2) continue;
    // Roofs face up: counter-clockwise seen from above.
    if (area2 < 0) [b, c] = [c, b];
    mesh.triangle(base + a, base + b, base + c);
    triangles++;
  }

  // Walls: with the solid on the left of edge a→b (exterior CCW, holes CW), the quad
  // a0 b0 b1 a1 is counter-clockwise seen from outside. Other windings swap a and b.
  for (let r = 0; r < ringCount; r++) {
    const start = ringStarts[r]!;
    const end = ringStarts[r + 1]!;
    if (end - start < 3) continue;
    const solidOnLeft = (r === 0) === ringArea2En(top, start, end) > 0;
    for (let i = start; i < end; i++) {
      const j = i + 1 === end ? start : i + 1;
      const p = 3 * (solidOnLeft ? i : j);
      const q = 3 * (solidOnLeft ? j : i);
      // Quad corners: p0 (bottom of p), q0, q1 (top of q), p1.
      const ex = bottom[q]! - bottom[p]!;
      const ey = bottom[q + 1]! - bottom[p + 1]!;
      const ez = bottom[q + 2]! - bottom[p + 2]!;
      if (Math.hypot(ex, ey) < MIN_EDGE_M) continue;
      const vx = top[p]! - bottom[p]!;
      const vy = top[p + 1]! - bottom[p + 1]!;
      const vz = top[p + 2]! - bottom[p + 2]!;
      // Outward normal = edge × vertical.
      let nx = ey * vz - ez * vy;
      let ny = ez * vx - ex * vz;
      let nz = ex * vy - ey * vx;
      const len = Math.hypot(nx, ny, nz);
      if (len === 0) continue;
      nx /= len;
      ny /= len;
      nz /= len;
      const v0 = mesh.vertex(bottom[p]!, bottom[p + 1]!, bottom[p + 2]!, nx, ny, nz, featureId);
      mesh.vertex(bottom[q]!, bottom[q + 1]!, bottom[q + 2]!, nx, ny, nz, featureId);
      mesh.vertex(top[q]!, top[q + 1]!, top[q + 2]!, nx, ny, nz, featureId);
      mesh.vertex(top[p]!, top[p + 1]!, top[p + 2]!, nx, ny, nz, featureId);
      mesh.triangle(v0, v0 + 1, v0 + 2);
      mesh.triangle(v0, v0 + 2, v0 + 3);
      triangles += 2;
    }
  }
  return triangles;
}
