/**
 * The L3 shell of one building: facade walls textured by use, and a roof — the LoD2 surfaces
 * the source gave (CityJSON semantics) or a generated shape: flat with a parapet, gabled,
 * hipped, pyramidal or skillion. A shape the source names is drawn: on a rectangle as below, a
 * gable or skillion on any other footprint over its oriented box's ridge (obbRoof.ts); only
 * hipped and pyramidal roofs on footprints that are not rectangles fall back to flat (no straight
 * skeleton here). Where the source names no shape (an untagged OSM building), a deterministic
 * choice by use, floors and size picks one on rectangles, flat elsewhere: a generated look, never
 * one that overrides what the data says (the same building always gets the same roof).
 */
import type { BuildingProps, BuildingSurface, RoofShape } from '../../../domain/citySource';
import type { EnuFrame, Vec3 } from '../../../kernel/geodesy';
import { fnv1a } from '../../../kernel/hash';
import type { FootprintRings } from '../buildings/extrude';
import { ringArea2En } from '../buildings/extrude';
import { addConvexFace, addPolygonFace, type FacadeFrame } from './faces';
import { facadeMaterial, roofMaterial } from './facadeMaterials';
import type { MaterialMesh } from './materialMesh';
import { addObbRoofShell, orientedBox } from './obbRoof';

/** Parapet above a flat roof deck (metres), lower on low buildings. */
const PARAPET_M = 0.9;
const LOW_PARAPET_M = 0.4;
/** Roof pitches: 30° for gabled, hipped and pyramidal roofs, 10° for a skillion. */
const PITCH_TAN = Math.tan((30 * Math.PI) / 180);
const SKILLION_TAN = Math.tan((10 * Math.PI) / 180);
/** A pitched roof never takes more than this share of the building's height. */
const MAX_ROOF_SHARE = 0.4;
/** A footprint is rectangular when its area is at least this share of its oriented box's. */
const RECTANGULAR_FILL = 0.97;

export interface ShellBuilding {
  properties: BuildingProps;
  groundHeight: number;
}

/** The roof a building gets: the source's shape where it fits the footprint, else a choice by use and size. */
export function chooseRoofShape(props: BuildingProps, rectangular: boolean, areaM2: number): RoofShape {
  // The data's shape wins; whether it can be drawn on this footprint is addGeneratedShell's call.
  if (props.roofShape) return props.roofShape;
  if (!rectangular) return 'flat';
  const h = fnv1a(props.id);
  switch (props.use) {
    case 'residential':
      return props.floors <= 6 ? (h % 3 === 0 ? 'hipped' : 'gabled') : 'flat';
    case 'industrial':
      return areaM2 >= 300 ? 'gabled' : 'skillion';
    case 'public':
    case 'education':
    case 'healthcare':
      return props.floors <= 4 ? 'hipped' : 'flat';
    default:
      return areaM2 < 80 && props.floors <= 3 ? 'pyramidal' : 'flat';
  }
}

// Scratch buffers: a face has at most 4 corners here; rings grow as needed.
const quad = new Float64Array(12);
let ringPts = new Float64Array(3 * 256);

/** Point at fraction t between vertex i's bottom and top, into out[3o…]. */
function lerpInto(out: Float64Array, o: number, rings: FootprintRings, i: number, t: number): void {
  for (let k = 0; k < 3; k++) out[3 * o + k] = rings.bottom[3 * i + k]! + t * (rings.top[3 * i + k]! - rings.bottom[3 * i + k]!);
}

function facadeFrame(rings: FootprintRings, props: BuildingProps): FacadeFrame {
  const b = rings.bottom;
  const t = rings.top;
  const up: Vec3 = [t[0]! - b[0]!, t[1]! - b[1]!, t[2]! - b[2]!];
  const len = Math.hypot(up[0], up[1], up[2]) || 1;
  return { base: [b[0]!, b[1]!, b[2]!], up: [up[0] / len, up[1] / len, up[2] / len], floorHeightM: props.height / Math.max(1, props.floors) };
}

