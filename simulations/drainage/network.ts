/**
 * The 1D drainage network the pipe model routes water through: nodes (manholes/junctions and
 * outfalls) joined by links (closed pipes and open channels). It is the model's own view, in
 * SWMM 5's terms so a `.inp` file maps onto it one to one (docs/drainage.md): elevations in the
 * model's vertical datum (metres), lengths in metres, flows in m³/s. Pure data, no I/O; the
 * twin's storm layers and `.inp` files are both read into this shape.
 */

/** A link's cross-section. Closed shapes surcharge (pressurised flow); open ones spill at the top. */
export type CrossSection =
  | { shape: 'circular'; diameterM: number }
  | { shape: 'rect-closed'; heightM: number; widthM: number }
  | { shape: 'rect-open'; heightM: number; widthM: number }
  /** Open trapezoidal channel: bottom width and side slopes (horizontal per vertical) left and right. */
  | { shape: 'trapezoidal'; heightM: number; bottomWidthM: number; leftSlope: number; rightSlope: number };

export interface JunctionNode {
  kind: 'junction';
  id: string;
  /** Invert: the node's lowest point. */
  invertElevationM: number;
  /** Invert to rim (ground). Water above the rim surcharges onto the surface (or ponds, per options). */
  maxDepthM: number;
  /** Plan area of the shaft, m² (SWMM's default minimum surface area is 12.566 ft² ≈ 1.167 m²). */
  surfaceAreaM2: number;
  /** Depth at the start, m. */
  initialDepthM: number;
  /** SWMM SurDepth: depth above the rim the shaft holds under pressure before it floods, m (absent = 0). */
  surchargeDepthM?: number;
  /** SWMM Aponded: area water ponds over when it floods (with ponding allowed), m² (absent = 0). */
  pondedAreaM2?: number;
  /** Plan position in the model's projected CRS, metres (for coupling to surface cells and maps). */
  x?: number;
  y?: number;
}

/** SWMM outfall types this model supports: free discharge, a fixed stage, or a tide series. */
export type OutfallBoundary =
  | { type: 'free' }
  | { type: 'normal' }
  | { type: 'fixed'; stageM: number }
  /** Stage over time: seconds from the run's start and water elevation, linear in between. */
  | { type: 'timeseries'; times: number[]; stagesM: number[] };

export interface OutfallNode {
  kind: 'outfall';
  id: string;
  invertElevationM: number;
  boundary: OutfallBoundary;
  /**
   * Follows the sea level series of the run when it has one (the 2D model's tide, or the sea
   * level `routePipes` is given), instead of `boundary`: the twin's `boundary: tidal` outfalls.
   */
  tidal?: boolean;
  x?: number;
  y?: number;
  /** Flap gate: no flow back from the outfall into the network (SWMM's Gated YES; absent = none). */
  flapGate?: boolean;
}

export type DrainageNode = JunctionNode | OutfallNode;

export interface DrainageLink {
  id: string;
  fromNode: string;
  toNode: string;
  lengthM: number;
  manningN: number;
  /** Height of the link's invert above its end node's invert (SWMM's offsets, depth convention). */
  inOffsetM: number;
  outOffsetM: number;
  section: CrossSection;
  /** Flow at the start, m³/s. */
  initialFlowM3s: number;
}

export interface DrainageNetwork {
  nodes: DrainageNode[];
  links: DrainageLink[];
}

/** External inflow to a node over time (SWMM `[INFLOWS]` with a time series): seconds and m³/s. */
export interface NodeInflow {
  nodeId: string;
  times: number[];
  flowsM3s: number[];
}
