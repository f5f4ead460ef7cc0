/**
 * Section tools without Cesium: a clipping plane or a section box, set in a local east-north-up
 * frame (metres) at an anchor on the ground, turned into clipping planes `n·p + d ≥ 0 keeps p`
 * (Cesium's ClippingPlane convention: what lies on the side the normal points to stays).
 *
 * - A vertical plane with a heading cuts away what lies beyond `offsetM` in that heading's
 *   direction; a horizontal plane cuts away what lies above `heightM`.
 * - A box keeps what is inside it: six planes with inward normals, clipping what is outside
 *   any of them (Cesium's `unionClippingRegions = true`).
 */

export type Vec3 = [number, number, number];

export interface ClipPlane {
  normal: Vec3;
  distance: number;
}

export interface PlaneSection {
  orientation: 'vertical' | 'horizontal';
  /** Vertical: the direction cut away, degrees clockwise from north. */
  headingDeg: number;
  /** Vertical: where the plane stands along the heading from the anchor, m. */
  offsetM: number;
  /** Horizontal: the cut's height above the anchor, m. */
  heightM: number;
}

export interface BoxSection {
  /** Centre east, north, up of the anchor, m. */
  centre: Vec3;
  /** Width (across the heading), depth (along it), height, m. */
  size: Vec3;
  headingDeg: number;
}

export type SectionMode = 'off' | 'plane' | 'box';

const DEG = Math.PI / 180;
/** The smallest box side, m: a box thinner than this would clip everything. */
export const MIN_BOX_SIDE_M = 1;

/** The unit horizontal vector of a heading (east, north, 0). */
export function headingVector(headingDeg: number): Vec3 {
  return [Math.sin(headingDeg * DEG), Math.cos(headingDeg * DEG), 0];
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export function planeClip(section: PlaneSection): ClipPlane[] {
  if (section.orientation === 'horizontal') return [{ normal: [0, 0, -1], distance: section.heightM }];
  const u = headingVector(section.headingDeg);
  return [{ normal: [-u[0], -u[1], 0], distance: section.offsetM }];
}

/** The box's own axes: across (width), along the heading (depth), up. */
export function boxAxes(box: BoxSection): [Vec3, Vec3, Vec3] {
  const along = headingVector(box.headingDeg);
  return [[along[1], -along[0], 0], along, [0, 0, 1]];
}

export function boxClip(box: BoxSection): ClipPlane[] {
  const planes: ClipPlane[] = [];
  boxAxes(box).forEach((axis, k) => {
    const c = dot(axis, box.centre);
    const half = box.size[k]! / 2;
    // Face at c + half (normal −axis, inward) and at c − half (normal +axis).
    planes.push({ normal: [-axis[0], -axis[1], -axis[2]], distance: c + half });
    planes.push({ normal: [axis[0], axis[1], axis[2]], distance: half - c });
  });
  return planes;
}

/** Whether a point (local metres) stays visible under the planes. */
export function keeps(planes: readonly ClipPlane[], union: boolean, p: Vec3): boolean {
  const inside = planes.map((pl) => dot(pl.normal, p) + pl.distance >= 0);
  // union: clipped when outside any plane; otherwise only when outside every plane.
  return union ? inside.every(Boolean) : inside.some(Boolean);
}

/** The six face handles of a box: face index k·2 (+axis side) and k·2 + 1 (−axis side), at the faces' centres. */
export function boxHandles(box: BoxSection): Vec3[] {
  const handles: Vec3[] = [];
  boxAxes(box).forEach((axis, k) => {
    for (const side of [1, -1]) {
      const r = (side * box.size[k]!) / 2;
      handles.push([box.centre[0] + axis[0] * r, box.centre[1] + axis[1] * r, box.centre[2] + axis[2] * r]);
    }
  });
  return handles;
}

/**
 * Moves face `face` (as boxHandles numbers them) so that it passes through `p` along its axis;
 * the opposite face stays, so the box grows or shrinks (never below MIN_BOX_SIDE_M).
 */
export function dragBoxFace(box: BoxSection, face: number, p: Vec3): BoxSection {
  const k = Math.floor(face / 2);
  const side = face % 2 === 0 ? 1 : -1;
  const axis = boxAxes(box)[k]!;
  const c = dot(axis, box.centre);
  const opposite = c - (side * box.size[k]!) / 2;
  let moved = dot(axis, p);
  if (side * (moved - opposite) < MIN_BOX_SIDE_M) moved = opposite + side * MIN_BOX_SIDE_M;
  const size: Vec3 = [...box.size];
  size[k] = Math.abs(moved - opposite);
  const shift = (moved + opposite) / 2 - c;
  const centre: Vec3 = [box.centre[0] + axis[0] * shift, box.centre[1] + axis[1] * shift, box.centre[2] + axis[2] * shift];
  return { ...box, centre, size };
}

/** Where a vertical plane's handle stands (on the ground at the plane, along its heading). */
export function planeHandle(section: PlaneSection): Vec3 {
  if (section.orientation === 'horizontal') return [0, 0, section.heightM];
  const u = headingVector(section.headingDeg);
  return [u[0] * section.offsetM, u[1] * section.offsetM, 0];
}

/** The plane moved so it passes through `p` (a dragged handle). */
export function dragPlane(section: PlaneSection, p: Vec3): PlaneSection {
  if (section.orientation === 'horizontal') return { ...section, heightM: p[2] };
  return { ...section, offsetM: dot(headingVector(section.headingDeg), p) };
}