/** Walls of every ring from the base to fraction `t` of the height, facing out. */
function addWalls(mesh: MaterialMesh, rings: FootprintRings, t: number, material: number, featureId: number, facade: FacadeFrame | undefined, inward = false, from = 0): void {
  const { ringStarts } = rings;
  for (let r = 0; r + 1 < ringStarts.length; r++) {
    const start = ringStarts[r]!;
    const end = ringStarts[r + 1]!;
    if (end - start < 3) continue;
    // With the solid on the left of p → q, the quad p0 q0 q1 p1 faces out.
    const solidOnLeft = ((r === 0) === ringArea2En(rings.top, start, end) > 0) !== inward;
    for (let i = start; i < end; i++) {
      const j = i + 1 === end ? start : i + 1;
      const p = solidOnLeft ? i : j;
      const q = solidOnLeft ? j : i;
      lerpInto(quad, 0, rings, p, from);
      lerpInto(quad, 1, rings, q, from);
      lerpInto(quad, 2, rings, q, t);
      lerpInto(quad, 3, rings, p, t);
      addConvexFace(mesh, material, quad, 4, featureId, facade);
    }
  }
}

/** A horizontal roof deck over all rings at fraction t of the height. */
function addDeck(mesh: MaterialMesh, rings: FootprintRings, t: number, material: number, featureId: number): void {
  const n = rings.ringStarts[rings.ringStarts.length - 1]!;
  if (ringPts.length < 3 * n) ringPts = new Float64Array(6 * n);
  for (let i = 0; i < n; i++) lerpInto(ringPts, i, rings, i, t);
  // Face up: the outer ring counter-clockwise from above.
  if (ringArea2En(rings.top, 0, rings.ringStarts[1]!) < 0) reverseRings(ringPts, rings.ringStarts);
  addPolygonFace(mesh, material, ringPts.subarray(0, 3 * n), rings.ringStarts, featureId);
}

function reverseRings(pts: Float64Array, ringStarts: readonly number[]): void {
  for (let r = 0; r + 1 < ringStarts.length; r++) {
    for (let a = ringStarts[r]!, b = ringStarts[r + 1]! - 1; a < b; a++, b--) {
      for (let k = 0; k < 3; k++) {
        const tmp = pts[3 * a + k]!;
        pts[3 * a + k] = pts[3 * b + k]!;
        pts[3 * b + k] = tmp;
      }
    }
  }
}

/** The four corners of a rectangular single-ring footprint, counter-clockwise; undefined otherwise. */
export function rectangleCorners(rings: FootprintRings): number[] | undefined {
  if (rings.ringStarts.length !== 2) return undefined;
  const n = rings.ringStarts[1]!;
  const b = rings.bottom;
  // Drop vertices on a straight line between their neighbours.
  const corners: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n;
    const q = (i + 1) % n;
    const cross = (b[3 * i]! - b[3 * p]!) * (b[3 * q + 1]! - b[3 * i + 1]!) - (b[3 * i + 1]! - b[3 * p + 1]!) * (b[3 * q]! - b[3 * i]!);
    const scale = Math.hypot(b[3 * i]! - b[3 * p]!, b[3 * i + 1]! - b[3 * p + 1]!) * Math.hypot(b[3 * q]! - b[3 * i]!, b[3 * q + 1]! - b[3 * i + 1]!);
    if (Math.abs(cross) > 1e-3 * scale) corners.push(i);
  }
  if (corners.length !== 4) return undefined;
  if (ringArea2En(b, 0, n) < 0) corners.reverse();
  const [c0, c1, c3] = [corners[0]!, corners[1]!, corners[3]!];
  const ex = b[3 * c1]! - b[3 * c0]!;
  const ey = b[3 * c1 + 1]! - b[3 * c0 + 1]!;
  const fx = b[3 * c3]! - b[3 * c0]!;
  const fy = b[3 * c3 + 1]! - b[3 * c0 + 1]!;
  const boxArea = Math.hypot(ex, ey) * Math.hypot(fx, fy);
  const area = Math.abs(ringArea2En(b, 0, n)) / 2;
  return boxArea > 0 && area >= RECTANGULAR_FILL * boxArea ? corners : undefined;
}

