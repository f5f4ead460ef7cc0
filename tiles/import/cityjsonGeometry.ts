/**
 * CityJSON geometry (CityJSON 1.1 / 2.0 specification, §"Geometry objects") reduced to what the
 * twin needs: the semantic surfaces of one city object's chosen LoD, with real coordinates.
 *
 * Boundaries nest by type — MultiSurface / CompositeSurface: surface → ring; Solid: shell →
 * surface → ring; MultiSolid / CompositeSolid: solid → shell → surface → ring — and rings are
 * arrays of vertex indices, not closed (the first vertex is not repeated). `semantics.values`
 * mirrors the nesting down to the surface, pointing into `semantics.surfaces` (or null).
 * Pure: the caller gives the vertex lookup.
 */
import { FeatureRejection } from '../source/geometryChecks';
import { isRecord } from '../source/propertyChecks';
import type { BuildingSurface } from '../../domain/citySource';
import { hasPlanArea, outlineOfFaces, planMeasures } from './faceOutline';

/** Real coordinates (file CRS, after the transform) of a vertex index; undefined if out of range. */
export type VertexLookup = (index: number) => readonly [number, number, number] | undefined;

export interface Surface3D {
  kind: BuildingSurface['kind'];
  /** Outer ring then holes, open rings of [x, y, z] in the file's CRS. */
  rings: Array<Array<[number, number, number]>>;
}

export interface ChosenGeometry {
  lod: number;
  surfaces: Surface3D[];
}

const SEMANTIC_KINDS: Record<string, BuildingSurface['kind']> = {
  RoofSurface: 'roof',
  WallSurface: 'wall',
  GroundSurface: 'ground',
};

/** Depth of surface nesting above the ring level, per geometry type. */
const SURFACE_DEPTH: Record<string, number> = { MultiSurface: 1, CompositeSurface: 1, Solid: 2, MultiSolid: 3, CompositeSolid: 3 };

/** The LoD used for a city object: the highest below 3 (L3 wants LoD2; LoD3 adds openings it cannot use), else the highest. */
export function chooseGeometry(geometries: unknown, vertex: VertexLookup): ChosenGeometry | undefined {
  if (!Array.isArray(geometries)) return undefined;
  const candidates = geometries
    .filter((g): g is Record<string, unknown> => isRecord(g) && typeof g.type === 'string' && g.type in SURFACE_DEPTH)
    .map((g) => ({ g, lod: Number(g.lod) }))
    .filter((c) => Number.isFinite(c.lod));
  if (candidates.length === 0) return undefined;
  const below3 = candidates.filter((c) => c.lod < 3);
  const pool = below3.length > 0 ? below3 : candidates;
  const best = pool.reduce((a, b) => (b.lod > a.lod ? b : a));
  return { lod: best.lod, surfaces: geometrySurfaces(best.g, vertex) };
}

/** Every surface of one geometry object with its semantic kind ("other" where none is given). */
export function geometrySurfaces(g: Record<string, unknown>, vertex: VertexLookup): Surface3D[] {
  const depth = SURFACE_DEPTH[String(g.type)];
  if (depth === undefined) throw new FeatureRejection(`geometry type ${JSON.stringify(g.type)} is not a surface or solid type`);
  const semantics = isRecord(g.semantics) ? g.semantics : undefined;
  const kinds = Array.isArray(semantics?.surfaces)
    ? (semantics.surfaces as unknown[]).map((s) => (isRecord(s) && typeof s.type === 'string' ? (SEMANTIC_KINDS[s.type] ?? 'other') : 'other'))
    : [];
  const out: Surface3D[] = [];
  const walk = (boundaries: unknown, values: unknown, level: number, path: string): void => {
    if (!Array.isArray(boundaries)) throw new FeatureRejection(`boundaries${path} is not an array`);
    boundaries.forEach((child: unknown, i) => {
      const childValues = Array.isArray(values) ? (values as unknown[])[i] : undefined;
      if (level > 1) walk(child, childValues, level - 1, `${path}[${i}]`);
      else {
        const kind = typeof childValues === 'number' ? (kinds[childValues] ?? 'other') : 'other';
        out.push({ kind, rings: surfaceRings(child, vertex, `${path}[${i}]`) });
      }
    });
  };
  walk(g.boundaries, semantics?.values, depth, '');
  return out;
}

