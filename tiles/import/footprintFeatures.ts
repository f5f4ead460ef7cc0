/**
 * Building footprints from GeoJSON-like features in any known CRS — what GeoJSON, Shapefile and
 * FlatGeobuf importers all produce once their format is read: reproject, check the polygon
 * (closed, not self-intersecting, finite), map the attributes (buildingAttributes.ts).
 */
import type { BuildingProps } from '../../domain/citySource';
import { FeatureRejection, parsePolygonal } from '../source/geometryChecks';
import { isRecord } from '../source/propertyChecks';
import type { Polygonal } from '../source/readCitySource';
import { attributeId, buildingPropsFrom } from './buildingAttributes';
import { LayerCollector, idOf, reprojector, type ImportedLayer } from './importedLayer';

/** One feature as a format reader hands it over: properties and geometry still untrusted. */
export interface RawFeature {
  properties: unknown;
  geometry: unknown;
  /** A feature-level id (GeoJSON `id`), used when the properties carry none. */
  id?: unknown;
  /** Set when the reader could not make a feature of it at all ("not a GeoJSON Feature"). */
  malformed?: string;
}

/** Imports footprints given in `crs`; a feature whose attributes carry no id is named by its feature id, else "b<n>". */
export function importFootprints(file: string, crs: string, features: Iterable<RawFeature>, notes: string[] = []): ImportedLayer<Polygonal, BuildingProps> {
  const layer = new LayerCollector<Polygonal, BuildingProps>(file, crs);
  layer.notes.push(...notes);
  const toLonLat = reprojector(crs);
  let index = 0;
  for (const raw of features) {
    const i = index++;
    const props = isRecord(raw.properties) ? raw.properties : {};
    const featureId = idOf(raw.id);
    layer.add(i, attributeId(props) ?? featureId, () => {
      if (raw.malformed !== undefined) throw new FeatureRejection(raw.malformed);
      if (raw.properties !== undefined && raw.properties !== null && !isRecord(raw.properties)) {
        throw new FeatureRejection('properties must be an object');
      }
      const properties = buildingPropsFrom(props, { fallbackId: featureId ?? `b${i + 1}` });
      let geometry: Polygonal;
      try {
        geometry = parsePolygonal(toLonLat(raw.geometry));
      } catch (err) {
        if (err instanceof FeatureRejection) throw new FeatureRejection(`geometry: ${err.message}`);
        throw err;
      }
      return { geometry, properties, key: properties.id };
    });
  }
  return layer.done();
}