/** Footprint area (m², holes subtracted) of rings at their base. */
export function footprintArea(rings: FootprintRings): number {
  let a = 0;
  for (let r = 0; r + 1 < rings.ringStarts.length; r++) {
    const s = Math.abs(ringArea2En(rings.bottom, rings.ringStarts[r]!, rings.ringStarts[r + 1]!)) / 2;
    a += r === 0 ? s : -s;
  }
  return a;
}

/**
 * Generated walls and roof for one polygon of a building. Returns the roof shape drawn.
 */
export function addGeneratedShell(mesh: MaterialMesh, rings: FootprintRings, b: ShellBuilding, featureId: number): RoofShape {
  const props = b.properties;
  const facade = facadeFrame(rings, props);
  const wall = facadeMaterial(props.use);
  const corners = rectangleCorners(rings);
  const shape = chooseRoofShape(props, corners !== undefined, footprintArea(rings));
  if (!corners && (shape === 'gabled' || shape === 'skillion') && rings.ringStarts.length >= 2) {
    const box = orientedBox(rings);
    const short = box.v1 - box.v0;
    const rise = Math.min(shape === 'skillion' ? short * SKILLION_TAN : (short / 2) * PITCH_TAN, MAX_ROOF_SHARE * props.height);
    addObbRoofShell(mesh, rings, shape, props.height - rise, rise, facade.up, { wall, roof: roofMaterial('pitched') }, featureId, facade);
    return shape;
  }
  if (shape === 'flat' || !corners) {
    const parapet = Math.min(props.height > 6 ? PARAPET_M : LOW_PARAPET_M, props.height / 4);
    const deck = 1 - parapet / props.height;
    addWalls(mesh, rings, 1, wall, featureId, facade);
    addDeck(mesh, rings, deck, roofMaterial('flat'), featureId);
    // The parapet's inner face, from the deck to the top.
    addWalls(mesh, rings, 1, roofMaterial('flat'), featureId, undefined, true, deck);
    return 'flat';
  }
  // Corners c0…c3 counter-clockwise; the ridge runs along the longer pair of sides.
  const bot = rings.bottom;
  const side = (a: number, c: number) => Math.hypot(bot[3 * c]! - bot[3 * a]!, bot[3 * c + 1]! - bot[3 * a + 1]!);
  let c = corners;
  if (side(c[0]!, c[1]!) < side(c[1]!, c[2]!)) c = [c[1]!, c[2]!, c[3]!, c[0]!];
  const long = side(c[0]!, c[1]!);
  const short = side(c[1]!, c[2]!);
  const rise = Math.min(shape === 'skillion' ? short * SKILLION_TAN : (short / 2) * PITCH_TAN, MAX_ROOF_SHARE * props.height);
  const eave = 1 - rise / props.height;
  addWalls(mesh, rings, eave, wall, featureId, facade);

  // Eave corners e0…e3 and the local vertical.
  const e = new Float64Array(12);
  c.forEach((v, k) => lerpInto(e, k, rings, v, eave));
  const up = facade.up;
  const at = (k: number) => [e[3 * k]!, e[3 * k + 1]!, e[3 * k + 2]!];
  const raised = (p: number[], h: number) => [p[0]! + h * up[0]!, p[1]! + h * up[1]!, p[2]! + h * up[2]!];
  const mid = (p: number[], q: number[]) => [(p[0]! + q[0]!) / 2, (p[1]! + q[1]!) / 2, (p[2]! + q[2]!) / 2];
  const [e0, e1, e2, e3] = [at(0), at(1), at(2), at(3)];
  const roof = roofMaterial('pitched');
  const face = (material: number, onFacade: boolean, ...pts: number[][]) => {
    pts.forEach((p, k) => quad.set(p, 3 * k));
    addConvexFace(mesh, material, quad, pts.length, featureId, onFacade ? facade : undefined);
  };
  if (shape === 'skillion') {
    // High side over e2 e3: the roof plane, a tall wall on that side, triangles at the ends.
    const h2 = raised(e2, rise);
    const h3 = raised(e3, rise);
    face(roof, false, e0, e1, h2, h3);
    face(wall, true, e2, e3, h3, h2);
    face(wall, true, e1, e2, h2);
    face(wall, true, e3, e0, h3);
    return shape;
  }
  if (shape === 'pyramidal') {
    const apex = raised(mid(mid(e0, e1), mid(e2, e3)), rise);
    face(roof, false, e0, e1, apex);
    face(roof, false, e1, e2, apex);
    face(roof, false, e2, e3, apex);
    face(roof, false, e3, e0, apex);
    return shape;
  }
  // Gabled and hipped: a ridge above the middle of the short sides, pulled in by half the short
  // side for a hip (the 30° pitch on every face), leaving a short ridge on near-square footprints.
  let r0 = raised(mid(e3, e0), rise);
  let r1 = raised(mid(e1, e2), rise);
  if (shape === 'hipped') {
    const inset = Math.min(short / 2, long / 2 - 0.01) / long;
    const d = [r1[0]! - r0[0]!, r1[1]! - r0[1]!, r1[2]! - r0[2]!];
    r0 = [r0[0]! + inset * d[0]!, r0[1]! + inset * d[1]!, r0[2]! + inset * d[2]!];
    r1 = [r1[0]! - inset * d[0]!, r1[1]! - inset * d[1]!, r1[2]! - inset * d[2]!];
    face(roof, false, e1, e2, r1);
    face(roof, false, e3, e0, r0);
  } else {
    face(wall, true, e1, e2, r1);
    face(wall, true, e3, e0, r0);
  }
  face(roof, false, e0, e1, r1, r0);
  face(roof, false, e2, e3, r0, r1);
  return shape;
}

