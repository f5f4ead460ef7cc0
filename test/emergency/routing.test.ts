/**
 * The routing core (server/emergency/core): the graph joins crossing roads, the heap Dijkstra
 * agrees with a plain O(V²) Dijkstra on the demo network, and a road under more than 15 cm of
 * water is avoided — the route equals the shortest path on a network built without that road.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSED_DEPTH_M } from '../../domain/emergency';
import { closedEdges, type DepthAt } from '../../server/emergency/core/floodClosure';
import { buildRoadGraph, nearestNode, type RoadGraph, type RoadInput } from '../../server/emergency/core/roadGraph';
import { MinHeap } from '../../kernel/minHeap';
import { pathTo, searchFrom, timeBetween } from '../../server/emergency/core/shortestPath';
import { REPO_ROOT } from '../support/cliServer';

/** A 5 × 5 street grid, 0.002° apart (about 200 m), plus a diagonal avenue crossing it without shared vertices. */
function gridRoads(): RoadInput[] {
  const roads: RoadInput[] = [];
  for (let i = 0; i < 5; i++) {
    roads.push({ id: `EW${i}`, class: 'local', coordinates: [[113.6, 22.8 + i * 0.002], [113.608, 22.8 + i * 0.002]] });
    roads.push({ id: `NS${i}`, class: 'local', coordinates: [[113.6 + i * 0.002, 22.8], [113.6 + i * 0.002, 22.808]] });
  }
  roads.push({ id: 'AV', class: 'arterial', coordinates: [[113.6005, 22.8001], [113.6075, 22.8079]] });
  return roads;
}

/** A textbook Dijkstra without a heap: O(V²), the reference the heap version must match. */
function plainDijkstra(g: RoadGraph, source: number, closed?: Uint8Array): Float64Array {
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  const done = new Uint8Array(g.nodeCount);
  dist[source] = 0;
  for (;;) {
    let n = -1;
    for (let i = 0; i < g.nodeCount; i++) if (!done[i] && dist[i]! < Infinity && (n < 0 || dist[i]! < dist[n]!)) n = i;
    if (n < 0) return dist;
    done[n] = 1;
    for (let h = g.offsets[n]!; h < g.offsets[n + 1]!; h++) {
      if (closed?.[g.halfEdge[h]!]) continue;
      const t = dist[n]! + g.timeS[g.halfEdge[h]!]!;
      if (t < dist[g.to[h]!]!) dist[g.to[h]!] = t;
    }
  }
}

describe('the binary heap', () => {
  it('pops keys in ascending order', () => {
    const heap = new MinHeap();
    const keys = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 503) / 3);
    keys.forEach((k, i) => heap.push(k, i));
    const out: number[] = [];
    while (heap.size > 0) {
      heap.pop();
      out.push(heap.lastKey);
    }
    expect(out).toEqual([...keys].sort((a, b) => a - b));
  });
});

describe('the road graph', () => {
  it('joins roads where they cross without a shared vertex, and roads meeting at their ends', () => {
    const g = buildRoadGraph(gridRoads());
    // The 9 inner grid junctions have degree 4 though no road shares a vertex there.
    const degree = (n: number): number => g.offsets[n + 1]! - g.offsets[n]!;
    for (const [lon, lat] of [[113.602, 22.802], [113.604, 22.806], [113.606, 22.804]] as const) expect(degree(nearestNode(g, lon, lat).node)).toBeGreaterThanOrEqual(4);
    // The avenue is joined where it crosses the grid: corner to corner it beats the grid's streets.
    const gridOnly = buildRoadGraph(gridRoads().filter((r) => r.id !== 'AV'));
    const corner = (h: RoadGraph, lon: number, lat: number): number => nearestNode(h, lon, lat).node;
    const viaAvenue = timeBetween(g, corner(g, 113.602, 22.8), corner(g, 113.608, 22.806));
    const viaGrid = timeBetween(gridOnly, corner(gridOnly, 113.602, 22.8), corner(gridOnly, 113.608, 22.806));
    expect(viaAvenue).toBeLessThan(viaGrid * 0.8);
    // Everything is reachable from one corner.
    const all = searchFrom(g, nearestNode(g, 113.6, 22.8).node);
    expect([...all.timeS].every(Number.isFinite)).toBe(true);
  });

  it('snaps a road end that stops short of another road', () => {
    const g = buildRoadGraph([
      { id: 'A', class: 'local', coordinates: [[113.6, 22.8], [113.602, 22.8]] },
      // Ends 10 m south of A's line: a loosely drawn T-junction.
      { id: 'B', class: 'local', coordinates: [[113.601, 22.79991], [113.601, 22.798]] },
    ]);
    const t = timeBetween(g, nearestNode(g, 113.6, 22.8).node, nearestNode(g, 113.601, 22.798).node);
    expect(Number.isFinite(t)).toBe(true);
  });
});

