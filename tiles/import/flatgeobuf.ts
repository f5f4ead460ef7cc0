/**
 * FlatGeobuf files read with loaders.gl's FlatGeobufLoader as raw GeoJSON features. The CRS is
 * the header's (organisation "EPSG" and code, or its WKT), else `--crs`, else WGS84.
 */
import { parse } from '@loaders.gl/core';
import { FlatGeobufLoader } from '@loaders.gl/flatgeobuf';
import { readBoundedBytes } from '../source/boundedFile';
import { epsgFromWkt } from '../../kernel/crs/prjCrs';
import { defineCrsFromWkt, isKnownCrs } from '../../kernel/crs/crs';
import { isRecord } from '../source/propertyChecks';
import type { RawFeature } from './footprintFeatures';
import { resolveFileCrs } from './importedLayer';

export interface FlatGeobufContent {
  crs: string;
  features: RawFeature[];
}

export async function readFlatGeobuf(fullPath: string, file: string, crsOverride?: string): Promise<FlatGeobufContent> {
  const bytes = await readBoundedBytes(fullPath, file);
  let table: { schema?: { metadata?: Record<string, string> }; features?: unknown[] };
  try {
    table = (await parse(bytes, FlatGeobufLoader, { worker: false, flatgeobuf: { shape: 'geojson-table' } })) as typeof table;
  } catch (err) {
    throw new Error(`${file}: not a readable FlatGeobuf file (${(err as Error).message})`);
  }
  const crs = resolveFileCrs(file, headerCrs(table.schema?.metadata?.crs), crsOverride);
  const features = (table.features ?? []).map((f): RawFeature =>
    isRecord(f) ? { properties: f.properties, geometry: f.geometry, id: f.id } : { properties: undefined, geometry: undefined, malformed: 'not a feature' },
  );
  return { crs, features };
}

/** The header's CRS as loaders.gl exposes it: JSON of { org, code, wkt, … } or "null". */
function headerCrs(json: string | undefined): string | undefined {
  if (!json) return undefined;
  let crs: unknown;
  try {
    crs = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(crs)) return undefined;
  const wkt = typeof crs.wkt === 'string' && crs.wkt.trim() !== '' ? crs.wkt : undefined;
  if (typeof crs.code === 'number' && crs.code > 0 && (crs.org === null || crs.org === undefined || String(crs.org).toUpperCase() === 'EPSG')) {
    const code = `EPSG:${crs.code}`;
    // A code this build has no definition for is still usable through the WKT beside it.
    if (isKnownCrs(code) || wkt === undefined) return code;
    return defineCrsFromWkt(wkt, code) ?? code;
  }
  return wkt !== undefined ? (epsgFromWkt(wkt) ?? wkt.slice(0, 60)) : undefined;
}
