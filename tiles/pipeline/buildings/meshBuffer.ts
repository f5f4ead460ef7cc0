/**
 * A growable triangle mesh in local ENU metres: float64 positions (so a tile can be re-centred
 * later without losing precision), float32 normals, a float feature id per vertex, uint32
 * indices. Arrays grow by doubling; `reset` keeps their storage for the next tile.
 */

export class MeshBuffer {
  positions = new Float64Array(3 * 1024);
  normals = new Float32Array(3 * 1024);
  featureIds = new Float32Array(1024);
  indices = new Uint32Array(3 * 1024);
  vertexCount = 0;
  indexCount = 0;

  reset(): void {
    this.vertexCount = 0;
    this.indexCount = 0;
  }

  /** Makes room for `vertices` more vertices and `indices` more indices. */
  reserve(vertices: number, indices: number): void {
    const v = this.vertexCount + vertices;
    if (v > this.featureIds.length) {
      const cap = Math.max(v, this.featureIds.length * 2);
      this.positions = grow(this.positions, 3 * cap, this.vertexCount * 3);
      this.normals = grow(this.normals, 3 * cap, this.vertexCount * 3);
      this.featureIds = grow(this.featureIds, cap, this.vertexCount);
    }
    const i = this.indexCount + indices;
    if (i > this.indices.length) this.indices = grow(this.indices, Math.max(i, this.indices.length * 2), this.indexCount);
  }

  /** Adds a vertex (call `reserve` first); returns its index. */
  vertex(e: number, n: number, u: number, ne: number, nn: number, nu: number, featureId: number): number {
    const k = this.vertexCount++;
    const p = 3 * k;
    this.positions[p] = e;
    this.positions[p + 1] = n;
    this.positions[p + 2] = u;
    this.normals[p] = ne;
    this.normals[p + 1] = nn;
    this.normals[p + 2] = nu;
    this.featureIds[k] = featureId;
    return k;
  }

  /** Adds a triangle, counter-clockwise seen from its front (call `reserve` first). */
  triangle(a: number, b: number, c: number): void {
    const i = this.indexCount;
    this.indices[i] = a;
    this.indices[i + 1] = b;
    this.indices[i + 2] = c;
    this.indexCount = i + 3;
  }
}

function grow<T extends Float64Array | Float32Array | Uint32Array>(a: T, length: number, keep: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a.subarray(0, keep));
  return b;
}
