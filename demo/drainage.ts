/**
 * The demo's storm and sewer networks: gravity trees laid on the road graph (roadGraph.ts).
 *
 * 1. Tree: every node drains along the shortest route (by length, climbs weighted) to a terminal — storm to an
 *    outfall at the river or the sea, sewer to the lowest manhole of its part of the district
 *    (a pumping station that lifts to the treatment plant). Road runs no route uses stay without
 *    a pipe: the summit between two catchments.
 * 2. Size: the area served (road length upstream × CONTRIBUTING_WIDTH_M) gives the rational-method
 *    design flow Q = C·i·A; the section is the smallest standard pipe (then box culvert) whose
 *    Manning full-bore capacity at the minimum slope carries it, never smaller than upstream.
 * 3. Inverts, from the heads down: a pipe leaves its node at the lower of (cover below the ground)
 *    and (the lowest incoming invert, crowns matched), and falls at least MIN_SLOPE, following the
 *    ground where that is steeper, keeping its cover at the lower end.
 */
import type { DrainageNetwork, OutfallReceiver, PipeSection } from '../domain/pipes';
import type { Vec2 } from './geometry';
import type { Rng } from '../kernel/random';
import type { RoadGraph } from './roadGraph';

/** GB 50014 minimum slope for the smallest sewers; every demo pipe falls at least this much. */
export const MIN_SLOPE = 0.003;
const MANNING_N = 0.013;
const RUNOFF_C = 0.65;
/** Design rainfall intensity, mm/h (a short, frequent storm in the Pearl River delta). */
const DESIGN_INTENSITY_MMH = 100;
/** Width of land each metre of road drains, metres (half a block each side). */
const CONTRIBUTING_WIDTH_M = 70;
/** Sewage: litres per second per metre of road served (about 400 people per 100 m at 250 L/day, peaked). */
const SEWAGE_LS_PER_M = 0.012;

/** Metres of route one metre of climb costs when choosing where a node drains. */
const UPHILL_WEIGHT = 250;

const DIAMETERS_M = [0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0];
const BOXES_M: ReadonlyArray<readonly [number, number]> = [
  [2.0, 1.6],
  [2.5, 1.8],
  [3.0, 2.0],
  [3.5, 2.2],
  [4.0, 2.5],
];
const SECTIONS: PipeSection[] = [
  ...DIAMETERS_M.map((d): PipeSection => ({ shape: 'circular', diameterM: d })),
  ...BOXES_M.map(([w, h]): PipeSection => ({ shape: 'rectangular', widthM: w, heightM: h })),
];

export interface NetworkSpec {
  network: DrainageNetwork;
  /** Id prefix: `${prefix}J0001` manholes, `${prefix}O001` outfalls, `${prefix}P0001` pipes. */
  prefix: string;
  /** Least cover over the pipe's crown, metres. */
  coverM: number;
  /** Offset of this network's nodes from the graph's (world metres): sewers run beside storm drains. */
  offset: Vec2;
  owner: string;
}

export interface DrainNode {
  id: string;
  kind: 'manhole' | 'outfall';
  x: number;
  y: number;
  ground: number;
  invert: number;
  receiving?: OutfallReceiver;
}

export interface DrainPipe {
  id: string;
  from: DrainNode;
  to: DrainNode;
  points: Vec2[];
  length: number;
  section: PipeSection;
  fromInvert: number;
  toInvert: number;
  material: string;
  installYear: number;
}

export interface DrainageNetworkModel {
  spec: NetworkSpec;
  nodes: DrainNode[];
  pipes: DrainPipe[];
}

function sectionHeight(s: PipeSection): number {
  return s.shape === 'circular' ? s.diameterM : s.heightM;
}

/** Manning full-bore capacity, m³/s. */
function capacity(s: PipeSection, slope: number): number {
  const area = s.shape === 'circular' ? (Math.PI * s.diameterM ** 2) / 4 : s.widthM * s.heightM;
  const perimeter = s.shape === 'circular' ? Math.PI * s.diameterM : 2 * (s.widthM + s.heightM);
  return (area * Math.pow(area / perimeter, 2 / 3) * Math.sqrt(slope)) / MANNING_N;
}

function sectionFor(flowM3s: number): number {
  const i = SECTIONS.findIndex((s) => capacity(s, MIN_SLOPE) >= flowM3s);
  return i < 0 ? SECTIONS.length - 1 : i;
}

/** A terminal of the tree: a graph node, and the water's edge its outfall pipe runs to (absent: the node is the outfall). */
export interface Terminal {
  node: number;
  at?: Vec2;
  receiving: OutfallReceiver;
}

