/**
 * What a pipe-network run reports, alone (`routePipes`) or coupled to the 2D surface
 * (`runFlood` with a drainage network): time series at report steps, per-link and per-node
 * summaries, outfall volumes and the network's mass balance. Plain JSON-safe data (arrays of
 * numbers, no typed arrays), so it is stored with a scenario run and drawn by the client
 * (pipes coloured by load, spilling manholes, the "overloaded drains" list).
 */

export interface LinkSummary {
  id: string;
  fromNode: string;
  toNode: string;
  /** Largest |flow| over the run and when, m³/s and s; signed as it ran (negative: against the link's direction). */
  peakFlowM3s: number;
  peakFlowTimeS: number;
  /** Manning full-flow capacity at the link's bed slope, m³/s. */
  fullFlowM3s: number;
  /** |peak flow| / full-flow capacity: above 1 the pipe carries more than it can by gravity (surcharged, pressurised). */
  peakLoadRatio: number;
  /** Largest velocity, m/s. */
  peakVelocityMs: number;
  /** Time both ends were at or above the crown (a closed pipe flowing full: surcharged), s. */
  surchargeDurationS: number;
}

export interface NodeSummary {
  id: string;
  kind: 'junction' | 'outfall';
  /** Largest depth above the invert and when, m and s. */
  peakDepthM: number;
  peakDepthTimeS: number;
  /** Largest head (invert + depth), m. */
  peakHeadM: number;
  /** Invert to rim, m (0 for outfalls). */
  maxDepthM: number;
  /** Water that left the node over its rim (spilled to the surface, or lost when run alone), m³. */
  floodVolumeM3: number;
  /** Largest rate of it, m³/s. */
  peakFloodRateM3s: number;
  /** Time it spilled, s. */
  floodDurationS: number;
  /** Time the water stood above the highest crown of the node's pipes, s. */
  surchargeDurationS: number;
  /** Coupled runs: surface water taken in through the inlet, m³. */
  inletVolumeM3?: number;
}

export interface OutfallSummary {
  id: string;
  /** Net volume out (a tide pushing in counts negative), m³. */
  volumeM3: number;
  peakFlowM3s: number;
  peakFlowTimeS: number;
}

/** Volumes over the run, m³; `relativeError` = (final − expected) / (initial + inflow + inlet). */
export interface PipeMassBalance {
  initialStorageM3: number;
  /** External inflows (hydrographs), m³. */
  inflowM3: number;
  /** Coupled runs: surface water into the nodes through inlets, m³ (0 alone). */
  inletM3: number;
  outfallM3: number;
  /** Spilled over rims: lost (alone) or back to the surface (coupled), m³. */
  floodingM3: number;
  finalStorageM3: number;
  relativeError: number;
}

/** Values at report times: `nodeDepthM[r][i]` is node i's depth at `timesS[r]`. */
export interface PipeSeries {
  timesS: number[];
  nodeIds: string[];
  linkIds: string[];
  outfallIds: string[];
  nodeDepthM: number[][];
  linkFlowM3s: number[][];
  outfallFlowM3s: number[][];
}

export interface PipeRun {
  series: PipeSeries;
  links: LinkSummary[];
  nodes: NodeSummary[];
  outfalls: OutfallSummary[];
  massBalance: PipeMassBalance;
  /** Pipe sub-steps taken and the shortest, s. */
  steps: number;
  minStepS: number;
  simulatedSeconds: number;
  /** Wall-clock seconds of the pipe run (coupled: of the exchange and pipe phase only). */
  wallSeconds: number;
  /**
   * A coupled run on several threads: the link updates each thread made (simulations/drainage/
   * linkTeam.ts), stripe 0 first.
   */
  linkUpdatesPerThread?: number[];
}
