/**
 * Emergency routing benchmark (`npm run bench:emergency`): how long the routing core takes to
 * route 100 resources to one incident site on the demo city's road network — every resource's
 * road travel time and its route (server/emergency/core: one binary-heap Dijkstra from the site,
 * roads being two-way, then 100 path reconstructions) — with and without a flood closing roads.
 *
 * Baseline, in the same run on the same graph, sites and resources: one point-to-point Dijkstra
 * per resource (same heap, stopping when the site is settled) — what routing each resource on its
 * own costs. Ratio: baseline p99 ÷ one-search p99. Goal (docs/emergency.md): p99 < 50 ms.
 */
import { Rng } from '../kernel/random';
import { closedEdges, type DepthAt } from '../server/emergency/core/floodClosure';
import { SiteRoutes } from '../server/emergency/core/proposeResponse';
import { buildRoadGraph, nearestNode, type RoadGraph } from '../server/emergency/core/roadGraph';
import { pathLengthM, pathTo, searchFrom } from '../server/emergency/core/shortestPath';
import { distanceM } from '../kernel/geodesy';
import { readRoads } from '../server/emergency/readRoads';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, round, type Distribution } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';

const RESOURCES = 100;
const SITES = 60;
const ROUNDS = 3;
const GOAL_P99_MS = 50;

export interface EmergencyBenchResults {
  benchmark: 'emergency';
  machine: MachineInfo;
  network: { nodes: number; edges: number; buildMs: number; closedEdges: number };
  resources: number;
  oneSearch: { dry: Distribution | undefined; flooded: Distribution | undefined };
  perResource: { dry: Distribution | undefined; flooded: Distribution | undefined };
  ratioP99: number | undefined;
  verdict: Verdict;
}

interface Placed {
  lon: number;
  lat: number;
  place: { node: number; distanceM: number };
}

/** One search from the site, then each resource's ETA and route: what a proposal does. */
function routeAll(g: RoadGraph, site: { lon: number; lat: number }, resources: readonly Placed[], closed?: Uint8Array): number {
  const routes = new SiteRoutes(g, site, closed);
  let reached = 0;
  for (const r of resources) if (routes.reach(r, r.place)) reached++;
  return reached;
}

/** The baseline: a point-to-point search from each resource to the site, then its route. */
function routeEach(g: RoadGraph, site: { lon: number; lat: number }, resources: readonly Placed[], closed?: Uint8Array): number {
  const target = nearestNode(g, site.lon, site.lat).node;
  let reached = 0;
  for (const r of resources) {
    const search = searchFrom(g, r.place.node, { closed, target });
    if (!Number.isFinite(search.timeS[target]!)) continue;
    const nodes = pathTo(g, search, target);
    if (pathLengthM(g, nodes) >= 0) reached++;
  }
  return reached;
}

