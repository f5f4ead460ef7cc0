/**
 * A CitySource (what buildTwin tiles) from single layer files, or from a city source folder with
 * some layers replaced by files given on the command line. What single layers leave out is
 * synthesised: with no DEM, flat ground at 0 m over the data's extent plus a margin, in the UTM
 * zone of the data's centre, with square cells of FLAT_CELL_M (coarser where the extent would
 * need more than FLAT_MAX_CELLS a side); no roads, water, poles or grid cells.
 */
import path from 'node:path';
import { CITY_SOURCE_FORMAT, CITY_SOURCE_VERSION, type CitySourceManifest, type LocalizedName } from '../../domain/citySource';
import { DEFAULT_COMPONENT_CLASSES } from '../../domain/components';
import type { Position } from '../pipeline/geojson';
import type { Grid } from '../../kernel/raster/grid';
import { crsTransform, utmCrsFor } from '../../kernel/crs/crs';
import { readCitySource, type CitySource, type ReadProgress } from '../source/readCitySource';
import type { ImportedDem } from './geotiffDem';
import { importBuildingsFile, importComponentsFile, importDemFile } from './layerFiles';
import { addIfcBuilding, importIfcFile, type IfcInput } from './ifcFile';

export const FLAT_CELL_M = 10;
export const FLAT_MAX_CELLS = 2000;
export const FLAT_MARGIN_M = 200;
/** County code of a twin whose data names none (components' codes carry one when present). */
export const UNKNOWN_COUNTY = '000000';

export interface LayerInputs {
  /** A city source folder; layers given below replace its own. */
  sourceDir?: string;
  buildings?: string;
  dem?: string;
  components?: string;
  /** CRS for files that declare none (EPSG code in any spelling normaliseCrs reads). */
  crs?: string;
  name?: string;
  /** An IFC model added as a building (ifcFile.ts). */
  ifc?: IfcInput;
}

export interface AssembledSource {
  source: CitySource;
  /** Whole-file facts for the user (encodings guessed, defaults applied, synthesised layers). */
  notes: string[];
}

