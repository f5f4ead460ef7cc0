/**
 * A checked drainage network compiled once into typed arrays the pipe solver steps over: node and
 * link indices, end inverts, Manning's β = √S/n, full-flow figures, and each junction's storage
 * curve V(y).
 *
 * Storage: a junction holds its shaft plus the near half of every link that meets it, the
 * storage whose slope dV/dy = A_shaft + Σ (L/2)·T_link(y − offset) is the "node surface area"
 * of SWMM's EXTRAN scheme (Roesner, Aldrich & Dickinson 1988, SWMM 4 EXTRAN manual; SWMM 5
 * `dwflow.c` findSurfArea). Here it is integrated once into a table, and the solver keeps each
 * node's volume as its state and reads the depth off the table, so continuity is exact in
 * volume (the mass balance closes to rounding) while the depth responds as EXTRAN's would.
 * Above a closed pipe's crown the top width is the Preissmann slot's, or with SWMM's EXTRAN
 * convention (`SurchargeStorage`, routePipes' default) the storage fades above the node's crown;
 * above the rim (coupled runs only) the storage continues with the area it has at the rim.
 */
import { fullAreaM2, fullDepthM, fullFlowM3s, G, isClosed, surfaceWidthM, topWidthM } from './crossSection';
import { checkDrainageNetwork } from './networkCheck';
import type { CrossSection, DrainageNetwork, OutfallBoundary } from './network';

/** SWMM's minimum nodal surface area, 12.566 ft² (a 4 ft manhole), in m². */
export const MIN_SURFACE_AREA_M2 = 1.1674;
/** Intervals of each junction's storage table. */
const STORAGE_STEPS = 200;

export interface CompiledNetwork {
  nodeIds: string[];
  linkIds: string[];
  nodeIndex: Map<string, number>;
  nodeCount: number;
  linkCount: number;
  /** 1 for outfalls. */
  outfall: Uint8Array;
  invertM: Float64Array;
  /** Invert to rim for junctions (SWMM's 0 becomes the highest connected crown); 0 for outfalls. */
  maxDepthM: Float64Array;
  /** Depth of the highest crown of the node's links above its invert (surcharge above it), m. */
  crownDepthM: Float64Array;
  initialDepthM: Float64Array;
  /** Per node, the outfall's boundary (undefined for junctions) and whether it follows the run's sea level. */
  boundary: Array<OutfallBoundary | undefined>;
  tidal: Uint8Array;
  /** 1 for outfalls with a flap gate: nothing flows back in from them. */
  flapGate: Uint8Array;
  /** Per outfall node, its first link (the one that sets its free-outfall depth), −1 if none. */
  outfallLink: Int32Array;

  from: Int32Array;
  to: Int32Array;
  /** Invert elevation of each link end, m. */
  z1: Float64Array;
  z2: Float64Array;
  /** Length of each link, m (its storage and its reports). */
  lengthM: Float64Array;
  /**
   * Length in the momentum equation and the step limits, m: `lengthM` unless the conduit was
   * lengthened for the Courant condition (SWMM's LENGTHENING_STEP, see compileNetwork).
   */
  modLengthM: Float64Array;
  /** Manning's n, divided by √(lengthening factor) where lengthened (the full-flow capacity holds). */
  manningN: Float64Array;
  /** Bed slope (z1 − z2)/L, over the momentum length. */
  slope: Float64Array;
  /** √|S|/n for normal flow (SWMM's β), S at least 1e-5. */
  beta: Float64Array;
  fullDepthM: Float64Array;
  fullFlowM3s: Float64Array;
  initialFlowM3s: Float64Array;
  sections: CrossSection[];

  /** Storage tables: node i's volumes at depths k·storageStepM[i], k = 0..STORAGE_STEPS. */
  storageStepM: Float64Array;
  storageM3: Float64Array[];
  /** Storage slope dV/dy at the rim and above it, m². */
  rimAreaM2: Float64Array;
}


/**
 * How a junction stores water above its crown (SWMM's SURCHARGE_METHOD):
 * - 'slot': each closed pipe's half contributes its Preissmann slot width (crossSection.ts).
 * - 'extran': as SWMM's EXTRAN method (`dwflow.c` getWidth, `dynwave.c` setNodeDepth): a closed
 *   pipe's half contributes the top width at 96 % of its depth (CrownCutoff) from there up to the
 *   node's crown, and above the node's crown the node's storage fades as exp(−15·f), f the
 *   surcharge over the crown depth — the weight SWMM gives the node's area in its surcharged
 *   head update — down to MIN_SURFACE_AREA_M2 (which keeps volume the state, so continuity
 *   stays exact where SWMM's does not).
 */
export type SurchargeStorage = 'slot' | 'extran';

/** SWMM's EXTRAN_CROWN_CUTOFF. */
const EXTRAN_CROWN_CUTOFF = 0.96;

