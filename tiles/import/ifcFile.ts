/**
 * `--ifc <file.ifc>`: one IFC model (plain or gzip-compressed, `.ifc.gz`) as a building of the
 * city source — its record and footprint for L2, and the model itself (`CitySource.bim`) from
 * which the pipeline makes the L3 shell and the L5 interior. In a city source, buildings whose
 * footprint holds the placement point are the same building drawn without BIM: the IFC model
 * replaces them.
 */
import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import type { BuildingProps, BuildingUse } from '../../domain/citySource';
import { pointInRings } from '../../kernel/geodesy';
import type { SourceFeature } from '../source/layerValidators';
import type { CitySource, Polygonal } from '../source/readCitySource';
import { bimBuildingFeature, bimBuildingId, type BimBuilding } from './ifc/ifcBuilding';
import { placementOf, type IfcPlacement } from './ifc/ifcPlacement';
import { MAX_IFC_BYTES, readIfc } from './ifc/readIfc';

export interface IfcInput {
  file: string;
  /** `--at`; without it the file's georeferencing (IfcMapConversion, else IfcSite and TrueNorth). */
  at?: IfcPlacement;
  /** The building record's use (default residential). */
  use?: BuildingUse;
}

export interface ImportedIfc {
  bim: BimBuilding;
  feature: SourceFeature<Polygonal, BuildingProps>;
  notes: string[];
}

const GZIP_MAGIC = [0x1f, 0x8b];

export async function importIfcFile(input: IfcInput, index: number): Promise<ImportedIfc> {
  const name = path.basename(input.file);
  const size = (await stat(input.file)).size;
  if (size > MAX_IFC_BYTES) throw new Error(`${name}: ${Math.round(size / 2 ** 20)} MiB is over the ${MAX_IFC_BYTES / 2 ** 20} MiB limit for an IFC file (MAX_IFC_BYTES)`);
  let bytes: Uint8Array = await readFile(input.file);
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) bytes = gunzipSync(bytes, { maxOutputLength: MAX_IFC_BYTES });
  const started = performance.now();
  const model = await readIfc(bytes, name);
  const chosen = placementOf(model, input.at);
  const placement = chosen.placement;
  const bim: BimBuilding = { buildingId: bimBuildingId(model), model, placement };
  const feature = bimBuildingFeature(bim, index, input.use ?? 'residential');
  const ms = performance.now() - started;
  const c = model.counts;
  const notes = [
    `${name}: ${model.schema}, ${model.storeys.length} storeys, ${c.spaces} rooms (IfcSpace), ${c.elements - c.spaces} elements, ${c.triangles.toLocaleString('en')} triangles in ${Math.round(ms)} ms → building "${bim.buildingId}"`,
    `${name}: placed at ${placement.lon.toFixed(7)}, ${placement.lat.toFixed(7)}${placement.height !== undefined ? `, z = 0 at ${placement.height} m` : ', z = 0 on the ground'}, heading ${Math.round(placement.headingDeg * 1e4) / 1e4}° — from ${chosen.source}`,
    ...chosen.notes.map((n) => `${name}: ${n}`),
  ];
  if (c.skippedNoGeometry > 0) notes.push(`${name}: ${c.skippedNoGeometry} elements without body geometry left out`);
  return { bim, feature, notes };
}

/** Adds the IFC building to `source`, replacing the buildings that stand where it is placed. */
export function addIfcBuilding(source: CitySource, imported: ImportedIfc, notes: string[]): void {
  const { lon, lat } = imported.bim.placement;
  const replaced = source.buildings.filter((b) => polygonsOf(b.geometry).some((rings) => pointInRings(lon, lat, rings)));
  if (replaced.length > 0) {
    const ids = new Set(replaced.map((b) => b.properties.id));
    source.buildings = source.buildings.filter((b) => !ids.has(b.properties.id));
    notes.push(`the IFC model replaces building ${[...ids].map((id) => `"${id}"`).join(', ')} at its placement point`);
  }
  source.buildings.push({ ...imported.feature, index: source.buildings.length });
  source.bim = [...(source.bim ?? []), imported.bim];
  const report = (source.reports.buildings ??= { read: 0, written: 0, rejected: [] });
  report.read++;
}

function polygonsOf(g: Polygonal): number[][][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}
