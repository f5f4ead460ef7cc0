/**
 * Pipe features as triangles in the package's ENU frame: a pipe or line is a closed tube per
 * segment of its axis (an 8-sided prism for a circular section, a box for a rectangular one),
 * a manhole a vertical 10-sided shaft from its invert to its rim, an outfall a headwall slab.
 * One material per network (pipeGlb.ts colours them); smooth normals on round surfaces, flat on
 * boxes and caps.
 */
import { PIPE_NETWORKS } from '../../../domain/pipes';
import type { EnuFrame, Vec3 } from '../../../kernel/geodesy';
import type { MaterialMesh } from '../architecture/materialMesh';
import type { PipeFeature } from './pipeFeatures';

const TUBE_SIDES = 8;
const SHAFT_SIDES = 10;

const a3: Vec3 = [0, 0, 0];
const b3: Vec3 = [0, 0, 0];

type V3 = [number, number, number];

function sub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function cross(a: V3, b: V3): V3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function unit(a: V3): V3 {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
}

/**
 * Side and up unit vectors across a segment's direction `d` (any direction, vertical included),
 * with side × up = d: a ring of offsets counter-clockwise in (side, up) is counter-clockwise seen
 * from the end `d` points to.
 */
function basis(d: V3): [V3, V3] {
  const ref: V3 = Math.abs(d[2]) > 0.95 ? [1, 0, 0] : [0, 0, 1];
  const side = unit(cross(d, ref));
  return [side, cross(d, side)];
}

/** A flat polygon cap (vertices in order, counter-clockwise seen along `normal`). */
function cap(mesh: MaterialMesh, material: number, fid: number, ring: readonly V3[], normal: V3): void {
  const first = mesh.vertexCount;
  for (const p of ring) mesh.vertex(p[0], p[1], p[2], normal[0], normal[1], normal[2], 0, 0, fid);
  for (let i = 1; i + 1 < ring.length; i++) mesh.triangle(material, first, first + i, first + i + 1);
}

/** A prism from `a` to `b` around their axis; `round` gives a circle of `sides`, else a w × h box. */
function prism(mesh: MaterialMesh, material: number, fid: number, a: V3, b: V3, w: number, h: number, round: boolean, sides: number, caps: [boolean, boolean] = [true, true]): void {
  const d = unit(sub(b, a));
  const [side, up] = basis(d);
  const offsets: Array<[number, number]> = round
    ? Array.from({ length: sides }, (_, k) => {
        const t = (2 * Math.PI * k) / sides;
        return [Math.cos(t) * (w / 2), Math.sin(t) * (h / 2)];
      })
    : [
        [w / 2, -h / 2],
        [w / 2, h / 2],
        [-w / 2, h / 2],
        [-w / 2, -h / 2],
      ];
  const at = (p: V3, [s, u]: [number, number]): V3 => [p[0] + side[0] * s + up[0] * u, p[1] + side[1] * s + up[1] * u, p[2] + side[2] * s + up[2] * u];
  const n = offsets.length;
  if (round) {
    const first = mesh.vertexCount;
    for (let k = 0; k < n; k++) {
      const o = offsets[k]!;
      const nrm = unit([side[0] * o[0] + up[0] * o[1], side[1] * o[0] + up[1] * o[1], side[2] * o[0] + up[2] * o[1]]);
      for (const p of [a, b]) {
        const q = at(p, o);
        mesh.vertex(q[0], q[1], q[2], nrm[0], nrm[1], nrm[2], 0, 0, fid);
      }
    }
    for (let k = 0; k < n; k++) {
      const i0 = first + 2 * k;
      const i1 = first + 2 * ((k + 1) % n);
      // Outward faces: (a_k, a_k+1, b_k+1), (a_k, b_k+1, b_k) wind counter-clockwise seen from outside.
      mesh.triangle(material, i0, i1, i1 + 1);
      mesh.triangle(material, i0, i1 + 1, i0 + 1);
    }
  } else {
    for (let k = 0; k < n; k++) {
      const o0 = offsets[k]!;
      const o1 = offsets[(k + 1) % n]!;
      const mid: [number, number] = [(o0[0] + o1[0]) / 2, (o0[1] + o1[1]) / 2];
      const nrm = unit([side[0] * mid[0] + up[0] * mid[1], side[1] * mid[0] + up[1] * mid[1], side[2] * mid[0] + up[2] * mid[1]]);
      const first = mesh.vertexCount;
      for (const q of [at(a, o0), at(a, o1), at(b, o1), at(b, o0)]) mesh.vertex(q[0], q[1], q[2], nrm[0], nrm[1], nrm[2], 0, 0, fid);
      mesh.triangle(material, first, first + 1, first + 2);
      mesh.triangle(material, first, first + 2, first + 3);
    }
  }
  // Caps: the end ring at `b` seen along d is counter-clockwise (side × up = d); the start one reversed.
  if (caps[1]) cap(mesh, material, fid, offsets.map((o) => at(b, o)), d);
  if (caps[0]) cap(mesh, material, fid, offsets.map((o) => at(a, o)).reverse(), [-d[0], -d[1], -d[2]]);
}

/** Adds one feature's geometry as feature id `fid`. */
export function addPipeFeature(mesh: MaterialMesh, frame: EnuFrame, f: PipeFeature, fid: number): void {
  const material = PIPE_NETWORKS.indexOf(f.network);
  const enu = f.axis.map(([lon, lat, h]): V3 => {
    frame.fromGeodetic(lon, lat, h, a3);
    return [a3[0], a3[1], a3[2]];
  });
  if (f.kind === 'manhole' || f.kind === 'outfall') {
    const [bottom, top] = enu as [V3, V3];
    if (f.kind === 'manhole') prism(mesh, material, fid, bottom, top, f.widthM, f.widthM, true, SHAFT_SIDES);
    else prism(mesh, material, fid, bottom, top, f.widthM, f.heightM, false, 4);
    return;
  }
  const round = f.shape === 'circular';
  for (let i = 0; i + 1 < enu.length; i++) {
    const a = enu[i]!;
    const b = enu[i + 1]!;
    if (Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) < 1e-3) continue;
    // Caps close the line's two ends only; inner joints are hidden inside the next segment.
    prism(mesh, material, fid, a, b, f.widthM, f.heightM, round, TUBE_SIDES, [i === 0, i + 2 === enu.length]);
  }
}

/** Horizontal position (ENU east, north) of a feature's middle, for the quadtree. */
export function featureAnchor(frame: EnuFrame, f: PipeFeature, out: Vec3 = b3): Vec3 {
  const mid = f.axis[Math.floor((f.axis.length - 1) / 2)]!;
  const next = f.axis[Math.min(f.axis.length - 1, Math.floor((f.axis.length - 1) / 2) + 1)]!;
  return frame.fromGeodetic((mid[0] + next[0]) / 2, (mid[1] + next[1]) / 2, mid[2], out);
}
