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

/**
 * SWMM's default minimum nodal surface area, 12.566 ft² (a 4 ft manhole), in m²: the floor of a
 * junction's storage slope where the junction has no area of its own (SWMM's MIN_SURFAREA 0).
 */
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
  /** How junctions store water above the crown (and how the links read surcharged depths). */
  surcharge: SurchargeStorage;
  /** The link halves at dropped ends that can change hands ('extran' only; see DropHalf). */
  dropHalves: DropHalf[];
  /** Per junction, the drop halves it holds or may hold: bit b of its storage mask is `nodeDropHalves[i][b]`. */
  nodeDropHalves: number[][];
  /** Per junction, its fixed halves and shaft, and its storage tables by mask (built when first asked for). */
  nodeHalves: Array<Array<{ link: number; offsetM: number }>>;
  shaftM2: Float64Array;
  storageByMask: Array<Map<number, { table: Float64Array; rimAreaM2: number }>>;
}

/**
 * The half of a link at a dropped end — its invert above its junction's, as a drop into a lower
 * manhole — held by the junction at the other end while that end's water stands higher in the
 * link (SWMM's DN_CRITICAL / UP_CRITICAL flow classes, `dwflow.c` findSurfArea, which give the
 * whole conduit's surface to the upstream node while the end free-falls). Its own junction holds
 * it otherwise, as every other half. The hand-over moves the half's volume between the two
 * junctions (pipeSolver.ts), so continuity stays exact; it happens when the two ends' depths in
 * the link meet, where both junctions count the half alike.
 */
export interface DropHalf {
  link: number;
  /** The junction at the dropped end, and the link's invert above it, m. */
  own: number;
  ownOffsetM: number;
  /** The junction at the other end, and the link's invert above that one, m. */
  other: number;
  otherOffsetM: number;
}

/** At most this many drop halves per junction change hands (the rest stay with their own junction). */
const MAX_DROP_HALVES_PER_NODE = 8;


/**
 * How a junction stores water above its crown (SWMM's SURCHARGE_METHOD):
 * - 'slot': each closed pipe's half contributes its Preissmann slot width (crossSection.ts).
 * - 'extran': as SWMM's EXTRAN method (`dwflow.c` getWidth, `dynwave.c` setNodeDepth): a closed
 *   pipe's half contributes the top width at 96 % of its depth (CrownCutoff) from there up to the
 *   node's crown; above the node's crown the halves' storage fades as exp(−120·f), f the
 *   surcharge over the crown depth, leaving the shaft (MIN_SURFACE_AREA_M2 where it has none, which keeps
 *   volume the state, so continuity stays exact where SWMM's does not). SWMM moves a surcharged
 *   node's head by ΣQ / (Σ dQ/dH + A/Δt·exp(−15·f)) in each of its up to 8 trials, a Newton
 *   iteration towards ΣQ = 0: where the area term is the smaller, the storage it leaves after K
 *   trials goes as (A·exp(−15·f))^K, hence the rate 15·8. (exp(−15·f) itself, as before
 *   2026-12-07 s28, filled EPA's test3 4 minutes late: the surcharged nodes held ~150 m³ that
 *   SWMM's do not.) Links read at most their full depth at a surcharged end (pipeSolver.ts), and
 *   drop halves change hands (DropHalf).
 */
export type SurchargeStorage = 'slot' | 'extran';

/** SWMM's EXTRAN_CROWN_CUTOFF. */
const EXTRAN_CROWN_CUTOFF = 0.96;
/** Rate of the EXTRAN storage's fade above the crown: SWMM's 15 compounded over its 8 trials (SurchargeStorage). */
const EXTRAN_SURCHARGE_FADE = 15 * 8;

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
    surcharge,
    dropHalves: [],
    nodeDropHalves: Array.from({ length: nodeCount }, () => []),
    nodeHalves: Array.from({ length: nodeCount }, () => []),
    shaftM2: Float64Array.from(nodes, (n) => (n.kind === 'junction' ? n.surfaceAreaM2 : 0)),
    storageByMask: Array.from({ length: nodeCount }, () => new Map()),
  };
  buildStorage(compiled);
  return compiled;
}