/**
 * LoD2 surfaces from the source: walls textured by use, roofs in the LoD2 roof material, ground
 * surfaces left out (the terrain covers them). Vertices are [lon, lat, metres above the
 * building's lowest vertex], placed on the building's ground height. Returns false when no
 * surface gave a triangle (the caller then generates the shell).
 */
export function addLod2Surfaces(mesh: MaterialMesh, surfaces: readonly BuildingSurface[], frame: EnuFrame, b: ShellBuilding, featureId: number): boolean {
  const props = b.properties;
  const p: Vec3 = [0, 0, 0];
  let base: Vec3 | undefined;
  let facade: FacadeFrame | undefined;
  let drawn = 0;
  for (const s of surfaces) {
    if (s.kind === 'ground') continue;
    const total = s.rings.reduce((n, r) => n + r.length, 0);
    const pts = new Float64Array(3 * total);
    const ringStarts: number[] = [];
    let v = 0;
    for (const ring of s.rings) {
      ringStarts.push(v);
      for (const [lon, lat, h] of ring) {
        frame.fromGeodetic(lon, lat, b.groundHeight + h, p);
        pts.set(p, 3 * v++);
      }
    }
    ringStarts.push(v);
    if (!base) {
      const [lon, lat] = s.rings[0]![0]!;
      base = frame.fromGeodetic(lon!, lat!, b.groundHeight);
      const top = frame.fromGeodetic(lon!, lat!, b.groundHeight + 1);
      facade = { base, up: [top[0] - base[0], top[1] - base[1], top[2] - base[2]], floorHeightM: props.height / Math.max(1, props.floors) };
    }
    const material = s.kind === 'wall' ? facadeMaterial(props.use) : s.kind === 'roof' ? roofMaterial('lod2') : roofMaterial('flat');
    drawn += addPolygonFace(mesh, material, pts, ringStarts, featureId, s.kind === 'wall' ? facade : undefined);
  }
  return drawn > 0;
}

/** A parent-tile proxy: the box's walls with the use's facade and a flat roof, no parapet. */
export function addBoxShell(mesh: MaterialMesh, box: FootprintRings, b: ShellBuilding, featureId: number): void {
  addWalls(mesh, box, 1, facadeMaterial(b.properties.use), featureId, facadeFrame(box, b.properties));
  addDeck(mesh, box, 1, roofMaterial('flat'), featureId);
}
