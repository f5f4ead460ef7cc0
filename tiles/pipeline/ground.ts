/**
 * Puts features on the terrain: a ground height for every building (its base) and every point
 * feature, from a height sampler over the DEM. Features the DEM does not cover get no height and
 * are rejected into their layer's report. Pure apart from the sampler it is given.
 */
import type { BuildingProps } from '../../domain/citySource';
import type { LayerReport } from '../../domain/twinPackage';
import type { SourceFeature } from '../source/layerValidators';
import type { Polygonal } from '../source/readCitySource';
import type { Point, Position } from './geojson';

/** Ground height in metres at lon/lat (degrees); NaN where the DEM has no value. */
export type HeightSampler = (lon: number, lat: number) => number;

export interface PlacedBuilding extends SourceFeature<Polygonal, BuildingProps> {
  /** Base of the building: the lowest ground under its footprint (metres, rounded to cm). */
  groundHeight: number;
  /** Area centroid of the footprint (degrees). */
  lon: number;
  lat: number;
}

export type PlacedPoint<P> = SourceFeature<Point, P> & { groundHeight: number };

const OUTSIDE_DEM = 'outside the DEM: no ground height under it';

/** Metres per degree of longitude and latitude near `lat`: for areas and bearings over a few hundred metres. */
export function metresPerDegree(lat: number): [number, number] {
  return [111_320 * Math.cos((lat * Math.PI) / 180), 110_574];
}

/** Rounds to centimetres, so tiles and layers carry the same ground heights byte for byte. */
export const roundCm = (v: number): number => Math.round(v * 100) / 100;

function polygons(g: Polygonal): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Area centroid (holes subtract) in degrees; the mean vertex for degenerate input. */
export function polygonalCentroid(g: Polygonal): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  let count = 0;
  // Relative to the first vertex: keeps the cross products well away from cancellation.
  const first = polygons(g)[0]![0]![0]!;
  const x0 = first[0]!;
  const y0 = first[1]!;
  for (const rings of polygons(g)) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const px = ring[i]![0]! - x0;
        const py = ring[i]![1]! - y0;
        const qx = ring[i + 1]![0]! - x0;
        const qy = ring[i + 1]![1]! - y0;
        const cross = px * qy - qx * py;
        a += cross;
        cx += (px + qx) * cross;
        cy += (py + qy) * cross;
        sx += px;
        sy += py;
        count++;
      }
    }
  }
  if (Math.abs(a) < 1e-18) return [x0 + sx / count, y0 + sy / count];
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

/** Lowest ground under the footprint's vertices and centroid; NaN when none of them is on the DEM. */
export function footprintGround(g: Polygonal, centroid: readonly [number, number], sample: HeightSampler): number {
  let min = sample(centroid[0], centroid[1]);
  for (const rings of polygons(g)) {
    for (const ring of rings) {
      for (const p of ring) {
        const h = sample(p[0]!, p[1]!);
        // `!(h >= min)` also holds while min is still NaN (centroid off the DEM).
        if (!Number.isNaN(h) && !(h >= min)) min = h;
      }
    }
  }
  return min;
}

function rejectInto(report: LayerReport | undefined, index: number, id: string, reason: string): void {
  report?.rejected.push({ index, id, reason });
}

export function placeBuildings(
  features: ReadonlyArray<SourceFeature<Polygonal, BuildingProps>>,
  sample: HeightSampler,
  report: LayerReport | undefined,
): PlacedBuilding[] {
  const out: PlacedBuilding[] = [];
  for (const f of features) {
    const [lon, lat] = polygonalCentroid(f.geometry);
    const ground = footprintGround(f.geometry, [lon, lat], sample);
    if (Number.isNaN(ground)) {
      rejectInto(report, f.index, f.properties.id, OUTSIDE_DEM);
      continue;
    }
    out.push({ ...f, groundHeight: roundCm(ground), lon, lat });
  }
  return out;
}

export function placePoints<P>(
  features: ReadonlyArray<SourceFeature<Point, P>>,
  sample: HeightSampler,
  report: LayerReport | undefined,
  id: (p: P) => string,
): Array<PlacedPoint<P>> {
  const out: Array<PlacedPoint<P>> = [];
  for (const f of features) {
    const h = sample(f.geometry.coordinates[0]!, f.geometry.coordinates[1]!);
    if (Number.isNaN(h)) {
      rejectInto(report, f.index, id(f.properties), OUTSIDE_DEM);
      continue;
    }
    out.push({ ...f, groundHeight: roundCm(h) });
  }
  return out;
}