/** Sorts each junction's link halves into fixed ones and drop halves, and builds the tables of mask 0. */
function buildStorage(c: CompiledNetwork): void {
  const ends: Array<[number, number, number, number]> = [];
  for (let j = 0; j < c.linkCount; j++) {
    ends.push([j, c.from[j]!, c.to[j]!, c.z1[j]! - c.invertM[c.from[j]!]!]);
    ends.push([j, c.to[j]!, c.from[j]!, c.z2[j]! - c.invertM[c.to[j]!]!]);
  }
  for (const [link, own, other, offsetM] of ends) {
    const otherOffsetM = (c.from[link] === own ? c.z2[link]! : c.z1[link]!) - c.invertM[other]!;
    const swaps = c.surcharge === 'extran' && offsetM > 0 && !c.outfall[own] && !c.outfall[other] && own !== other
      && c.nodeDropHalves[own]!.length < MAX_DROP_HALVES_PER_NODE && c.nodeDropHalves[other]!.length < MAX_DROP_HALVES_PER_NODE;
    if (!swaps) {
      c.nodeHalves[own]!.push({ link, offsetM });
      continue;
    }
    const k = c.dropHalves.push({ link, own, ownOffsetM: offsetM, other, otherOffsetM }) - 1;
    c.nodeDropHalves[own]!.push(k);
    c.nodeDropHalves[other]!.push(k);
  }
  for (let i = 0; i < c.nodeCount; i++) {
    if (c.outfall[i]) {
      c.storageM3.push(new Float64Array(STORAGE_STEPS + 1));
      continue;
    }
    c.storageStepM[i] = Math.max(c.maxDepthM[i]!, 0.01) / STORAGE_STEPS;
    const base = storageTable(c, i, 0);
    c.storageM3.push(base.table);
    c.rimAreaM2[i] = base.rimAreaM2;
  }
}

/**
 * Junction i's storage with the drop halves of `mask` (bit b set: `nodeDropHalves[i][b]` is in
 * the other state — given away by its own junction, held by the other): dV/dy = A_shaft +
 * Σ (L/2)·T(y − offset) (at least MIN_SURFACE_AREA_M2 where A_shaft is 0), integrated by the
 * trapezoid rule.
 */
function storageTable(c: CompiledNetwork, i: number, mask: number): { table: Float64Array; rimAreaM2: number } {
  const halves = [...c.nodeHalves[i]!];
  c.nodeDropHalves[i]!.forEach((k, b) => {
    const h = c.dropHalves[k]!;
    const flipped = (mask >> b) & 1;
    if (h.own === i && !flipped) halves.push({ link: h.link, offsetM: h.ownOffsetM });
    if (h.other === i && flipped) halves.push({ link: h.link, offsetM: h.otherOffsetM });
  });
  const step = c.storageStepM[i]!;
  const crown = c.crownDepthM[i]!;
  const shaft = c.shaftM2[i]!;
  const width = (link: number, yl: number): number => {
    const section = c.sections[link]!;
    if (c.surcharge === 'slot' || !isClosed(section)) return surfaceWidthM(section, yl);
    return topWidthM(section, Math.min(yl, EXTRAN_CROWN_CUTOFF * c.fullDepthM[link]!));
  };
  const area = (y: number): number => {
    const yc = c.surcharge === 'extran' && y > crown && crown > 0 ? crown : y;
    let halvesM2 = 0;
    for (const h of halves) {
      const yl = yc - h.offsetM;
      if (yl > 0) halvesM2 += 0.5 * c.lengthM[h.link]! * width(h.link, yl);
    }
    // EXTRAN above the crown: the halves' storage fades (see SurchargeStorage), the shaft stays.
    if (yc < y) halvesM2 *= Math.exp((-EXTRAN_SURCHARGE_FADE * (y - crown)) / crown);
    // The floor is the junction's own area (a .inp's MIN_SURFAREA, the twin's shaft), as SWMM
    // floors with MIN_SURFAREA, not with its default; SWMM's default where the junction has none.
    return shaft > 0 ? shaft + halvesM2 : Math.max(halvesM2, MIN_SURFACE_AREA_M2);
  };
  const table = new Float64Array(STORAGE_STEPS + 1);
  let previous = area(0);
  for (let k = 1; k <= STORAGE_STEPS; k++) {
    const next = area(k * step);
    table[k] = table[k - 1]! + 0.5 * (previous + next) * step;
    previous = next;
  }
  return { table, rimAreaM2: previous };
}

