/**
 * Reading a GeoJSON FeatureCollection file: its features as raw features, and the CRS its
 * `crs` member declares (the 2008 GeoJSON spelling that QGIS and GDAL still write for projected
 * data: `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}`).
 */
import { readBoundedJson } from '../source/boundedFile';
import { isRecord } from '../source/propertyChecks';
import type { RawFeature } from './footprintFeatures';
import { resolveFileCrs } from './importedLayer';

export interface GeoJsonFile {
  crs: string;
  features: RawFeature[];
}

export async function readGeoJsonFile(fullPath: string, file: string, crsOverride?: string): Promise<GeoJsonFile> {
  return geoJsonFromDocument(await readBoundedJson(fullPath, file), file, crsOverride);
}

/** The features and CRS of an already parsed GeoJSON document. */
export function geoJsonFromDocument(doc: unknown, file: string, crsOverride?: string): GeoJsonFile {
  if (!isRecord(doc) || doc.type !== 'FeatureCollection') throw new Error(`${file}: expected a GeoJSON FeatureCollection`);
  if (!Array.isArray(doc.features)) throw new Error(`${file}: the FeatureCollection has no features array`);
  const crs = resolveFileCrs(file, declaredCrs(doc.crs), crsOverride);
  const features = (doc.features as unknown[]).map((f): RawFeature =>
    isRecord(f) && f.type === 'Feature'
      ? { properties: f.properties, geometry: f.geometry, id: f.id }
      : { properties: undefined, geometry: undefined, malformed: 'not a GeoJSON Feature' },
  );
  return { crs, features };
}

function declaredCrs(crs: unknown): string | undefined {
  if (!isRecord(crs) || !isRecord(crs.properties)) return undefined;
  const name = crs.properties.name;
  return typeof name === 'string' ? name : undefined;
}
