/**
 * Gabled and skillion roofs on footprints that are not rectangles (an L-shaped house tagged
 * `roof:shape=gabled`): the roof planes of the footprint's minimum-area oriented bounding box —
 * for a gable, a ridge along the box's long axis at its middle — cut to the footprint. Each
 * side of the ridge is one plane over the part of the footprint on that side, and every wall
 * rises to the roof line above it, so an L's wings get gable walls where they end. Not a
 * straight skeleton (a wing across the ridge gets the main ridge, not its own), but it draws
 * the shape the data names, with no face outside the footprint.
 *
 * Local metres as FootprintRings give them: x, y across, `up` the facade frame's vertical.
 */
import type { FootprintRings } from '../buildings/extrude';
import { ringArea2En } from '../buildings/extrude';
import { clipToRect, ringArea } from '../interiors/floorPlan';
import { addConvexFace, addPolygonFace, type FacadeFrame } from './faces';
import type { MaterialMesh } from './materialMesh';

/** The footprint's minimum-area oriented box: unit axis u along its long side, extents in (u, v). */
export function orientedBox(rings: FootprintRings): { u: [number, number]; u0: number; u1: number; v0: number; v1: number } {
  const b = rings.bottom;
  const n = rings.ringStarts[1]!;
  let best = { u: [1, 0] as [number, number], u0: 0, u1: 0, v0: 0, v1: 0, area: Infinity };
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const dx = b[3 * j]! - b[3 * i]!;
    const dy = b[3 * j + 1]! - b[3 * i + 1]!;
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    const u: [number, number] = [dx / len, dy / len];
    let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
    for (let k = 0; k < n; k++) {
      const [pu, pv] = toUv(b[3 * k]!, b[3 * k + 1]!, u);
      u0 = Math.min(u0, pu); u1 = Math.max(u1, pu); v0 = Math.min(v0, pv); v1 = Math.max(v1, pv);
    }
    const area = (u1 - u0) * (v1 - v0);
    if (area < best.area - 1e-9) best = { u, u0, u1, v0, v1, area };
  }
  // The long side along u.
  if (best.u1 - best.u0 < best.v1 - best.v0) {
    const u: [number, number] = [-best.u[1], best.u[0]];
    return { u, u0: best.v0, u1: best.v1, v0: -best.u1, v1: -best.u0 };
  }
  return best;
}

const toUv = (x: number, y: number, u: readonly [number, number]): [number, number] => [x * u[0] + y * u[1], -x * u[1] + y * u[0]];
const fromUv = (pu: number, pv: number, u: readonly [number, number]): [number, number] => [pu * u[0] - pv * u[1], pu * u[1] + pv * u[0]];

/**
 * Walls up to the roof line and the roof planes for `shape` over a footprint of any shape.
 * `eaveM` is the wall height at the box's long sides, `riseM` the roof's rise above it.
 */
export function addObbRoofShell(
  mesh: MaterialMesh,
  rings: FootprintRings,
  shape: 'gabled' | 'skillion',
  eaveM: number,
  riseM: number,
  up: readonly number[],
  materials: { wall: number; roof: number },
  featureId: number,
  facade: FacadeFrame,
): void {
  const box = orientedBox(rings);
  const mid = (box.v0 + box.v1) / 2;
  const half = (box.v1 - box.v0) / 2;
  const z0 = rings.bottom[2]!;
  const roofAt = (pv: number): number =>
    eaveM + (shape === 'gabled' ? riseM * (1 - Math.abs(pv - mid) / half) : (riseM * (pv - box.v0)) / (box.v1 - box.v0));
  const point = (x: number, y: number, h: number): number[] => [x + h * up[0]!, y + h * up[1]!, z0 + h * up[2]!];
  const quad = new Float64Array(12);

  // Walls: each edge split where it crosses the ridge, from the ground to the roof above it.
  const { ringStarts, bottom } = rings;
  for (let r = 0; r + 1 < ringStarts.length; r++) {
    const start = ringStarts[r]!;
    const end = ringStarts[r + 1]!;
    if (end - start < 3) continue;
    const solidOnLeft = (r === 0) === ringArea2En(bottom, start, end) > 0;
    for (let i = start; i < end; i++) {
      const j = i + 1 === end ? start : i + 1;
      const [p, q] = solidOnLeft ? [i, j] : [j, i];
      const a: [number, number] = [bottom[3 * p]!, bottom[3 * p + 1]!];
      const c: [number, number] = [bottom[3 * q]!, bottom[3 * q + 1]!];
      const va = toUv(a[0], a[1], box.u)[1];
      const vc = toUv(c[0], c[1], box.u)[1];
      const pieces: Array<[number, number]> = [a];
      if (shape === 'gabled' && (va - mid) * (vc - mid) < 0) {
        const t = (mid - va) / (vc - va);
        pieces.push([a[0] + t * (c[0] - a[0]), a[1] + t * (c[1] - a[1])]);
      }
      pieces.push(c);
      for (let k = 0; k + 1 < pieces.length; k++) {
        const [s, e] = [pieces[k]!, pieces[k + 1]!];
        quad.set(point(s[0], s[1], 0), 0);
        quad.set(point(e[0], e[1], 0), 3);
        quad.set(point(e[0], e[1], roofAt(toUv(e[0], e[1], box.u)[1])), 6);
        quad.set(point(s[0], s[1], roofAt(toUv(s[0], s[1], box.u)[1])), 9);
        addConvexFace(mesh, materials.wall, quad, 4, featureId, facade);
      }
    }
  }

  // Roof planes: the footprint's rings cut at the ridge (a skillion is one plane), lifted, facing up.
  const bands = shape === 'gabled' ? [[box.v0 - 1, mid], [mid, box.v1 + 1]] : [[box.v0 - 1, box.v1 + 1]];
  for (const [lo, hi] of bands) {
    const pts: number[] = [];
    const starts: number[] = [];
    for (let r = 0; r + 1 < ringStarts.length; r++) {
      const ring: Array<[number, number]> = [];
      for (let i = ringStarts[r]!; i < ringStarts[r + 1]!; i++) ring.push(toUv(bottom[3 * i]!, bottom[3 * i + 1]!, box.u));
      const cut = clipToRect(ring, box.u0 - 1, lo!, box.u1 + 1, hi!);
      if (cut.length < 3) {
        if (r === 0) break;
        continue;
      }
      // Outer ring counter-clockwise from above, holes clockwise.
      if (ringArea(cut) > 0 !== (r === 0)) cut.reverse();
      starts.push(pts.length / 3);
      for (const [pu, pv] of cut) {
        const [x, y] = fromUv(pu, pv, box.u);
        pts.push(...point(x, y, roofAt(pv)));
      }
    }
    if (starts.length === 0) continue;
    starts.push(pts.length / 3);
    addPolygonFace(mesh, materials.roof, Float64Array.from(pts), starts, featureId);
  }
}
