import { describe, expect, it } from 'vitest';
import { decodeQuantizedMesh } from '../../tiles/pipeline/terrain/decode';
import { QUANTIZED_MAX, encodeQuantizedMesh, octEncode, type QuantizedMesh } from '../../tiles/pipeline/terrain/quantizedMesh';

describe('encodeQuantizedMesh', () => {
  /** An n × n grid mesh with its vertices stored in a scrambled order. */
  function gridMesh(n: number): QuantizedMesh {
    const count = n * n;
    const slot = new Uint32Array(count); // grid vertex → storage index
    for (let i = 0; i < count; i++) slot[i] = (i * 7919) % count; // 7919 is prime and coprime to these counts
    const u = new Uint16Array(count), v = new Uint16Array(count), height = new Uint16Array(count);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const s = slot[j * n + i]!;
        u[s] = Math.round((i * QUANTIZED_MAX) / (n - 1));
        v[s] = Math.round((j * QUANTIZED_MAX) / (n - 1));
        height[s] = (i * 31 + j * 17) % (QUANTIZED_MAX + 1);
      }
    }
    const indices: number[] = [];
    for (let j = 0; j + 1 < n; j++) {
      for (let i = 0; i + 1 < n; i++) {
        const sw = slot[j * n + i]!, se = slot[j * n + i + 1]!, nw = slot[(j + 1) * n + i]!, ne = slot[(j + 1) * n + i + 1]!;
        indices.push(sw, se, ne, sw, ne, nw);
      }
    }
    const edge = (pick: (i: number, j: number) => boolean) => {
      const out: number[] = [];
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (pick(i, j)) out.push(slot[j * n + i]!);
      return Uint32Array.from(out);
    };
    const octNormals = new Uint8Array(2 * count);
    for (let k = 0; k < count; k++) octEncode(0, 0, 1, octNormals, 2 * k);
    return {
      header: { center: [1, 2, 3], minHeight: -5, maxHeight: 50, boundingSphereCenter: [4, 5, 6], boundingSphereRadius: 7, horizonOcclusionPoint: [0.1, 0.2, 0.3] },
      u,
      v,
      height,
      indices: Uint32Array.from(indices),
      westIndices: edge((i) => i === 0),
      southIndices: edge((_, j) => j === 0),
      eastIndices: edge((i) => i === n - 1),
      northIndices: edge((_, j) => j === n - 1),
      octNormals,
      waterMask: new Uint8Array([255]),
    };
  }

  /** Triangles as sorted "u,v,h" triples, independent of vertex numbering. */
  function triangles(m: Pick<QuantizedMesh, 'u' | 'v' | 'height' | 'indices'>): string[] {
    const out: string[] = [];
    for (let i = 0; i < m.indices.length; i += 3) {
      const corners = [0, 1, 2].map((c) => {
        const k = m.indices[i + c]!;
        return `${m.u[k]},${m.v[k]},${m.height[k]}`;
      });
      // Rotate so the smallest corner comes first: keeps the winding, drops the start.
      const first = corners.indexOf([...corners].sort()[0]!);
      out.push([...corners.slice(first), ...corners.slice(0, first)].join(' '));
    }
    return out.sort();
  }

  for (const [n, bytesPerIndex] of [[65, 2], [257, 4]] as const) {
    it(`round-trips a scrambled ${n} × ${n} mesh with ${bytesPerIndex * 8}-bit indices`, () => {
      const mesh = gridMesh(n);
      const bytes = encodeQuantizedMesh(mesh);
      const decoded = decodeQuantizedMesh(bytes);
      expect(decoded.header).toEqual({ ...mesh.header, minHeight: -5, maxHeight: 50 });
      expect(triangles(decoded)).toEqual(triangles(mesh));
      const vertexEnd = 88 + 4 + 6 * n * n;
      const indexStart = vertexEnd + ((bytesPerIndex - (vertexEnd % bytesPerIndex)) % bytesPerIndex);
      expect(indexStart % bytesPerIndex).toBe(0);
      expect(new DataView(bytes.buffer).getUint32(indexStart, true)).toBe(2 * (n - 1) * (n - 1));
      for (const [name, list] of [['west', decoded.westIndices], ['south', decoded.southIndices], ['east', decoded.eastIndices], ['north', decoded.northIndices]] as const) {
        expect(list.length, name).toBe(n);
      }
      expect([...decoded.westIndices].every((k) => decoded.u[k] === 0)).toBe(true);
      expect([...decoded.northIndices].every((k) => decoded.v[k] === QUANTIZED_MAX)).toBe(true);
      expect(decoded.octNormals?.length).toBe(2 * n * n);
      expect([...decoded.waterMask!]).toEqual([255]);
    });
  }
});
