/**
 * The city source: the folder of standard-format files a twin is built from.
 *
 * The demo generator writes one, and a real city's data can be dropped in the same shape:
 * a DEM as an ESRI ASCII grid in a projected CRS (EPSG code in the manifest, WKT beside it as
 * `.prj`), vector layers as RFC 7946 GeoJSON (WGS84 lon/lat), and small JSON tables.
 * `city.json` names each file; the property types below are what each layer's features carry.
 */
import type { CameraInfo } from './cameras';
import type { ResourceRecord } from './emergency';
import type { TerminalType } from './terminals';

export const CITY_SOURCE_FORMAT = 'citytwin-source';
export const CITY_SOURCE_VERSION = 1;

/**
 * The generator name the demo city is written with (demo/). A twin built from such a source carries
 * it in its manifest, which is how the server knows it serves the demo city (simulated staff,
 * docs/staff-sim.md) and not a real one.
 */
export const DEMO_GENERATOR_NAME = 'citytwin-demo';

export interface LocalizedName {
  'zh-CN': string;
  en: string;
}

export interface CitySourceManifest {
  format: typeof CITY_SOURCE_FORMAT;
  version: typeof CITY_SOURCE_VERSION;
  name: LocalizedName;
  /** CRS of the DEM grid, e.g. "EPSG:4547" (CGCS2000 / 3-degree Gauss-Kruger CM 114E). */
  demCrs: string;
  /** 6-digit administrative code of the county (or county-level city) the data lies in. */
  countyCode: string;
  /** Present when the source was generated: the generator and the seed it used. */
  generator?: { name: string; version: number; seed: number };
  /** File names, relative to the manifest. Optional layers may be absent. */
  layers: {
    dem: string;
    buildings: string;
    roads: string;
    signals?: string;
    poles?: string;
    terminals?: string;
    components?: string;
    gridCells?: string;
    departments?: string;
    water?: string;
    landuse?: string;
    componentClasses?: string;
    /** Underground networks (domain/pipes.ts, docs/pipes.md). */
    drainageNodes?: string;
    drainagePipes?: string;
    utilityLines?: string;
    /** Emergency resources (Points): GeoJSON, or CSV with lon/lat columns (docs/emergency.md). */
    resources?: string;
  };
}

export const CITY_SOURCE_MANIFEST_FILE = 'city.json';

export const BUILDING_USES = [
  'residential',
  'commercial',
  'office',
  'industrial',
  'public',
  'education',
  'healthcare',
  'mixed',
] as const;
export type BuildingUse = (typeof BUILDING_USES)[number];

/** Properties of a building footprint (Polygon). Height is from ground to roof top in metres. */
export interface BuildingProps {
  id: string;
  height: number;
  floors: number;
  use: BuildingUse;
  name?: string;
  /** Grid cell the footprint's centroid falls in. */
  gridCode?: string;
  /** Roof shape for generated L3 roofs where no LoD2 geometry exists (OSM `roof:shape`). */
  roofShape?: RoofShape;
  /**
   * LoD2 geometry from the input (CityJSON), when present: semantic surfaces the L3 tiles use
   * instead of a generated roof. Footprint and height stay authoritative for L2 and L5.
   */
  surfaces?: BuildingSurface[];
}

export const ROOF_SHAPES = ['flat', 'gabled', 'hipped', 'pyramidal', 'skillion'] as const;
export type RoofShape = (typeof ROOF_SHAPES)[number];

/** One planar surface of an LoD2 building (CityJSON semantics, reduced to what L3 needs). */
export interface BuildingSurface {
  kind: 'roof' | 'wall' | 'ground' | 'other';
  /**
   * Outer ring, then holes; each vertex [lon, lat, metres above the building's lowest vertex].
   * Rings are open as in CityJSON (the last vertex does not repeat the first), wound as in the
   * input: CityJSON orients them counter-clockwise seen from outside the solid.
   */
  rings: Array<Array<[number, number, number]>>;
}

export const ROAD_CLASSES = ['arterial', 'secondary', 'local'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

/** Properties of a road centreline (LineString). */
export interface RoadProps {
  id: string;
  name: string;
  nameEn?: string;
  class: RoadClass;
  lanes: number;
  widthM: number;
  speedKmh: number;
}

/** Properties of a signalised intersection (Point). */
export interface SignalProps {
  id: string;
  /** 16-digit component code (class 0208). */
  code: string;
  name: string;
  /** Roads that meet at the intersection. */
  roadIds: string[];
}

/** Properties of a smart lamp pole (Point). */
export interface PoleProps {
  id: string;
  /** 16-digit component code (class 0118). */
  code: string;
  roadId: string;
  heightM: number;
  gridCode?: string;
}

/** Properties of an IoT terminal (Point, at its pole). */
export interface TerminalProps {
  id: string;
  poleId: string;
  type: TerminalType;
  model: string;
  /** Cameras (`camera`, `traffic-camera`): pose and stream endpoints (domain/cameras.ts). */
  camera?: CameraInfo;
  /** A lamp's rated power, W: the full power its energy saving is measured against (docs/energy.md). */
  ratedW?: number;
  /** A signal controller's intersection (the `signals` layer's id) whose timing plan it runs. */
  signalId?: string;
}

/** Properties of a component such as a manhole cover or hydrant (Point). */
export interface ComponentProps {
  /** 16-digit component code. */
  code: string;
  /** 4-digit class code (major + minor). */
  classCode: string;
  /** Department responsible for it (departments table id). */
  ownerId: string;
  gridCode?: string;
  roadId?: string;
}

/** Properties of a unit grid cell (Polygon), the smallest area of grid management. */
export interface GridCellProps {
  /** 14 digits: county (6) + street (3) + community (3) + cell serial (2). */
  code: string;
  streetName: string;
  communityName: string;
}

export interface Department {
  id: string;
  name: LocalizedName;
  /** What it is responsible for: component class codes and terminal types. */
  componentClasses: string[];
  terminalTypes: TerminalType[];
}

export const WATER_KINDS = ['sea', 'river', 'lake'] as const;
export type WaterKind = (typeof WATER_KINDS)[number];

/** Properties of a water body (Polygon). */
export interface WaterProps {
  id: string;
  kind: WaterKind;
  name: string;
}

export const LANDUSE_KINDS = ['park', 'beach', 'plaza', 'industrial-yard', 'campus'] as const;
export type LanduseKind = (typeof LANDUSE_KINDS)[number];

/** Properties of a land-use area (Polygon) that the basemap colours. */
export interface LanduseProps {
  id: string;
  kind: LanduseKind;
  name?: string;
}

/**
 * Properties of an emergency resource (Point): a rescue team, fire or police station, hospital,
 * supply depot or shelter (domain/emergency.ts). Position comes from the geometry.
 */
export type ResourceProps = Omit<ResourceRecord, 'lon' | 'lat'>;
