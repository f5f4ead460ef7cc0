/**
 * Who leaves and where they go: buildings near the incident (only the flooded ones when a flood
 * run is chosen) and their people, each building sent whole to the nearest shelter that still has
 * room for all of it, nearest buildings first. A shelter never takes more than its capacity; a
 * building no shelter can take is left without one and counted as a shortfall.
 */
import type { BuildingUse } from '../../../domain/citySource';
import type { Evacuation } from '../../../domain/emergency';
import { distanceM } from '../../../kernel/geodesy';

export interface EvacuationBuilding {
  id: string;
  lon: number;
  lat: number;
  use: BuildingUse;
  floors: number;
}

export interface ShelterInput {
  id: string;
  name: string;
  lon: number;
  lat: number;
  capacity: number;
}

/** Most buildings one proposal evacuates; a larger area is split into several incidents. */
export const MAX_EVACUATED_BUILDINGS = 500;

/** People per floor by use (a rough night-time occupancy; docs/emergency.md). */
const PEOPLE_PER_FLOOR: Record<BuildingUse, number> = {
  residential: 12,
  mixed: 10,
  commercial: 6,
  office: 4,
  industrial: 3,
  public: 4,
  education: 2,
  healthcare: 20,
};

export function occupants(b: Pick<EvacuationBuilding, 'use' | 'floors'>): number {
  return Math.max(1, Math.max(1, b.floors) * PEOPLE_PER_FLOOR[b.use]);
}

/** Buildings within `radiusM` of the site, nearest first, those `keep` accepts. */
export function buildingsToEvacuate<B extends EvacuationBuilding>(
  buildings: readonly B[],
  site: { lon: number; lat: number },
  radiusM: number,
  keep: (b: B) => boolean = () => true,
): B[] {
  if (radiusM <= 0) return [];
  return buildings
    .map((b) => ({ b, d: distanceM(site.lon, site.lat, b.lon, b.lat) }))
    .filter(({ b, d }) => d <= radiusM && keep(b))
    .sort((p, q) => p.d - q.d)
    .slice(0, MAX_EVACUATED_BUILDINGS)
    .map(({ b }) => b);
}

export interface ShelterAssignment {
  evacuation: Evacuation[];
  /** People per shelter id. */
  assigned: Map<string, number>;
  unassignedPeople: number;
}

/** Assigns each building (in the order given) to the nearest shelter with room for all its people. */
export function assignShelters(buildings: readonly EvacuationBuilding[], shelters: readonly ShelterInput[]): ShelterAssignment {
  const left = new Map(shelters.map((s) => [s.id, s.capacity]));
  const assigned = new Map(shelters.map((s) => [s.id, 0]));
  let unassignedPeople = 0;
  const evacuation = buildings.map((b): Evacuation => {
    const people = occupants(b);
    let best: ShelterInput | undefined;
    let bestD = Infinity;
    for (const s of shelters) {
      if (left.get(s.id)! < people) continue;
      const d = distanceM(b.lon, b.lat, s.lon, s.lat);
      if (d < bestD) [best, bestD] = [s, d];
    }
    if (!best) {
      unassignedPeople += people;
      return { buildingId: b.id, people, lon: b.lon, lat: b.lat };
    }
    left.set(best.id, left.get(best.id)! - people);
    assigned.set(best.id, assigned.get(best.id)! + people);
    return { buildingId: b.id, people, lon: b.lon, lat: b.lat, shelterId: best.id };
  });
  return { evacuation, assigned, unassignedPeople };
}