/** Junction i's table and rim area for a non-zero `mask`, built on first use. */
function maskedStorage(c: CompiledNetwork, i: number, mask: number): { table: Float64Array; rimAreaM2: number } {
  const cache = c.storageByMask[i]!;
  let entry = cache.get(mask);
  if (!entry) {
    entry = storageTable(c, i, mask);
    cache.set(mask, entry);
  }
  return entry;
}

/** Junction i's volume table for `mask` (mask 0: storageM3[i]); no allocation on the hot path. */
function tableOf(c: CompiledNetwork, i: number, mask: number): Float64Array {
  return mask === 0 ? c.storageM3[i]! : maskedStorage(c, i, mask).table;
}

/** Junction i's area at its rim for `mask` (mask 0: rimAreaM2[i]). */
function rimAreaOf(c: CompiledNetwork, i: number, mask: number): number {
  return mask === 0 ? c.rimAreaM2[i]! : maskedStorage(c, i, mask).rimAreaM2;
}

/** Junction volume at depth y (linear in the table; above the rim with the rim's area), m³. */
export function volumeAtDepth(c: CompiledNetwork, node: number, yM: number, mask = 0): number {
  if (yM <= 0) return 0;
  const step = c.storageStepM[node]!;
  const table = tableOf(c, node, mask);
  const x = yM / step;
  if (x >= STORAGE_STEPS) return table[STORAGE_STEPS]! + (yM - STORAGE_STEPS * step) * rimAreaOf(c, node, mask);
  const k = Math.floor(x);
  return table[k]! + (x - k) * (table[k + 1]! - table[k]!);
}

/**
 * Junction depth holding volume v: the inverse of volumeAtDepth, m. With `lastRow` (per node, the
 * table row the last call found) the search walks from there, which is one or two rows a step for
 * a depth that moves smoothly, and leaves the row found; the row, and so the depth, is the one
 * the bisection finds (the last with a volume ≤ v; the tables do not decrease).
 */
export function depthAtVolume(c: CompiledNetwork, node: number, vM3: number, mask = 0, lastRow?: Int32Array): number {
  if (vM3 <= 0) return 0;
  const step = c.storageStepM[node]!;
  const table = tableOf(c, node, mask);
  const top = table[STORAGE_STEPS]!;
  if (vM3 >= top) return STORAGE_STEPS * step + (vM3 - top) / rimAreaOf(c, node, mask);
  let lo: number;
  if (lastRow) {
    // table[0] = 0 < v < top: the walk stops inside [0, STORAGE_STEPS − 1].
    lo = lastRow[node]!;
    while (lo > 0 && table[lo]! > vM3) lo--;
    while (table[lo + 1]! <= vM3) lo++;
    lastRow[node] = lo;
  } else {
    lo = 0;
    let hi = STORAGE_STEPS;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (table[mid]! <= vM3) lo = mid;
      else hi = mid;
    }
  }
  return (lo + (vM3 - table[lo]!) / (table[lo + 1]! - table[lo]!)) * step;
}

/** Junction storage slope dV/dy at depth y (the node's surface area), m². */
export function surfaceAreaAtDepth(c: CompiledNetwork, node: number, yM: number, mask = 0): number {
  const step = c.storageStepM[node]!;
  const k = Math.min(Math.max(Math.floor(yM / step), 0), STORAGE_STEPS - 1);
  if (yM >= STORAGE_STEPS * step) return rimAreaOf(c, node, mask);
  const table = tableOf(c, node, mask);
  return (table[k + 1]! - table[k]!) / step;
}