/**
 * SWMM's conduit lengthening (`link.c` conduit_getLengthFactor): a conduit shorter than a gravity
 * wave and the full-flow velocity travel in `stepS` seconds, (√(g·y_full) + V_full)·Δt (y_full the
 * hydraulic depth for open shapes), is given that length in the momentum equation, its slope
 * divided and its Manning's n divided by the root of the same factor, so its full-flow capacity
 * and normal depths are unchanged while the Courant condition no longer needs sub-steps shorter
 * than `stepS`. Returns the factor (≥ 1).
 */
export function lengtheningFactor(section: CrossSection, lengthM: number, manningN: number, slope: number, stepS: number): number {
  if (!(stepS > 0)) return 1;
  const yFull = fullDepthM(section);
  const area = fullAreaM2(section);
  const depth = isClosed(section) ? yFull : area / topWidthM(section, yFull);
  const vFull = fullFlowM3s(section, manningN, slope) / area;
  const ratio = ((Math.sqrt(G * depth) + vFull) * stepS) / lengthM;
  return ratio > 1 ? ratio : 1;
}

/**
 * Checks and compiles a network. `lengtheningStepS` > 0 lengthens short conduits for the Courant
 * condition at that step (SWMM's LENGTHENING_STEP, `lengtheningFactor`); their storage keeps the
 * true length (SWMM gives the nodes the lengthened one), so the volumes stay the real pipes'.
 */
export function compileNetwork(network: DrainageNetwork, surcharge: SurchargeStorage = 'slot', lengtheningStepS = 0): CompiledNetwork {
  checkDrainageNetwork(network);
  const { nodes, links } = network;
  const nodeCount = nodes.length;
  const linkCount = links.length;
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const invertM = Float64Array.from(nodes, (n) => n.invertElevationM);
  const outfall = Uint8Array.from(nodes, (n) => (n.kind === 'outfall' ? 1 : 0));
  const from = Int32Array.from(links, (l) => nodeIndex.get(l.fromNode)!);
  const to = Int32Array.from(links, (l) => nodeIndex.get(l.toNode)!);
  const z1 = Float64Array.from(links, (l, j) => invertM[from[j]!]! + l.inOffsetM);
  const z2 = Float64Array.from(links, (l, j) => invertM[to[j]!]! + l.outOffsetM);
  const lengthM = Float64Array.from(links, (l) => l.lengthM);
  const bedSlope = Float64Array.from(links, (_, j) => (z1[j]! - z2[j]!) / lengthM[j]!);
  const sections = links.map((l) => l.section);
  const factor = Float64Array.from(links, (l, j) => lengtheningFactor(l.section, l.lengthM, l.manningN, bedSlope[j]!, lengtheningStepS));
  const slope = Float64Array.from(bedSlope, (s, j) => s / factor[j]!);
  const manningN = Float64Array.from(links, (l, j) => l.manningN / Math.sqrt(factor[j]!));
  const full = Float64Array.from(sections, fullDepthM);

  const crownDepthM = new Float64Array(nodeCount);
  const outfallLink = new Int32Array(nodeCount).fill(-1);
  for (let j = 0; j < linkCount; j++) {
    const ends: Array<[number, number]> = [
      [from[j]!, z1[j]!],
      [to[j]!, z2[j]!],
    ];
    for (const [node, zEnd] of ends) {
      crownDepthM[node] = Math.max(crownDepthM[node]!, zEnd + full[j]! - invertM[node]!);
      if (outfall[node] && outfallLink[node]! < 0) outfallLink[node] = j;
    }
  }
  const maxDepthM = Float64Array.from(nodes, (n, i) => (n.kind === 'junction' ? (n.maxDepthM > 0 ? n.maxDepthM : crownDepthM[i]!) : 0));

  const compiled: CompiledNetwork = {
    nodeIds: nodes.map((n) => n.id),
    linkIds: links.map((l) => l.id),
    nodeIndex,
    nodeCount,
    linkCount,
    outfall,
    invertM,
    maxDepthM,
    crownDepthM,
    initialDepthM: Float64Array.from(nodes, (n) => (n.kind === 'junction' ? n.initialDepthM : 0)),
    boundary: nodes.map((n) => (n.kind === 'outfall' ? n.boundary : undefined)),
    tidal: Uint8Array.from(nodes, (n) => (n.kind === 'outfall' && n.tidal ? 1 : 0)),
    flapGate: Uint8Array.from(nodes, (n) => (n.kind === 'outfall' && n.flapGate ? 1 : 0)),
    outfallLink,
    from,
    to,
    z1,
    z2,
    lengthM,
    modLengthM: Float64Array.from(lengthM, (l, j) => l * factor[j]!),
    manningN,
    slope,
    beta: Float64Array.from(links, (_, j) => Math.sqrt(Math.max(Math.abs(slope[j]!), 1e-5)) / manningN[j]!),
    fullDepthM: full,
    fullFlowM3s: Float64Array.from(links, (l, j) => fullFlowM3s(l.section, l.manningN, bedSlope[j]!)),
    initialFlowM3s: Float64Array.from(links, (l) => l.initialFlowM3s),
    sections,
    storageStepM: new Float64Array(nodeCount),
    storageM3: [],
    rimAreaM2: new Float64Array(nodeCount),
  };
  buildStorage(compiled, nodes.map((n) => (n.kind === 'junction' ? n.surfaceAreaM2 : 0)), surcharge);
  return compiled;
}

