/**
 * One entry per layer kind that picks the importer by file extension (and, for `.json`, by the
 * file's `type`): buildings from GeoJSON, CityJSON, CityJSONSeq, Shapefile or FlatGeobuf; DEMs
 * from ESRI ASCII grids or GeoTIFF; components from GeoJSON, CSV or Shapefile points.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BuildingProps, ComponentProps } from '../../domain/citySource';
import type { ComponentClass } from '../../domain/components';
import type { Point } from '../pipeline/geojson';
import { parseAsciiGrid } from '../../kernel/raster/asciiGrid';
import { readBoundedJson, readBoundedText } from '../source/boundedFile';
import { isRecord } from '../source/propertyChecks';
import { epsgFromWkt } from '../../kernel/crs/prjCrs';
import type { Polygonal } from '../source/readCitySource';
import { importCityJson, importDocument } from './cityjson';
import { importComponents, type RawPoint } from './componentPoints';
import { readCsvPoints } from './csvPoints';
import { readFlatGeobuf } from './flatgeobuf';
import { importFootprints } from './footprintFeatures';
import { geoJsonFromDocument, readGeoJsonFile } from './geojsonFile';
import { importGeoTiffDem, type ImportedDem } from './geotiffDem';
import { resolveFileCrs, type ImportedLayer } from './importedLayer';
import { readShapefile } from './shapefile';

export const BUILDING_FORMATS = '.geojson, .json (GeoJSON or CityJSON), .city.json, .jsonl (CityJSONSeq), .shp, .fgb';
export const DEM_FORMATS = '.asc, .tif, .tiff';
export const COMPONENT_FORMATS = '.geojson, .json, .csv, .shp';

const extension = (file: string): string => path.extname(file).toLowerCase();

export async function importBuildingsFile(fullPath: string, file: string, crs?: string): Promise<ImportedLayer<Polygonal, BuildingProps>> {
  const ext = extension(file);
  if (ext === '.jsonl' || /\.city\.json$/i.test(file) || ext === '.cityjson') return importCityJson(fullPath, file, crs);
  if (ext === '.json' || ext === '.geojson') {
    if (ext === '.json') {
      // Parsed once; the top-level keys say which format it is (cjio writes "type" last, megabytes in).
      const parsed = await readBoundedJson(fullPath, file);
      if (isCityJsonDocument(parsed)) return importDocument(parsed, file, crs);
      const doc = geoJsonFromDocument(parsed, file, crs);
      return importFootprints(file, doc.crs, doc.features);
    }
    const doc = await readGeoJsonFile(fullPath, file, crs);
    return importFootprints(file, doc.crs, doc.features);
  }
  if (ext === '.shp') {
    const shp = await readShapefile(fullPath, file, crs);
    return importFootprints(file, shp.crs, shp.features, shp.notes);
  }
  if (ext === '.fgb') {
    const fgb = await readFlatGeobuf(fullPath, file, crs);
    return importFootprints(file, fgb.crs, fgb.features);
  }
  throw new Error(`${file}: unknown buildings format "${ext}" (reads ${BUILDING_FORMATS})`);
}

/**
 * Whether a parsed `.json` document is CityJSON: its `type` says so, or — where a writer left the
 * type out or misspelt it — it has CityJSON's own top-level members, `CityObjects` and `vertices`.
 */
export function isCityJsonDocument(doc: unknown): boolean {
  if (!isRecord(doc)) return false;
  return doc.type === 'CityJSON' || (doc.type === undefined && isRecord(doc.CityObjects) && Array.isArray(doc.vertices));
}

export async function importDemFile(fullPath: string, file: string, crs?: string): Promise<ImportedDem> {
  const ext = extension(file);
  if (ext === '.tif' || ext === '.tiff') return importGeoTiffDem(fullPath, file, crs);
  if (ext === '.asc') {
    const grid = parseAsciiGrid(await readBoundedText(fullPath, file), file);
    if (!grid.values.some((v) => !Number.isNaN(v))) throw new Error(`${file}: every cell is no-data`);
    const prj = fullPath.replace(/\.asc$/i, '.prj');
    const declared = existsSync(prj) ? epsgFromWkt(await readFile(prj, 'utf8')) : undefined;
    if (declared === undefined && crs === undefined) {
      throw new Error(`${file}: an ESRI ASCII grid carries no CRS; put a recognisable .prj beside it or give --crs EPSG:n`);
    }
    return { file, crs: resolveFileCrs(file, declared, crs), grid };
  }
  throw new Error(`${file}: unknown DEM format "${ext}" (reads ${DEM_FORMATS})`);
}

export async function importComponentsFile(
  fullPath: string,
  file: string,
  catalogue: readonly ComponentClass[],
  crs?: string,
): Promise<ImportedLayer<Point, ComponentProps>> {
  const ext = extension(file);
  if (ext === '.csv') {
    const csv = await readCsvPoints(fullPath, file, crs);
    return importComponents(file, csv.crs, csv.points, catalogue);
  }
  if (ext === '.geojson' || ext === '.json' || ext === '.shp') {
    const read = ext === '.shp' ? await readShapefile(fullPath, file, crs) : { ...(await readGeoJsonFile(fullPath, file, crs)), notes: [] };
    const points = read.features.map((f): RawPoint => ({ ...f, crs: read.crs }));
    return importComponents(file, read.crs, points, catalogue, read.notes);
  }
  throw new Error(`${file}: unknown components format "${ext}" (reads ${COMPONENT_FORMATS})`);
}