function surfaceRings(surface: unknown, vertex: VertexLookup, path: string): Surface3D['rings'] {
  if (!Array.isArray(surface) || surface.length === 0) throw new FeatureRejection(`boundaries${path} is not a list of rings`);
  return surface.map((ring: unknown, r) => {
    if (!Array.isArray(ring) || ring.length < 3) throw new FeatureRejection(`boundaries${path}[${r}] has fewer than 3 vertices`);
    return ring.map((index: unknown) => {
      const v = typeof index === 'number' && Number.isInteger(index) ? vertex(index) : undefined;
      if (!v) throw new FeatureRejection(`boundaries${path}[${r}] refers to vertex ${JSON.stringify(index)}, which does not exist`);
      if (!Number.isFinite(v[0]) || !Number.isFinite(v[1]) || !Number.isFinite(v[2])) {
        throw new FeatureRejection(`vertex ${index} has a non-finite coordinate`);
      }
      return [v[0], v[1], v[2]] as [number, number, number];
    });
  });
}

/** Lowest and highest z over all surfaces. */
export function zRange(surfaces: readonly Surface3D[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of surfaces) for (const ring of s.rings) for (const v of ring) {
    if (v[2] < min) min = v[2];
    if (v[2] > max) max = v[2];
  }
  return { min, max };
}

/** Ground surfaces lie within this of the lowest vertex when a file gives no semantics. */
const FLAT_TOLERANCE_M = 0.05;

/**
 * Footprint polygons (2D rings, file CRS, closed as GeoJSON wants): the GroundSurfaces; without
 * semantics, the horizontal surfaces at the lowest z; in both, faces with no area seen from above
 * (wall slivers) do not count, and pieces (a triangulated ground) are merged into their outline.
 * A solid with no ground face (LoD1 solids written without their bottom) gets the outline of its
 * upward faces, which cover the same ground; only where even that fails, the convex hull.
 */
export function footprintRings(surfaces: readonly Surface3D[]): Array<Array<[number, number]>>[] {
  let ground = surfaces.filter((s) => s.kind === 'ground' && hasPlanArea(s.rings[0]!));
  if (ground.length === 0) {
    const { min } = zRange(surfaces);
    ground = surfaces.filter((s) => s.rings[0]!.every((v) => Math.abs(v[2] - min) <= FLAT_TOLERANCE_M) && hasPlanArea(s.rings[0]!));
  }
  if (ground.length === 1) return [ground[0]!.rings.map(closed2d)];
  if (ground.length > 1) return outlineOfFaces(ground.map((s) => s.rings)) ?? ground.map((s) => s.rings.map(closed2d));
  const upward = upwardFaces(surfaces);
  return (upward.length > 0 ? outlineOfFaces(upward.map((s) => s.rings)) : undefined) ?? [[convexHull(surfaces.flatMap((s) => s.rings.flat()))]];
}

/**
 * The faces that look up (or, in a file wound the other way, down — whichever side covers more
 * ground seen from above: without a bottom, the roof side), slivers left out.
 */
function upwardFaces(surfaces: readonly Surface3D[]): Surface3D[] {
  const measured = surfaces.filter((s) => hasPlanArea(s.rings[0]!)).map((s) => ({ s, area: planMeasures(s.rings[0]!).areaM2 }));
  const up = measured.filter((f) => f.area > 0);
  const down = measured.filter((f) => f.area < 0);
  const total = (fs: typeof measured): number => fs.reduce((sum, f) => sum + Math.abs(f.area), 0);
  return (total(up) >= total(down) ? up : down).map((f) => f.s);
}

function closed2d(ring: ReadonlyArray<readonly [number, number, number]>): Array<[number, number]> {
  const out = ring.map((v): [number, number] => [v[0], v[1]]);
  out.push([ring[0]![0], ring[0]![1]]);
  return out;
}

/** Convex hull (Andrew's monotone chain), closed, counter-clockwise. */
export function convexHull(points: ReadonlyArray<readonly [number, number, number] | readonly [number, number]>): Array<[number, number]> {
  const pts = points.map((p): [number, number] => [p[0], p[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  if (hull.length > 0) hull.push(hull[0]!);
  return hull;
}