const DEMO_ROADS = path.join(REPO_ROOT, 'data', 'demo', 'twin', 'layers', 'roads.geojson');

describe('on the demo network (built by the global setup)', () => {
  it('finds the same travel times as a plain Dijkstra', () => {
    const fc = JSON.parse(readFileSync(DEMO_ROADS, 'utf8')) as { features: Array<{ geometry: { coordinates: number[][] }; properties: { id: string; class: string; speedKmh: number } }> };
    const g = buildRoadGraph(fc.features.map((f) => ({ id: f.properties.id, class: f.properties.class, speedKmh: f.properties.speedKmh, coordinates: f.geometry.coordinates })));
    expect(g.nodeCount).toBeGreaterThan(1000);
    for (const source of [0, Math.floor(g.nodeCount / 2), g.nodeCount - 1]) {
      const fast = searchFrom(g, source).timeS;
      const plain = plainDijkstra(g, source);
      for (let n = 0; n < g.nodeCount; n++) expect(fast[n]).toBeCloseTo(plain[n]!, 6);
    }
  });
});

describe('a flooded road', () => {
  // Water 40 cm deep over the middle of the bottom street EW0, between NS1 and NS3.
  const flood: DepthAt = (lon, lat) => (Math.abs(lat - 22.8) < 0.0002 && lon > 113.6025 && lon < 113.6055 ? 0.4 : 0);
  const from = [113.602, 22.8] as const;
  const to = [113.606, 22.8] as const;

  it('is closed above 15 cm and not at all below', () => {
    const g = buildRoadGraph(gridRoads());
    expect(closedEdges(g, flood).reduce((n, c) => n + c, 0)).toBeGreaterThan(0);
    expect(closedEdges(g, () => CLOSED_DEPTH_M).reduce((n, c) => n + c, 0)).toBe(0);
  });

  it('is avoided: the route equals the shortest path on the network without the closed edges', () => {
    const g = buildRoadGraph(gridRoads());
    const closed = closedEdges(g, flood);
    const a = nearestNode(g, from[0], from[1]).node;
    const b = nearestNode(g, to[0], to[1]).node;

    const dry = searchFrom(g, a);
    const wet = searchFrom(g, a, { closed });
    // The direct way along EW0 is flooded: going round takes longer.
    expect(wet.timeS[b]!).toBeGreaterThan(dry.timeS[b]! + 30);
    // The flooded route touches no water deeper than the threshold.
    for (const n of pathTo(g, wet, b)) expect(flood(g.lon[n]!, g.lat[n]!)).toBeLessThanOrEqual(CLOSED_DEPTH_M);

    // The reference: the same network with the closed edges left out, searched by the plain Dijkstra.
    const kept: RoadInput[] = [];
    for (let e = 0; e < g.edgeCount; e++) {
      if (closed[e]) continue;
      const [p, q] = [g.edgeA[e]!, g.edgeB[e]!];
      kept.push({ id: `e${e}`, speedKmh: (g.lengthM[e]! / g.timeS[e]!) * 3.6, coordinates: [[g.lon[p]!, g.lat[p]!], [g.lon[q]!, g.lat[q]!]] });
    }
    const without = buildRoadGraph(kept);
    const ref = plainDijkstra(without, nearestNode(without, from[0], from[1]).node);
    expect(wet.timeS[b]!).toBeCloseTo(ref[nearestNode(without, to[0], to[1]).node]!, 3);
  });
});
