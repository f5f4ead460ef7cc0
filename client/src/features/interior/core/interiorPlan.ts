/**
 * A schematic interior for a building the package has no interior model for: its floors as
 * slabs, each split into rooms around a stairs core, from the floor count and height the index
 * gives. Offsets are metres east/north/up from the building's base centroid.
 */
export interface RoomBox {
  /** `${buildingId}-F${floor}-R${n}`, or `…-core` for the stairs core. */
  id: string;
  floor: number;
  kind: 'room' | 'core';
  /** Centre offset east/north/up (m) and size (m). */
  centre: [number, number, number];
  size: [number, number, number];
  areaM2: number;
}

export interface InteriorPlan {
  buildingId: string;
  floors: number;
  floorHeightM: number;
  rooms: RoomBox[];
}

/** Footprint side used when only the centroid is known: a typical slab block. */
export const DEFAULT_FOOTPRINT_M = 24;
const WALL_GAP_M = 0.4;
const CORE_M = 5;
/** A schematic of more floors than this would not read; very tall towers show their lowest 60. */
export const MAX_PLAN_FLOORS = 60;

export function interiorPlan(buildingId: string, heightM: number, floors: number, footprintM = DEFAULT_FOOTPRINT_M): InteriorPlan {
  if (!(heightM > 0) || !Number.isInteger(floors) || floors < 1) throw new Error(`building ${buildingId}: interior needs a height and at least one floor (got ${heightM} m, ${floors})`);
  const floorHeightM = heightM / floors;
  const shown = Math.min(floors, MAX_PLAN_FLOORS);
  const half = footprintM / 2;
  const roomSide = half - WALL_GAP_M - CORE_M / 2;
  const rooms: RoomBox[] = [];
  for (let f = 0; f < shown; f++) {
    const up = f * floorHeightM + floorHeightM / 2;
    const roomHeight = Math.max(0.5, floorHeightM - 0.6);
    // Four rooms, one per quadrant, leaving a cross-shaped corridor around the core.
    const quadrants: Array<[number, number]> = [[1, 1], [-1, 1], [-1, -1], [1, -1]];
    quadrants.forEach(([sx, sy], n) => {
      const c = CORE_M / 2 + WALL_GAP_M + roomSide / 2;
      rooms.push({
        id: `${buildingId}-F${f + 1}-R${n + 1}`,
        floor: f + 1,
        kind: 'room',
        centre: [sx * c, sy * c, up],
        size: [roomSide, roomSide, roomHeight],
        areaM2: Math.round(roomSide * roomSide * 10) / 10,
      });
    });
    rooms.push({ id: `${buildingId}-F${f + 1}-core`, floor: f + 1, kind: 'core', centre: [0, 0, up], size: [CORE_M, CORE_M, floorHeightM], areaM2: CORE_M * CORE_M });
  }
  return { buildingId, floors: shown, floorHeightM, rooms };
}

/** How far each floor is lifted when the building is "exploded": gap grows with floor number. */
export function explodeOffsetM(floor: number, explode: number, floorHeightM: number): number {
  return (floor - 1) * explode * Math.max(3, floorHeightM) * 1.5;
}
