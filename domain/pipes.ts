/**
 * Underground networks in the city source and the twin package (docs/pipes.md).
 *
 * Three GeoJSON layers (WGS84 lon/lat; elevations in metres in the DEM's vertical datum):
 *   drainageNodes   Points: manholes and outfalls of the storm and sewer networks
 *   drainagePipes   LineStrings: gravity pipes between two nodes, drawn from `fromNode` to `toNode`
 *   utilityLines    LineStrings: water supply, gas, power and telecom at a burial depth
 *
 * Drainage is modelled as EPA SWMM 5 reads a network: nodes with an invert and a rim (junctions
 * [JUNCTIONS] with max depth = rim − invert; outfalls [OUTFALLS] with a free or tidal boundary),
 * links with their end nodes and the invert at each end ([CONDUITS] in/out offsets measured from
 * the node inverts), a cross-section ([XSECTIONS] CIRCULAR diameter or RECT_CLOSED height × width)
 * and a Manning's n. Flow runs from the higher invert to the lower; the demo's gravity networks
 * always run from `fromNode` to `toNode`.
 *
 * Attributes follow CJJ 61 (城市地下管线探测技术规程): network kind, material, diameter or
 * section, invert elevation (drainage) or burial depth to the pipe's top (pressure pipes, ducts),
 * owner, year laid.
 */

export const DRAINAGE_NETWORKS = ['storm', 'sewer'] as const;
export type DrainageNetwork = (typeof DRAINAGE_NETWORKS)[number];

export const UTILITY_NETWORKS = ['water', 'gas', 'power', 'telecom'] as const;
export type UtilityNetwork = (typeof UTILITY_NETWORKS)[number];

export const PIPE_NETWORKS = [...DRAINAGE_NETWORKS, ...UTILITY_NETWORKS] as const;
export type PipeNetwork = (typeof PIPE_NETWORKS)[number];

export const DRAINAGE_NODE_KINDS = ['manhole', 'outfall'] as const;
export type DrainageNodeKind = (typeof DRAINAGE_NODE_KINDS)[number];

/** What an outfall discharges into; `treatment` is a sewer's pumping station / plant inlet. */
export const OUTFALL_RECEIVERS = ['river', 'sea', 'lake', 'treatment'] as const;
export type OutfallReceiver = (typeof OUTFALL_RECEIVERS)[number];

/** SWMM outfall boundary: free discharge, or the tide's level (the sea level series). */
export const OUTFALL_BOUNDARIES = ['free', 'tidal'] as const;
export type OutfallBoundary = (typeof OUTFALL_BOUNDARIES)[number];

export const PIPE_SHAPES = ['circular', 'rectangular'] as const;
export type PipeShape = (typeof PIPE_SHAPES)[number];

/** Cross-section: a circle of `diameterM`, or a closed box `widthM` × `heightM` (duct bank, box culvert). */
export type PipeSection = { shape: 'circular'; diameterM: number } | { shape: 'rectangular'; widthM: number; heightM: number };

/** Attributes every pipe and line carries (CJJ 61). */
export interface PipeAttributes {
  material: string;
  /** Owner or operator (a department id of the source, or a company name). */
  owner: string;
  installYear: number;
}

/** Properties of a drainage node (Point). */
export interface DrainageNodeProps {
  id: string;
  network: DrainageNetwork;
  kind: DrainageNodeKind;
  /** Bottom of the node (lowest pipe invert), metres. */
  invertElevation: number;
  /** Ground / cover level, metres; absent for an outfall in a bank or sea wall with no cover. */
  rimElevation?: number;
  /** Inner diameter of a manhole's shaft, metres (default 1.0). */
  shaftDiameterM?: number;
  /** Outfalls only. */
  receiving?: OutfallReceiver;
  /** Outfalls only: 'tidal' follows the sea level series, 'free' discharges at critical depth. */
  boundary?: OutfallBoundary;
  owner?: string;
}

/** Properties of a drainage pipe (LineString drawn from fromNode to toNode). */
export type DrainagePipeProps = PipeAttributes &
  PipeSection & {
    id: string;
    network: DrainageNetwork;
    fromNode: string;
    toNode: string;
    /** Invert elevation where the pipe leaves `fromNode` and where it enters `toNode`, metres. */
    fromInvert: number;
    toInvert: number;
    /** Manning's n; absent: from the material (docs/pipes.md). */
    manningN?: number;
  };

/** Properties of a water, gas, power or telecom line (LineString). */
export type UtilityLineProps = PipeAttributes &
  PipeSection & {
    id: string;
    network: UtilityNetwork;
    /** Burial depth from the ground to the top of the pipe or duct, metres (CJJ 61 for pressure pipes and cables). */
    depthM: number;
    /** Water and gas: operating pressure in MPa, when known. */
    pressureMPa?: number;
  };

/** Largest cross-section accepted (a big box culvert); anything larger is a unit error. */
export const MAX_SECTION_M = 8;

/** Width and height of a section, metres. */
export function sectionSize(s: PipeSection): { widthM: number; heightM: number } {
  return s.shape === 'circular' ? { widthM: s.diameterM, heightM: s.diameterM } : { widthM: s.widthM, heightM: s.heightM };
}

/** Manning's n by material when the source gives none (ASCE / SWMM manual typical values). */
export function manningNOf(material: string): number {
  const m = material.toLowerCase();
  if (m.includes('pvc') || m.includes('hdpe') || m === 'pe') return 0.011;
  if (m.includes('iron') || m.includes('steel')) return 0.013;
  if (m.includes('brick') || m.includes('masonry')) return 0.015;
  return 0.013; // concrete, reinforced concrete and anything unknown
}

/**
 * One pipe as the twin package's `layers/pipes.json` holds it: its centreline in 3D (lon, lat,
 * elevation of the axis) and its envelope, for clearances and "what is under this road".
 */
export interface PipeRecord {
  id: string;
  network: PipeNetwork;
  shape: PipeShape;
  widthM: number;
  heightM: number;
  material: string;
  owner: string;
  installYear: number;
  /** [lon, lat, axis elevation in metres] per vertex. */
  axis: Array<[number, number, number]>;
  /** Drainage only. */
  fromNode?: string;
  toNode?: string;
  fromInvert?: number;
  toInvert?: number;
  /** Utility lines only. */
  depthM?: number;
}

/** Planner checks (server/pipes, GET /api/pipes/…): their answers, shared with the client. */
export interface ClearanceIssue {
  a: { id: string; network: PipeNetwork };
  b: { id: string; network: PipeNetwork };
  kind: 'crossing' | 'parallel';
  /** Outer surface to outer surface, metres (negative: the envelopes overlap). */
  clearanceM: number;
  /** The clearance asked for this kind. */
  requiredM: number;
  /** Midpoint of the closest points. */
  lon: number;
  lat: number;
  elevation: number;
}

export interface ClearanceResult {
  total: number;
  issues: ClearanceIssue[];
}

export interface UnderRoadPipe {
  id: string;
  shape: PipeShape;
  widthM: number;
  heightM: number;
  material: string;
  owner: string;
  installYear: number;
  /** Length of the axis inside the corridor, metres. */
  lengthM: number;
  /** Highest and lowest axis elevation inside, metres. */
  topElevation: number;
  bottomElevation: number;
}

export interface UnderRoadGroup {
  network: PipeNetwork;
  lengthM: number;
  pipes: UnderRoadPipe[];
}