/**
 * Lays one gravity network over the graph draining to `terminals`; `ground(x, y)` is the DEM.
 * Nodes no terminal can be reached from get no pipes.
 */
export function layGravityNetwork(
  graph: RoadGraph,
  terminals: readonly Terminal[],
  spec: NetworkSpec,
  ground: (x: number, y: number) => number,
  rng: Rng,
): DrainageNetworkModel {
  const n = graph.nodes.length;
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  graph.edges.forEach((e, i) => {
    adjacency[e.a]!.push(i);
    adjacency[e.b]!.push(i);
  });
  // Dijkstra from every terminal at once; a binary heap would be faster, n is a few thousand.
  const dist = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n).fill(-1);
  const terminalOf = new Map<number, Terminal>();
  for (const t of terminals) {
    dist[t.node] = 0;
    terminalOf.set(t.node, t);
  }
  const done = new Uint8Array(n);
  const open = new Set(terminals.map((t) => t.node));
  while (open.size > 0) {
    let u = -1;
    for (const k of open) if (u < 0 || dist[k]! < dist[u]! || (dist[k] === dist[u] && k < u)) u = k;
    open.delete(u);
    done[u] = 1;
    for (const e of adjacency[u]!) {
      const edge = graph.edges[e]!;
      const v = edge.a === u ? edge.b : edge.a;
      // Flow runs v → u: a metre of ground to climb weighs as UPHILL_WEIGHT metres of pipe, so
      // routes follow the fall of the land and pipes stay shallow.
      const climb = Math.max(0, ground(graph.nodes[u]!.x, graph.nodes[u]!.y) - ground(graph.nodes[v]!.x, graph.nodes[v]!.y));
      const d = dist[u]! + edge.length + UPHILL_WEIGHT * climb;
      if (!done[v] && d < dist[v]!) {
        dist[v] = d;
        via[v] = e;
        open.add(v);
      }
    }
  }
  // Heads first: a node's pipe is laid after every pipe that drains into it.
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => Number.isFinite(dist[i]!))
    .sort((a, b) => dist[b]! - dist[a]! || a - b);

  const [ox, oy] = spec.offset;
  const served = new Float64Array(n);
  const sizeIndex = new Int32Array(n);
  const parentOf = (v: number): number => {
    const e = graph.edges[via[v]!]!;
    return e.a === v ? e.b : e.a;
  };
  for (const v of order) {
    if (via[v]! < 0) continue;
    const e = graph.edges[via[v]!]!;
    served[v] += e.length;
    const flow =
      spec.network === 'storm' ? (RUNOFF_C * DESIGN_INTENSITY_MMH * served[v]! * CONTRIBUTING_WIDTH_M) / 3.6e6 : (SEWAGE_LS_PER_M * served[v]!) / 1000;
    sizeIndex[v] = Math.max(sizeIndex[v]!, sectionFor(flow));
    const p = parentOf(v);
    served[p] += served[v]!;
    sizeIndex[p] = Math.max(sizeIndex[p]!, sizeIndex[v]!);
  }

  const nodes: DrainNode[] = [];
  const pipes: DrainPipe[] = [];
  const nodeOf = new Map<number, DrainNode>();
  const lowestIn = new Map<number, { invert: number; height: number }[]>();
  let manholes = 0;
  let outfalls = 0;
  const makeNode = (v: number): DrainNode => {
    let node = nodeOf.get(v);
    if (node) return node;
    const g = graph.nodes[v]!;
    const t = terminalOf.get(v);
    const [x, y]: Vec2 = [g.x + ox, g.y + oy];
    node =
      t !== undefined && t.at === undefined
        ? { id: `${spec.prefix}O${String(++outfalls).padStart(3, '0')}`, kind: 'outfall', x, y, ground: ground(x, y), invert: NaN, receiving: t.receiving }
        : { id: `${spec.prefix}J${String(++manholes).padStart(4, '0')}`, kind: 'manhole', x, y, ground: ground(x, y), invert: NaN };
    nodeOf.set(v, node);
    nodes.push(node);
    return node;
  };
  const years = new Map<string, number>();
  const yearOf = (roadId: string): number => {
    const year = years.get(roadId) ?? rng.int(1996, 2022);
    years.set(roadId, year);
    return year;
  };
  const addPipe = (from: DrainNode, to: DrainNode, points: Vec2[], section: PipeSection, year: number, atOutfall: boolean): number => {
    const h = sectionHeight(section);
    let up = from.ground - spec.coverM - h;
    for (const i of lowestIn.get(nodeIndex.get(from)!) ?? []) up = Math.min(up, i.invert - Math.max(0, h - i.height));
    up = round3(up);
    from.invert = up;
    points[0] = [from.x, from.y];
    points[points.length - 1] = [to.x, to.y];
    let length = 0;
    for (let k = 1; k < points.length; k++) length += Math.hypot(points[k]![0] - points[k - 1]![0], points[k]![1] - points[k - 1]![1]);
    // An outfall's ground is the bank or the beach: only the slope rules its last pipe.
    const cover = atOutfall ? Infinity : to.ground - spec.coverM - h;
    const down = round3(Math.min(up - MIN_SLOPE * length - 0.001, cover));
    pipes.push({
      id: `${spec.prefix}P${String(pipes.length + 1).padStart(4, '0')}`,
      from,
      to,
      points,
      length,
      section,
      fromInvert: up,
      toInvert: down,
      material: h >= 0.8 ? 'reinforced-concrete' : spec.network === 'storm' ? 'HDPE' : 'PVC-U',
      installYear: year,
    });
    return down;
  };
  const nodeIndex = new Map<DrainNode, number>();
  for (const v of order) {
    const incoming = lowestIn.get(v) ?? [];
    const terminal = terminalOf.get(v);
    if (terminal && incoming.length === 0) continue;
    const from = makeNode(v);
    nodeIndex.set(from, v);
    if (terminal && !terminal.at) {
      // A pumping station at the node itself: its invert is the lowest of what reaches it.
      from.invert = Math.min(...incoming.map((i) => i.invert));
      continue;
    }
    if (terminal?.at) {
      // A manhole at the road's end, and its pipe out to the water's edge.
      const outfall: DrainNode = {
        id: `${spec.prefix}O${String(++outfalls).padStart(3, '0')}`,
        kind: 'outfall',
        x: terminal.at[0],
        y: terminal.at[1],
        ground: ground(terminal.at[0], terminal.at[1]),
        invert: NaN,
        receiving: terminal.receiving,
      };
      nodes.push(outfall);
      const year = Math.max(...pipes.filter((q) => q.to === from).map((q) => q.installYear));
      outfall.invert = addPipe(from, outfall, [[from.x, from.y], [outfall.x, outfall.y]], SECTIONS[sizeIndex[v]!]!, year, true);
      continue;
    }
    const e = graph.edges[via[v]!]!;
    const p = parentOf(v);
    const to = makeNode(p);
    nodeIndex.set(to, p);
    const points = (e.a === v ? e.points : [...e.points].reverse()).map(([x, y]): Vec2 => [x + ox, y + oy]);
    const down = addPipe(from, to, points, SECTIONS[sizeIndex[v]!]!, yearOf(e.road.id), false);
    const list = lowestIn.get(p) ?? [];
    list.push({ invert: down, height: sectionHeight(SECTIONS[sizeIndex[v]!]!) });
    lowestIn.set(p, list);
  }
  return { spec, nodes, pipes };
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Storm outfalls: every graph node the graph marked at the water. */
export function stormTerminals(graph: RoadGraph): Terminal[] {
  const out: Terminal[] = [];
  graph.nodes.forEach((g, node) => {
    if (g.water) out.push({ node, at: [g.water.x, g.water.y], receiving: g.water.receiving });
  });
  return out;
}

/** Sewer terminals: the lowest node of each connected part of the graph (its pumping station). */
export function sewerTerminals(graph: RoadGraph, ground: (x: number, y: number) => number): Terminal[] {
  const parent = Array.from({ length: graph.nodes.length }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const e of graph.edges) parent[find(e.a)] = find(e.b);
  const lowest = new Map<number, number>();
  graph.nodes.forEach((g, i) => {
    const root = find(i);
    const best = lowest.get(root);
    if (best === undefined || ground(g.x, g.y) < ground(graph.nodes[best]!.x, graph.nodes[best]!.y)) lowest.set(root, i);
  });
  // Parts of fewer than 10 edges (a stub) are left without a sewer.
  const size = new Map<number, number>();
  for (const e of graph.edges) size.set(find(e.a), (size.get(find(e.a)) ?? 0) + 1);
  return [...lowest.entries()]
    .filter(([root]) => (size.get(root) ?? 0) >= 10)
    .map(([, node]) => ({ node, receiving: 'treatment' as const }))
    .sort((a, b) => a.node - b.node);
}
