/**
 * The twin package: what `citytwin tiles build` writes and `citytwin serve` loads.
 *
 * Static files only, so any web server or object store can host it:
 *   twin.json                    this manifest
 *   buildings/tileset.json       L2 white models, OGC 3D Tiles 1.1 with glTF content
 *   architecture/tileset.json    L3 textured facades and LoD2 / generated roofs, 3D Tiles 1.1
 *   components/tileset.json      L4 components as instanced glTF (EXT_mesh_gpu_instancing)
 *   interiors/{buildingId}.glb   L5 generated interiors, one glb per building, loaded on demand
 *                                ({buildingId}: the id as a file name, domain/interiorFile.ts)
 *   interiors/plans.json         L5 inputs of every building, for interiors made on demand
 *   pipes/tileset.json           L4 underground networks at their depth, 3D Tiles 1.1
 *   terrain/layer.json           L1 terrain, quantized-mesh-1.0 (Cesium terrain layout)
 *   imagery/basemap.png          ground imagery rendered from the vector layers
 *   layers/*.json|geojson        vector layers the server and client use
 *   dem/dem.asc (+ .prj)         the DEM as an ESRI ASCII grid in its source CRS (simulations)
 *   report.json                  per layer: features read, written and rejected
 */
import type { BuildingUse, Department, LocalizedName } from './citySource';
import type { CameraInfo } from './cameras';
import type { TerminalType } from './terminals';

export const TWIN_FORMAT = 'citytwin-twin';
export const TWIN_VERSION = 1;
export const TWIN_MANIFEST_FILE = 'twin.json';

/** Geographic rectangle in degrees. */
export interface GeoBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface TwinManifest {
  format: typeof TWIN_FORMAT;
  version: typeof TWIN_VERSION;
  name: LocalizedName;
  countyCode: string;
  /**
   * Copied from the city source: present when the source was generated. `name` equal to
   * DEMO_GENERATOR_NAME (domain/citySource.ts) marks the demo city.
   */
  generator?: { name: string; version: number; seed: number };
  /** Centre of the district on the ground: a good place to point a camera. */
  center: { lon: number; lat: number; height: number };
  bounds: GeoBounds;
  /** Ground heights over the DEM, metres above the ellipsoid. */
  terrainHeights: { min: number; max: number };
  counts: TwinCounts;
  /** Paths relative to the manifest. */
  files: {
    buildingsTileset: string;
    terrain: string;
    basemap: { image: string; bounds: GeoBounds };
    buildings: string;
    poles: string;
    terminals: string;
    components: string;
    roads: string;
    signals: string;
    gridCells: string;
    departments: string;
    water: string;
    /** Land use polygons (GeoJSON; Manning's n for flood runs, basemap colours). */
    landuse: string;
    /** The DEM raster as the source gave it, for simulations (flood) that need a grid. */
    dem: { grid: string; crs: string };
    /** L3: textured architecture (LoD2 or generated roofs, facade materials), 3D Tiles 1.1. */
    architectureTileset?: string;
    /** L4: urban components as instanced glTF (EXT_mesh_gpu_instancing), 3D Tiles 1.1. */
    componentsTileset?: string;
    /**
     * L5: per-building interiors loaded on demand; `{buildingId}` is replaced by the id's file name
     * (interiorFileName in domain/interiorFile.ts: `way/360099726` → `way~2F360099726`).
     */
    interiors?: string;
    /**
     * L5: every building's interior input (tiles/pipeline/interiors), from which a server makes the
     * interiors the package does not hold as files.
     */
    interiorPlans?: string;
    /** L4 underground: pipes, lines, manholes and outfalls at their depth, 3D Tiles 1.1 (docs/pipes.md). */
    pipesTileset?: string;
    /** Underground lines with their 3D axes (domain/pipes.ts PipeRecord[]): clearances, "what is under this road". */
    pipes?: string;
    /** The drainage network as the source gave it (validated GeoJSON): the 1D drainage model's input. */
    drainageNodes?: string;
    drainagePipes?: string;
    /** Emergency resources (domain/emergency.ts ResourceRecord); absent in packages built before them. */
    resources?: string;
  };
}

export interface TwinCounts {
  buildings: number;
  poles: number;
  terminals: number;
  components: number;
  roads: number;
  signals: number;
  gridCells: number;
  departments: number;
  resources?: number;
}

/** One building in the search index (layers/buildings.json); geometry lives in the tiles. */
export interface BuildingRecord {
  id: string;
  name?: string;
  use: BuildingUse;
  height: number;
  floors: number;
  /** Footprint centroid. */
  lon: number;
  lat: number;
  /** Ground height under the building (its base), metres above the ellipsoid. */
  groundHeight: number;
  gridCode?: string;
  /**
   * True when this building has an L5 interior at files.interiors (with its file name put in):
   * written by the build, or made on demand by the server from files.interiorPlans (a static host
   * without that server answers 404 for those). False or absent: the footprint has no room for
   * one. The interior's origin is this record's lon, lat and groundHeight.
   */
  interior?: boolean;
}

export interface PoleRecord {
  id: string;
  code: string;
  lon: number;
  lat: number;
  groundHeight: number;
  heightM: number;
  roadId: string;
  gridCode?: string;
  terminalIds: string[];
}

export interface TerminalRecord {
  id: string;
  poleId: string;
  type: TerminalType;
  model: string;
  /** Cameras: pose and streams, as the city source gave them (domain/cameras.ts). */
  camera?: CameraInfo;
  /** A lamp's rated power, W. */
  ratedW?: number;
  /** A signal controller's intersection (the signals layer's id). */
  signalId?: string;
}

export interface ComponentRecord {
  code: string;
  classCode: string;
  lon: number;
  lat: number;
  groundHeight: number;
  ownerId: string;
  gridCode?: string;
  roadId?: string;
}

export type DepartmentRecord = Department;

/** report.json: what happened to each layer during the build. */
export interface BuildReport {
  layers: Record<string, LayerReport>;
  /** Wall-clock seconds per build stage. */
  timingsS: Record<string, number>;
  /** What each tiled level holds: content files (glb) and their bytes. */
  levels?: Record<string, LevelReport>;
}

export interface LevelReport {
  contents: number;
  bytes: number;
  /** L4: instances drawn. */
  instances?: number;
  /** L4 underground: pipes, lines, manholes and outfalls drawn. */
  features?: number;
  /** L5: buildings without an interior file (storey budget spent, a name too long, or no room for one). */
  skipped?: number;
  /** L5: rooms, corridors and cores over all floors. */
  rooms?: number;
  /** L5: buildings no interior is made for, even on demand (over a per-building limit), with the reason; the first 100. */
  refused?: Array<{ id: string; reason: string }>;
}

export interface LayerReport {
  read: number;
  written: number;
  rejected: Array<{ index: number; id?: string; reason: string }>;
}