export async function runEmergencyBench(log: (line: string) => void): Promise<EmergencyBenchResults> {
  const machine = machineInfo();
  const twin = await openDemoTwin(log);
  try {
    const roads = await readRoads(twin.dir, 'layers/roads.geojson');
    const t0 = performance.now();
    const g = buildRoadGraph(roads);
    const buildMs = performance.now() - t0;
    const rng = new Rng(17);
    const at = (n: number) => ({ lon: g.lon[n]! + rng.range(-2e-4, 2e-4), lat: g.lat[n]! + rng.range(-2e-4, 2e-4) });
    const resources: Placed[] = Array.from({ length: RESOURCES }, () => {
      const p = at(rng.int(0, g.nodeCount - 1));
      return { ...p, place: nearestNode(g, p.lon, p.lat) };
    });
    const sites = Array.from({ length: SITES }, () => at(rng.int(0, g.nodeCount - 1)));
    // A flood: 60 cm of water within 400 m of a point in the middle of the district.
    const centre = { lon: g.origin.lon, lat: g.origin.lat };
    const depthAt: DepthAt = (lon, lat) => (distanceM(lon, lat, centre.lon, centre.lat) < 400 ? 0.6 : 0);
    const closed = closedEdges(g, depthAt);
    const closedCount = closed.reduce((n, c) => n + c, 0);
    log(`emergency: demo city network (${twin.origin}): ${g.nodeCount} nodes, ${g.edgeCount} edges, built in ${fmt(buildMs, 1)} ms; ${RESOURCES} resources, ${SITES} sites × ${ROUNDS} rounds; flood closes ${closedCount} edges; load ${machine.loadAvg1m}`);

    const samples = { oneDry: [] as number[], oneWet: [] as number[], eachDry: [] as number[], eachWet: [] as number[] };
    const time = (fn: () => number, into: number[]): number => {
      const s = performance.now();
      const reached = fn();
      into.push(performance.now() - s);
      return reached;
    };
    // Warm-up, then interleaved so both see the same machine.
    for (const site of sites.slice(0, 5)) {
      routeAll(g, site, resources);
      routeEach(g, site, resources);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const site of sites) {
        const a = time(() => routeAll(g, site, resources), samples.oneDry);
        const b = time(() => routeEach(g, site, resources), samples.eachDry);
        if (a !== b) throw new Error(`the two methods reached ${a} and ${b} resources from the same site`);
        time(() => routeAll(g, site, resources, closed), samples.oneWet);
        time(() => routeEach(g, site, resources, closed), samples.eachWet);
      }
    }
    const oneSearch = { dry: distribution(samples.oneDry), flooded: distribution(samples.oneWet) };
    const perResource = { dry: distribution(samples.eachDry), flooded: distribution(samples.eachWet) };
    for (const line of table(
      ['method', 'roads', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [
        ['one search from the site', 'dry', fmt(oneSearch.dry?.p50, 2), fmt(oneSearch.dry?.p95, 2), fmt(oneSearch.dry?.p99, 2), fmt(oneSearch.dry?.max, 2)],
        ['one search from the site', 'flooded', fmt(oneSearch.flooded?.p50, 2), fmt(oneSearch.flooded?.p95, 2), fmt(oneSearch.flooded?.p99, 2), fmt(oneSearch.flooded?.max, 2)],
        ['baseline: a search per resource', 'dry', fmt(perResource.dry?.p50, 2), fmt(perResource.dry?.p95, 2), fmt(perResource.dry?.p99, 2), fmt(perResource.dry?.max, 2)],
        ['baseline: a search per resource', 'flooded', fmt(perResource.flooded?.p50, 2), fmt(perResource.flooded?.p95, 2), fmt(perResource.flooded?.p99, 2), fmt(perResource.flooded?.max, 2)],
      ],
    )) log(`  ${line}`);
    const worst = Math.max(oneSearch.dry?.p99 ?? Infinity, oneSearch.flooded?.p99 ?? Infinity);
    const ratioP99 = perResource.dry && oneSearch.dry ? round(perResource.dry.p99 / oneSearch.dry.p99, 1) : undefined;
    log(`  ratio (baseline p99 ÷ one search p99, dry roads): ${ratioP99 ?? '—'}×`);
    const v = verdict(`routing ${RESOURCES} resources to one site on the demo network, p99 < ${GOAL_P99_MS} ms`, `p99 ${fmt(worst, 2)} ms (worse of dry and flooded)`, Number.isFinite(worst) ? worst < GOAL_P99_MS : undefined, loadAvg1m());
    log(verdictLine('emergency', v));
    const results: EmergencyBenchResults = {
      benchmark: 'emergency',
      machine,
      network: { nodes: g.nodeCount, edges: g.edgeCount, buildMs: round(buildMs, 1), closedEdges: closedCount },
      resources: RESOURCES,
      oneSearch,
      perResource,
      ratioP99,
      verdict: v,
    };
    log(`  wrote ${await writeResults('emergency', results)}`);
    return results;
  } finally {
    await twin.cleanup();
  }
}
