/**
 * An IFC building as citytwin uses it, read by readIfc.ts (web-ifc) and free of web-ifc types:
 * storeys, spaces and building elements, each with its IFC GlobalId, names, property sets and a
 * triangle mesh in the model's own frame (IFC z-up metres, after every placement).
 */

import type { BimCategory } from '../../../domain/bim';

/** Property sets and quantity sets by name: `{ Pset_SpaceCommon: { IsExternal: false } }`. */
export type PropertySets = Record<string, Record<string, string | number | boolean>>;

export interface IfcMesh {
  /** x, y, z per vertex: model metres, z up. */
  positions: Float32Array;
  /** Unit normals per vertex. */
  normals: Float32Array;
  /** Counter-clockwise triangles. */
  indices: Uint32Array;
}

export interface IfcStorey {
  expressId: number;
  globalId: string;
  name: string;
  /** Storey level in model metres (the IFC Elevation, else the lowest of its contents). */
  elevationM: number;
}

export interface IfcElement {
  expressId: number;
  globalId: string;
  /** The IFC entity, e.g. `IfcWallStandardCase`. */
  ifcType: string;
  category: BimCategory;
  name: string;
  /** IfcSpace.LongName (a room's name where Name is its number); '' for other elements. */
  longName: string;
  /** Index into IfcModel.storeys. */
  storey: number;
  /** Floor area for spaces (quantity sets, else measured from the mesh), 0 for other elements. */
  areaM2: number;
  properties: PropertySets;
  mesh: IfcMesh;
}

/** An IFC 4 IfcMapConversion and its IfcProjectedCRS, as read (ifcGeoreference.ts places the model with it). */
export interface IfcMapConversion {
  /** `IfcMapConversion #12 (file line 40)`, for messages. */
  where: string;
  /** IfcProjectedCRS's Name, as written, and its other identifying fields. */
  crsName: string;
  crsWhere: string;
  geodeticDatum: string;
  mapZone: string;
  /** Eastings, Northings, OrthogonalHeight in metres (map unit applied). */
  eastingsM: number;
  northingsM: number;
  heightM: number;
  /** XAxisAbscissa, XAxisOrdinate (default 1, 0). */
  xAxis: [number, number];
  /** Scale as the file gives it (default 1) and the metres per map / project length unit. */
  scale: number;
  mapUnitM: number;
  projectUnitM: number;
}

export interface IfcGeoreference {
  mapConversion?: IfcMapConversion;
  /** IfcSite's reference point, and where the site's placement origin lies in the model (metres). */
  site?: { lon: number; lat: number; height: number; originM: [number, number, number] };
  /** The Model context's TrueNorth (x, y), when given. */
  trueNorth?: [number, number];
}

export interface IfcModel {
  file: string;
  schema: 'IFC2X3' | 'IFC4';
  building: { globalId: string; name: string; properties: PropertySets };
  /** Sorted by elevation, lowest first: the index is the interior's `floor`. */
  storeys: IfcStorey[];
  /** Spaces and building elements with geometry. */
  elements: IfcElement[];
  /** The file's own georeferencing: IfcMapConversion, IfcSite's reference point, TrueNorth. */
  georeference: IfcGeoreference;
  /** Elements read (spaces included), for the import's rate. */
  counts: { spaces: number; elements: number; triangles: number; skippedNoGeometry: number };
}

/** Bad or unsupported IFC: the message names the entity and, where known, the file and line. */
export class IfcImportError extends Error {
  constructor(
    message: string,
    readonly entity?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'IfcImportError';
  }
}
