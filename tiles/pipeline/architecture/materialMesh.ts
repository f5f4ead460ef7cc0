/**
 * A growable triangle mesh for textured content: positions (float64, local ENU metres), normals,
 * texture coordinates and a feature id per vertex, and one index list per material, so a tile
 * becomes one glTF primitive per material over shared vertex attributes. `reset` keeps storage.
 */

export class MaterialMesh {
  positions = new Float64Array(3 * 4096);
  normals = new Float32Array(3 * 4096);
  uvs = new Float32Array(2 * 4096);
  featureIds = new Float32Array(4096);
  vertexCount = 0;
  readonly indices: Uint32Array[];
  readonly indexCounts: number[];

  constructor(readonly materialCount: number) {
    this.indices = Array.from({ length: materialCount }, () => new Uint32Array(3 * 1024));
    this.indexCounts = new Array<number>(materialCount).fill(0);
  }

  reset(): void {
    this.vertexCount = 0;
    this.indexCounts.fill(0);
  }

  /** Adds a vertex; returns its index. */
  vertex(x: number, y: number, z: number, nx: number, ny: number, nz: number, u: number, v: number, featureId: number): number {
    const k = this.vertexCount;
    if (k === this.featureIds.length) this.growVertices();
    this.vertexCount = k + 1;
    this.positions[3 * k] = x;
    this.positions[3 * k + 1] = y;
    this.positions[3 * k + 2] = z;
    this.normals[3 * k] = nx;
    this.normals[3 * k + 1] = ny;
    this.normals[3 * k + 2] = nz;
    this.uvs[2 * k] = u;
    this.uvs[2 * k + 1] = v;
    this.featureIds[k] = featureId;
    return k;
  }

  /** Adds a triangle of `material`, counter-clockwise seen from its front. */
  triangle(material: number, a: number, b: number, c: number): void {
    let list = this.indices[material]!;
    const i = this.indexCounts[material]!;
    if (i + 3 > list.length) {
      const bigger = new Uint32Array(list.length * 2);
      bigger.set(list);
      this.indices[material] = list = bigger;
    }
    list[i] = a;
    list[i + 1] = b;
    list[i + 2] = c;
    this.indexCounts[material] = i + 3;
  }

  private growVertices(): void {
    const cap = this.featureIds.length * 2;
    const grow = <T extends Float64Array | Float32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.positions = grow(this.positions, 3 * cap);
    this.normals = grow(this.normals, 3 * cap);
    this.uvs = grow(this.uvs, 2 * cap);
    this.featureIds = grow(this.featureIds, cap);
  }
}
