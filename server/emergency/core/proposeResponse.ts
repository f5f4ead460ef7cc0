/**
 * The proposed response to an incident under a plan (pure): the nearest suitable crews by road
 * travel time with their routes and ETAs, the supplies to bring from the nearest depots that stock
 * them, the cameras to open, the departments to notify and the buildings to evacuate with their
 * shelters. One Dijkstra search from the site ranks every resource (roads run both ways).
 */
import {
  CLOSED_DEPTH_M,
  type EmergencyPlan,
  type Incident,
  type Proposal,
  type ProposedSupply,
  type ProposedUnit,
  type ResourceRecord,
} from '../../../domain/emergency';
import { distanceM } from '../../../kernel/geodesy';
import { assignShelters, buildingsToEvacuate, type EvacuationBuilding } from './evacuation';
import type { DepthAt } from './floodClosure';
import { nearestNode, type RoadGraph } from './roadGraph';
import { pathLengthM, pathTo, searchFrom, type SearchResult } from './shortestPath';

/** Speed off the network, from a resource's gate or to the site's door to the nearest road node. */
export const ACCESS_SPEED_KMH = 10;

export interface PlaceOnGraph {
  node: number;
  /** Straight distance to the node, metres. */
  distanceM: number;
}

export interface ProposeInput {
  graph: RoadGraph;
  resources: readonly ResourceRecord[];
  /** Each resource's nearest node, computed once when the twin loads. */
  placeOf: ReadonlyMap<string, PlaceOnGraph>;
  plan: EmergencyPlan;
  incident: Incident;
  /** Edges closed by the chosen flood run. */
  closed?: Uint8Array;
  /** Its depths: only flooded buildings are evacuated. */
  depthAt?: DepthAt;
  buildings: readonly EvacuationBuilding[];
  cameras: ReadonlyArray<{ id: string; lon: number; lat: number }>;
  /** Units already out on another response. */
  busy?: ReadonlySet<string>;
}

export interface Reach {
  etaS: number;
  distanceM: number;
  route: Array<[number, number]>;
}

/** A search from the site, and the road way from any resource to it. */
export class SiteRoutes {
  readonly site: PlaceOnGraph;
  readonly search: SearchResult;

  constructor(
    private readonly graph: RoadGraph,
    private readonly incident: { lon: number; lat: number },
    closed?: Uint8Array,
  ) {
    this.site = nearestNode(graph, incident.lon, incident.lat);
    this.search = searchFrom(graph, this.site.node, { closed });
  }

  /** Seconds from a resource to the site; Infinity when the roads there are cut off. */
  etaS(place: PlaceOnGraph): number {
    return this.search.timeS[place.node]! + ((place.distanceM + this.site.distanceM) * 3.6) / ACCESS_SPEED_KMH;
  }

  reach(resource: { lon: number; lat: number }, place: PlaceOnGraph): Reach | undefined {
    const etaS = this.etaS(place);
    if (!Number.isFinite(etaS)) return undefined;
    const g = this.graph;
    // The search ran from the site: its path to the resource, reversed, is the way there.
    const nodes = pathTo(g, this.search, place.node).reverse();
    const route: Array<[number, number]> = [[resource.lon, resource.lat], ...nodes.map((n): [number, number] => [round7(g.lon[n]!), round7(g.lat[n]!)]), [this.incident.lon, this.incident.lat]];
    return { etaS: Math.round(etaS), distanceM: Math.round(pathLengthM(g, nodes) + place.distanceM + this.site.distanceM), route };
  }
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

export function proposeResponse(x: ProposeInput): Proposal {
  const { plan, incident, resources, placeOf } = x;
  const routes = new SiteRoutes(x.graph, incident, x.closed);
  const shortfalls: string[] = [];
  const ranked = resources
    .map((r) => ({ r, place: placeOf.get(r.id) }))
    .filter((c): c is { r: ResourceRecord; place: PlaceOnGraph } => c.place !== undefined)
    .map((c) => ({ ...c, etaS: routes.etaS(c.place) }))
    .sort((a, b) => a.etaS - b.etaS);

  const chosen = new Set<string>();
  const units: ProposedUnit[] = [];
  for (const want of plan.resources) {
    let found = 0;
    for (const c of ranked) {
      if (found === want.count) break;
      if (c.r.kind !== want.kind || chosen.has(c.r.id) || x.busy?.has(c.r.id)) continue;
      if (want.skill !== undefined && !c.r.skills?.includes(want.skill)) continue;
      const reach = routes.reach(c.r, c.place);
      if (!reach) continue;
      chosen.add(c.r.id);
      units.push({ resourceId: c.r.id, kind: c.r.kind, name: c.r.name, ...reach });
      found += 1;
    }
    if (found < want.count) shortfalls.push(`${want.kind}${want.skill ? ` (${want.skill})` : ''}: ${found} of ${want.count} available and reachable`);
  }

  const supplies: ProposedSupply[] = [];
  for (const need of plan.supplies) {
    let left = need.quantity;
    for (const c of ranked) {
      if (left === 0) break;
      const stock = c.r.kind === 'supply-depot' ? (c.r.stock?.[need.item] ?? 0) : 0;
      if (stock <= 0 || !Number.isFinite(c.etaS)) continue;
      const quantity = Math.min(stock, left);
      left -= quantity;
      supplies.push({ item: need.item, quantity, depotId: c.r.id, depotName: c.r.name, etaS: Math.round(c.etaS) });
    }
    if (left > 0) shortfalls.push(`${need.item}: ${need.quantity - left} of ${need.quantity} in reachable depots`);
  }

  const depthAt = x.depthAt;
  const leaving = buildingsToEvacuate(x.buildings, incident, plan.evacuationRadiusM, depthAt ? (b) => depthAt(b.lon, b.lat) > CLOSED_DEPTH_M : undefined);
  const shelters = resources.filter((r) => r.kind === 'shelter' && (r.capacity ?? 0) > 0).map((r) => ({ id: r.id, name: r.name, lon: r.lon, lat: r.lat, capacity: r.capacity! }));
  const { evacuation, assigned, unassignedPeople } = assignShelters(leaving, shelters);
  if (unassignedPeople > 0) shortfalls.push(`shelter places: ${unassignedPeople} people have no shelter with room`);

  const cameras = x.cameras
    .map((c) => ({ id: c.id, d: distanceM(incident.lon, incident.lat, c.lon, c.lat) }))
    .filter((c) => c.d <= plan.cameras.radiusM)
    .sort((a, b) => a.d - b.d)
    .slice(0, plan.cameras.count)
    .map((c) => c.id);

  return {
    incident,
    planId: plan.id,
    planName: plan.name,
    units,
    supplies,
    evacuation,
    shelters: shelters.filter((s) => assigned.get(s.id)! > 0).map((s) => ({ id: s.id, name: s.name, capacity: s.capacity, assigned: assigned.get(s.id)! })),
    cameras,
    departments: plan.departments,
    closedEdges: x.closed ? x.closed.reduce((n, c) => n + c, 0) : 0,
    shortfalls,
  };
}
