/**
 * A generated floor plan for buildings without indoor data: the footprint, in its own oriented
 * frame (u along its longest outer edge), is cut into bays about ROOM_BAY_M long; footprints
 * wider than DOUBLE_LOADED_MIN_M get a central corridor with rooms on both sides (a
 * double-loaded plan), narrower ones a single row of rooms. The middle bay on one side becomes
 * the core (stairs and lift); every other cell, clipped to the footprint, is a room. Simple, but
 * it follows how corridor buildings are laid out, and every room has a real polygon and area.
 *
 * Pure geometry in local metres (x east, y north), rings counter-clockwise without repeats.
 */

export type PlanCellKind = 'room' | 'corridor' | 'core';

export interface PlanCell {
  kind: PlanCellKind;
  /** Counter-clockwise ring, [x, y] metres. */
  ring: Array<[number, number]>;
  areaM2: number;
}

export interface FloorPlan {
  cells: PlanCell[];
  /** The core cell's oriented rectangle (for stairs): origin, axis along u, lengths. */
  core: { origin: [number, number]; axis: [number, number]; lengthM: number; widthM: number } | undefined;
}

/** Target room length along the building (m). */
const ROOM_BAY_M = 6.5;
/** Footprints at least this wide get a corridor between two rows of rooms (m). */
const DOUBLE_LOADED_MIN_M = 12;
const CORRIDOR_M = 2;
/** Cells smaller than this are slivers of the clipping, not rooms (m²). */
const MIN_CELL_M2 = 2;
/** The planned core must keep this share of its rectangle inside the footprint. */
const MIN_CORE_FILL = 0.6;

export function ringArea(ring: ReadonlyArray<readonly [number, number]>): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

/**
 * Sutherland–Hodgman: the part of `subject` (any simple polygon) inside the axis-aligned
 * rectangle [u0, u1] × [v0, v1]. A concave subject can leave zero-width bridges along the
 * rectangle's edges; they add no area.
 */
export function clipToRect(subject: ReadonlyArray<readonly [number, number]>, u0: number, v0: number, u1: number, v1: number): Array<[number, number]> {
  let poly = subject.map((p) => [p[0], p[1]] as [number, number]);
  const edges: Array<[(p: [number, number]) => number, number, number]> = [
    // [coordinate, bound, sign]: inside when sign · (coordinate − bound) ≥ 0.
    [(p) => p[0], u0, 1],
    [(p) => p[0], u1, -1],
    [(p) => p[1], v0, 1],
    [(p) => p[1], v1, -1],
  ];
  for (const [coord, bound, sign] of edges) {
    if (poly.length === 0) break;
    const next: Array<[number, number]> = [];
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!;
      const b = poly[(i + 1) % poly.length]!;
      const da = sign * (coord(a) - bound);
      const db = sign * (coord(b) - bound);
      if (da >= 0) next.push(a);
      if ((da >= 0) !== (db >= 0)) {
        const t = da / (da - db);
        next.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
    poly = next;
  }
  return poly;
}

/** Plans one floor of a footprint (outer ring only; courtyards are cut out by the clipping's area). */
export function planFloor(outer: ReadonlyArray<readonly [number, number]>, holes: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = []): FloorPlan {
  // Axis along the longest edge.
  let axis: [number, number] = [1, 0];
  let best = -1;
  for (let i = 0; i < outer.length; i++) {
    const [x0, y0] = outer[i]!;
    const [x1, y1] = outer[(i + 1) % outer.length]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len > best) {
      best = len;
      axis = [(x1 - x0) / len, (y1 - y0) / len];
    }
  }
  const toUv = (p: readonly [number, number]): [number, number] => [p[0] * axis[0] + p[1] * axis[1], -p[0] * axis[1] + p[1] * axis[0]];
  const toXy = (p: readonly [number, number]): [number, number] => [p[0] * axis[0] - p[1] * axis[1], p[0] * axis[1] + p[1] * axis[0]];
  const uv = outer.map(toUv);
  if (ringArea(uv) < 0) uv.reverse();
  const holesUv = holes.map((h) => h.map(toUv));
  const us = uv.map((p) => p[0]);
  const vs = uv.map((p) => p[1]);
  const [u0, u1, v0, v1] = [Math.min(...us), Math.max(...us), Math.min(...vs), Math.max(...vs)];
  const length = u1 - u0;
  const width = v1 - v0;
  const bays = Math.max(1, Math.round(length / ROOM_BAY_M));
  const bay = length / bays;
  const coreBay = Math.floor(bays / 2);

  // Strips across the width: [v from, v to, kind of its cells].
  const strips: Array<[number, number, PlanCellKind]> =
    width >= DOUBLE_LOADED_MIN_M
      ? [
          [v0, (v0 + v1) / 2 - CORRIDOR_M / 2, 'room'],
          [(v0 + v1) / 2 - CORRIDOR_M / 2, (v0 + v1) / 2 + CORRIDOR_M / 2, 'corridor'],
          [(v0 + v1) / 2 + CORRIDOR_M / 2, v1, 'room'],
        ]
      : [[v0, v1, 'room']];

  const cells: PlanCell[] = [];
  let core: FloorPlan['core'];
  let coreIndex = -1;
  const addCell = (kind: PlanCellKind, a0: number, b0: number, a1: number, b1: number): number => {
    const ring = clipToRect(uv, a0, b0, a1, b1);
    // Courtyards: a hole inside the cell takes its area off (drawn as part of the room floor).
    let area = ringArea(ring);
    for (const h of holesUv) area -= Math.abs(ringArea(clipToRect(h, a0, b0, a1, b1)));
    if (ring.length < 3 || area < MIN_CELL_M2) return -1;
    cells.push({ kind, ring: ring.map(toXy), areaM2: Math.round(area * 100) / 100 });
    return cells.length - 1;
  };
  for (const [s0, s1, kind] of strips) {
    if (kind === 'corridor') {
      addCell('corridor', u0, s0, u1, s1);
      continue;
    }
    for (let b = 0; b < bays; b++) {
      const a0 = u0 + b * bay;
      const a1 = b + 1 === bays ? u1 : a0 + bay;
      const isCore = coreIndex < 0 && b === coreBay;
      const k = addCell(isCore ? 'core' : 'room', a0, s0, a1, s1);
      if (isCore && k >= 0 && cells[k]!.areaM2 >= MIN_CORE_FILL * (a1 - a0) * (s1 - s0)) {
        coreIndex = k;
        core = { origin: toXy([a0, s0]), axis, lengthM: a1 - a0, widthM: s1 - s0 };
      } else if (isCore && k >= 0) {
        cells[k]!.kind = 'room';
      }
    }
  }
  // No usable middle bay (an L, a courtyard): the biggest room becomes the core, without stairs geometry of its own rectangle.
  if (coreIndex < 0 && cells.length > 0) {
    let biggest = 0;
    cells.forEach((c, i) => {
      if (c.kind === 'room' && c.areaM2 > cells[biggest]!.areaM2) biggest = i;
    });
    cells[biggest]!.kind = 'core';
  }
  return { cells, core };
}
