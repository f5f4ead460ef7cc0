/**
 * Minimal RFC 7946 GeoJSON types for the tile builders.
 *
 * `@types/geojson` is not a dependency; these declarations mirror its names and generic
 * parameters (Feature<G, P>, FeatureCollection<G, P>) so the two stay interchangeable if it is
 * added later. Coordinates are WGS84 lon/lat in degrees (an optional third value is ignored).
 */
import type { LanduseKind, RoadClass, WaterKind } from '../../domain/citySource';

/** [lon, lat] or [lon, lat, height]. */
export type Position = number[];

export interface Point {
  type: 'Point';
  coordinates: Position;
}
export interface MultiPoint {
  type: 'MultiPoint';
  coordinates: Position[];
}
export interface LineString {
  type: 'LineString';
  coordinates: Position[];
}
export interface MultiLineString {
  type: 'MultiLineString';
  coordinates: Position[][];
}
/** First ring is the outer boundary, the others are holes. */
export interface Polygon {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

export type Geometry = Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon;

export type GeoJsonProperties = { [name: string]: unknown } | null;

export interface Feature<G extends Geometry | null = Geometry, P = GeoJsonProperties> {
  type: 'Feature';
  geometry: G;
  properties: P;
  id?: string | number;
  bbox?: number[];
}

export interface FeatureCollection<G extends Geometry | null = Geometry, P = GeoJsonProperties> {
  type: 'FeatureCollection';
  features: Array<Feature<G, P>>;
  bbox?: number[];
}

/** The layers the terrain and basemap builders read, with only the properties they use. */
export type WaterCollection = FeatureCollection<Polygon | MultiPolygon, { kind: WaterKind }>;
export type LanduseCollection = FeatureCollection<Polygon | MultiPolygon, { kind: LanduseKind }>;
export type RoadCollection = FeatureCollection<LineString, { class: RoadClass; widthM: number }>;
export type FootprintCollection = FeatureCollection<Polygon | MultiPolygon, unknown>;