/** Integrates dV/dy = max(A_shaft + Σ (L/2)·T(y − offset), MIN_SURFACE_AREA_M2) per junction (trapezoid rule). */
function buildStorage(c: CompiledNetwork, shaftM2: number[], surcharge: SurchargeStorage): void {
  const halves: Array<Array<{ link: number; offsetM: number }>> = Array.from({ length: c.nodeCount }, () => []);
  for (let j = 0; j < c.linkCount; j++) {
    halves[c.from[j]!]!.push({ link: j, offsetM: c.z1[j]! - c.invertM[c.from[j]!]! });
    halves[c.to[j]!]!.push({ link: j, offsetM: c.z2[j]! - c.invertM[c.to[j]!]! });
  }
  for (let i = 0; i < c.nodeCount; i++) {
    const table = new Float64Array(STORAGE_STEPS + 1);
    c.storageM3.push(table);
    if (c.outfall[i]) continue;
    const step = Math.max(c.maxDepthM[i]!, 0.01) / STORAGE_STEPS;
    c.storageStepM[i] = step;
    const crown = c.crownDepthM[i]!;
    const width = (link: number, yl: number): number => {
      const section = c.sections[link]!;
      if (surcharge === 'slot' || !isClosed(section)) return surfaceWidthM(section, yl);
      return topWidthM(section, Math.min(yl, EXTRAN_CROWN_CUTOFF * c.fullDepthM[link]!));
    };
    const area = (y: number): number => {
      const yc = surcharge === 'extran' && y > crown && crown > 0 ? crown : y;
      let a = shaftM2[i]!;
      for (const h of halves[i]!) {
        const yl = yc - h.offsetM;
        if (yl > 0) a += 0.5 * c.lengthM[h.link]! * width(h.link, yl);
      }
      if (yc < y) a *= Math.exp((-15 * (y - crown)) / crown);
      return a > MIN_SURFACE_AREA_M2 ? a : MIN_SURFACE_AREA_M2;
    };
    let previous = area(0);
    for (let k = 1; k <= STORAGE_STEPS; k++) {
      const next = area(k * step);
      table[k] = table[k - 1]! + 0.5 * (previous + next) * step;
      previous = next;
    }
    c.rimAreaM2[i] = previous;
  }
}

/** Junction volume at depth y (linear in the table; above the rim with the rim's area), m³. */
export function volumeAtDepth(c: CompiledNetwork, node: number, yM: number): number {
  if (yM <= 0) return 0;
  const step = c.storageStepM[node]!;
  const table = c.storageM3[node]!;
  const x = yM / step;
  if (x >= STORAGE_STEPS) return table[STORAGE_STEPS]! + (yM - STORAGE_STEPS * step) * c.rimAreaM2[node]!;
  const k = Math.floor(x);
  return table[k]! + (x - k) * (table[k + 1]! - table[k]!);
}

/** Junction depth holding volume v: the inverse of volumeAtDepth, m. */
export function depthAtVolume(c: CompiledNetwork, node: number, vM3: number): number {
  if (vM3 <= 0) return 0;
  const step = c.storageStepM[node]!;
  const table = c.storageM3[node]!;
  const top = table[STORAGE_STEPS]!;
  if (vM3 >= top) return STORAGE_STEPS * step + (vM3 - top) / c.rimAreaM2[node]!;
  let lo = 0;
  let hi = STORAGE_STEPS;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table[mid]! <= vM3) lo = mid;
    else hi = mid;
  }
  return (lo + (vM3 - table[lo]!) / (table[lo + 1]! - table[lo]!)) * step;
}

/** Junction storage slope dV/dy at depth y (the node's surface area), m². */
export function surfaceAreaAtDepth(c: CompiledNetwork, node: number, yM: number): number {
  const step = c.storageStepM[node]!;
  const k = Math.min(Math.max(Math.floor(yM / step), 0), STORAGE_STEPS - 1);
  if (yM >= STORAGE_STEPS * step) return c.rimAreaM2[node]!;
  const table = c.storageM3[node]!;
  return (table[k + 1]! - table[k]!) / step;
}
