/**
 * Flow between the street surface and a drainage node through its inlet (a manhole cover or a
 * gully grate), both ways, as in the bidirectional 1D–2D coupling of Chen, Djordjević, Leandro &
 * Savić (2007, "The urban inundation model with bidirectional flow interaction between 2D
 * overland surface and 1D sewer networks", NOVATECH) and Leandro, Chen, Djordjević & Savić
 * (2009, J. Hydraulic Engineering 135(6)), the same three regimes InfoWorks ICM and PCSWMM 2D use:
 *
 *   surface → node, node water below the ground (free weir over the inlet's rim):
 *       Q = C_w · P · h · √(2g·h)                    h = surface water depth over the inlet
 *     and, when the water over the inlet is deep, no more than the free orifice
 *       Q = C_o · A · √(2g·h)
 *   surface → node, node water above the ground (submerged: orifice):
 *       Q = C_o · A · √(2g·(η − H))                  η surface level, H node head
 *   node → surface, node head above the ground and the surface level (surcharge, spill):
 *       Q = −C_o · A · √(2g·(H − max(η, z_ground)))
 *
 * P and A: the inlet's perimeter and open area. Defaults: a φ700 mm manhole cover (the common
 * size in Chinese practice, CJ/T 511), C_w = 0.5 and C_o = 0.5. Those are the values often taken
 * as defaults in the coupling literature above; laboratory calibration at a full-scale manhole
 * (Rubinato et al. 2017, J. Hydrology 552) found that the coefficients depend on the flow regime,
 * so they are options, not constants. They were not re-checked against the papers' own tables in
 * this repository (no copy of them is stored here).
 *
 * Explicit exchange over a step can overshoot: a rate that would raise the node above the
 * surface (or the surface above the node) within the step is cut to the volume that levels them,
 * ΔV = Δ(head) / (1/A_surface + 1/A_node), and never more than the giving side holds.
 */
import { G } from './crossSection';

export interface InletGeometry {
  /** Open area of the cover or grate, m². */
  areaM2: number;
  /** Perimeter the water spills over, m. */
  perimeterM: number;
}

export interface ExchangeCoefficients {
  weir: number;
  orifice: number;
}

export const DEFAULT_INLET: InletGeometry = { areaM2: Math.PI * 0.35 * 0.35, perimeterM: Math.PI * 0.7 };
export const DEFAULT_EXCHANGE: ExchangeCoefficients = { weir: 0.5, orifice: 0.5 };
/** Surface water shallower than this does not enter an inlet (the 2D model's wet threshold is 1 cm; 1 mm keeps films draining). */
export const MIN_INLET_DEPTH_M = 0.001;

/** What the exchange of one node with its surface cell needs. */
export interface ExchangeState {
  /** Ground (cell bed) elevation, surface water depth, m. */
  groundM: number;
  surfaceDepthM: number;
  /** Plan area of the surface cell, m². */
  surfaceAreaM2: number;
  /** Node head, m, its storage slope dV/dy at that head (m²) and the volume it holds above the ground (m³). */
  nodeHeadM: number;
  nodeAreaM2: number;
  nodeVolumeAboveGroundM3: number;
}

/**
 * Exchange rate over a step of dt seconds, m³/s: positive from the surface into the node,
 * negative from the node onto the surface; limited as described above.
 */
export function exchangeRateM3s(e: ExchangeState, inlet: InletGeometry, c: ExchangeCoefficients, dtS: number): number {
  const h = e.surfaceDepthM;
  const level = e.groundM + h;
  const head = e.nodeHeadM;
  const levelling = 1 / (1 / e.surfaceAreaM2 + 1 / e.nodeAreaM2);
  if (level > head && h > MIN_INLET_DEPTH_M) {
    let q: number;
    if (head <= e.groundM) {
      const weir = c.weir * inlet.perimeterM * h * Math.sqrt(2 * G * h);
      const orifice = c.orifice * inlet.areaM2 * Math.sqrt(2 * G * h);
      q = weir < orifice ? weir : orifice;
    } else q = c.orifice * inlet.areaM2 * Math.sqrt(2 * G * (level - head));
    // Never more than the cell holds, nor (with the node's water above the ground) more than levels the two.
    let cap = h * e.surfaceAreaM2;
    if (head > e.groundM) cap = Math.min(cap, (level - head) * levelling);
    return Math.min(q, cap / dtS);
  }
  const top = level > e.groundM ? level : e.groundM;
  if (head > top) {
    const q = c.orifice * inlet.areaM2 * Math.sqrt(2 * G * (head - top));
    const cap = Math.min((head - top) * levelling, e.nodeVolumeAboveGroundM3);
    return -Math.min(q, cap / dtS);
  }
  return 0;
}