export async function assembleCitySource(inputs: LayerInputs, onProgress?: ReadProgress): Promise<AssembledSource> {
  if (!inputs.sourceDir && !inputs.buildings && !inputs.components && !inputs.ifc) {
    throw new Error('nothing to build: give a city source folder, --buildings, --components or --ifc');
  }
  const notes: string[] = [];
  // Each layer file is one stage of one step: the progress logger prints a stage when it completes.
  const step = (stage: string): void => onProgress?.(stage, 1, 1);
  const at = (file: string): string => path.resolve(file);

  const base = inputs.sourceDir ? await readCitySource(inputs.sourceDir, onProgress) : undefined;

  const buildings = inputs.buildings ? await importBuildingsFile(at(inputs.buildings), inputs.buildings, inputs.crs) : undefined;
  if (buildings) {
    notes.push(...buildings.notes);
    step('buildings');
  }
  const catalogue = base && base.componentClasses.length > 0 ? base.componentClasses : DEFAULT_COMPONENT_CLASSES;
  const components = inputs.components ? await importComponentsFile(at(inputs.components), inputs.components, catalogue, inputs.crs) : undefined;
  if (components) {
    notes.push(...components.notes);
    step('components');
  }
  const ifc = inputs.ifc ? await importIfcFile(inputs.ifc, 0) : undefined;
  if (ifc) {
    notes.push(...ifc.notes);
    step('ifc');
  }
  let dem: ImportedDem | undefined = inputs.dem ? await importDemFile(at(inputs.dem), inputs.dem, inputs.crs) : undefined;
  if (dem) {
    notes.push(...(dem.notes ?? []));
    step('dem');
  }

  if (base) {
    if (buildings) {
      base.buildings = buildings.features;
      base.reports.buildings = buildings.report;
    }
    if (components) {
      base.components = components.features;
      base.reports.components = components.report;
    }
    if (dem) {
      base.dem = dem.grid;
      base.demCrs = dem.crs;
      base.manifest.demCrs = dem.crs;
    }
    if (inputs.name) base.manifest.name = localized(inputs.name);
    if (ifc) addIfcBuilding(base, ifc, notes);
    return { source: base, notes };
  }

  const positions = [...(buildings?.features ?? []).flatMap((f) => outerRings(f.geometry)), ...(ifc ? outerRings(ifc.feature.geometry) : []), ...(components?.features ?? []).map((f) => f.geometry.coordinates)];
  if (positions.length === 0) throw new Error('no building or component was accepted, so there is nothing to tile (see the rejections above)');
  if (!dem) {
    dem = flatGround(positions);
    notes.push(`no DEM: flat ground at 0 m, ${dem.grid.ncols} × ${dem.grid.nrows} cells of ${dem.grid.cellSize} m in ${dem.crs}`);
  }
  const firstCode = components?.features[0]?.properties.code;
  const manifest: CitySourceManifest = {
    format: CITY_SOURCE_FORMAT,
    version: CITY_SOURCE_VERSION,
    name: localized(inputs.name ?? (ifc?.bim.model.building.name || undefined) ?? path.basename(inputs.buildings ?? inputs.components ?? inputs.ifc?.file ?? 'city').replace(/\..*$/, '')),
    demCrs: dem.crs,
    countyCode: firstCode ? firstCode.slice(0, 6) : UNKNOWN_COUNTY,
    layers: {
      dem: inputs.dem ?? '',
      buildings: inputs.buildings ?? inputs.ifc?.file ?? '',
      roads: '',
      ...(inputs.components ? { components: inputs.components } : {}),
    },
  };
  const reports: CitySource['reports'] = {};
  if (buildings) reports.buildings = buildings.report;
  if (components) reports.components = components.report;
  const source: CitySource = {
    dir: path.dirname(at(inputs.buildings ?? inputs.components ?? inputs.ifc!.file)),
    manifest,
    demCrs: dem.crs,
    dem: dem.grid,
    buildings: buildings?.features ?? [],
    roads: [],
    signals: [],
    poles: [],
    terminals: [],
    components: components?.features ?? [],
    gridCells: [],
    water: [],
    landuse: [],
    drainageNodes: [],
    drainagePipes: [],
    utilityLines: [],
    departments: [],
    resources: [],
    componentClasses: inputs.components ? [...catalogue] : [],
    reports,
  };
  if (ifc) addIfcBuilding(source, ifc, notes);
  return { source, notes };
}

function localized(name: string): LocalizedName {
  return { 'zh-CN': name, en: name };
}

function outerRings(g: CitySource['buildings'][number]['geometry']): Position[] {
  return g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates.flatMap((p) => p[0]!);
}

/** A flat 0 m grid covering the positions plus FLAT_MARGIN_M, in the UTM zone of their centre. */
export function flatGround(positions: readonly Position[]): ImportedDem {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const p of positions) {
    west = Math.min(west, p[0]!);
    east = Math.max(east, p[0]!);
    south = Math.min(south, p[1]!);
    north = Math.max(north, p[1]!);
  }
  const crs = utmCrsFor((west + east) / 2, (south + north) / 2);
  const t = crsTransform(crs);
  // The corners and edge midpoints: a lon/lat box is not a rectangle in UTM, but close at city scale.
  const xy = [west, (west + east) / 2, east].flatMap((lon) => [south, (south + north) / 2, north].map((lat) => t.fromLonLat(lon, lat)));
  const minX = Math.min(...xy.map((p) => p[0])) - FLAT_MARGIN_M;
  const maxX = Math.max(...xy.map((p) => p[0])) + FLAT_MARGIN_M;
  const minY = Math.min(...xy.map((p) => p[1])) - FLAT_MARGIN_M;
  const maxY = Math.max(...xy.map((p) => p[1])) + FLAT_MARGIN_M;
  const cellSize = Math.max(FLAT_CELL_M, Math.ceil(Math.max(maxX - minX, maxY - minY) / FLAT_MAX_CELLS));
  const ncols = Math.max(2, Math.ceil((maxX - minX) / cellSize));
  const nrows = Math.max(2, Math.ceil((maxY - minY) / cellSize));
  const grid: Grid = { ncols, nrows, xll: Math.floor(minX), yll: Math.floor(minY), cellSize, values: new Float32Array(ncols * nrows) };
  return { file: '(flat ground)', crs, grid };
}
