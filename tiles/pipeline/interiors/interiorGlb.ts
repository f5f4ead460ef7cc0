/**
 * L5: one building's interior as a glb, generated from its footprint and floor count where no
 * indoor data exists: on every floor the plan's rooms, corridor and core (floorPlan.ts) as floor
 * polygons coloured by use, their walls (double-sided, a storey high less the slab), and a
 * straight stair flight in the core. One feature per room and floor (EXT_mesh_features) with
 * building id, floor index, room id, use, area and floor elevation (EXT_structural_metadata).
 *
 * One node and mesh per storey, `floor-1` (ground) … `floor-N`; the metadata's `floor` is the
 * storey index from 0, so node floor-(k+1) holds the rows with floor k.
 *
 * Frame: glTF y-up around the building's origin — east, up, −north metres from its footprint
 * centroid on its ground height (BuildingRecord lon, lat, groundHeight), so a client places it
 * with the east-north-up frame at that point. The scene's extras repeat the origin.
 */
import earcut from 'earcut';
import type { BuildingUse } from '../../../domain/citySource';
import { MaterialMesh } from '../architecture/materialMesh';
import { GlbWriter, type GltfMaterial } from '../gltf/glbWriter';
import { materialPrimitives } from '../gltf/materialPrimitives';
import { EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA, addPropertyTable, type MetadataSchema } from '../gltf/structuralMetadata';
import { planFloor, ringArea, type FloorPlan, type PlanCell } from './floorPlan';

export const ROOM_USES = ['apartment', 'office', 'retail', 'workshop', 'hall', 'classroom', 'ward', 'corridor', 'core'] as const;
export type RoomUse = (typeof ROOM_USES)[number];
export const ROOM_CLASS = 'room';

export const INTERIOR_SCHEMA: MetadataSchema = {
  id: 'citytwin_interiors',
  version: '1',
  enums: { roomUse: { valueType: 'UINT8', values: ROOM_USES.map((name, value) => ({ name, value })) } },
  classes: {
    [ROOM_CLASS]: {
      name: 'Room',
      description: 'L5 generated interior: one room, corridor or core on one floor.',
      properties: {
        buildingId: { type: 'STRING', required: true },
        floor: { type: 'SCALAR', componentType: 'UINT16', required: true, description: '0 is the ground floor.' },
        roomId: { type: 'STRING', required: true, description: 'Unique in the building: F<floor>-<kind><n>.' },
        use: { type: 'ENUM', enumType: 'roomUse', required: true },
        areaM2: { type: 'SCALAR', componentType: 'FLOAT32', required: true, description: 'Floor area, m².' },
        elevationM: { type: 'SCALAR', componentType: 'FLOAT32', required: true, description: 'Floor level above the building’s base, m.' },
      },
    },
  },
};

export interface InteriorInput {
  id: string;
  use: BuildingUse;
  height: number;
  floors: number;
  /** Footprint polygons in metres east/north of the origin: outer ring then holes, no repeats. */
  polygons: Array<Array<Array<[number, number]>>>;
  origin: { lon: number; lat: number; height: number };
}

/** Concrete slab between storeys (walls stop below it), metres. */
const SLAB_M = 0.25;
/** Floor polygons sit this far above the floor level so they do not fight with the wall bases. */
const FLOOR_LIFT_M = 0.02;
/** Steps per storey in the stair flight. */
const STEPS = 10;

/** Floor colours by room use, in ROOM_USES order: warm for living, cool for work, grey for circulation. */
const ROOM_COLOURS: Record<RoomUse, [number, number, number, number]> = {
  apartment: [0.86, 0.74, 0.58, 1],
  office: [0.62, 0.72, 0.84, 1],
  retail: [0.92, 0.68, 0.5, 1],
  workshop: [0.7, 0.7, 0.62, 1],
  hall: [0.84, 0.8, 0.66, 1],
  classroom: [0.7, 0.84, 0.66, 1],
  ward: [0.7, 0.86, 0.86, 1],
  corridor: [0.78, 0.78, 0.76, 1],
  core: [0.5, 0.5, 0.52, 1],
};
const WALL = ROOM_USES.length;
const MATERIALS: GltfMaterial[] = [
  ...ROOM_USES.map((use): GltfMaterial => ({
    name: `room-${use}`,
    pbrMetallicRoughness: { baseColorFactor: ROOM_COLOURS[use], metallicFactor: 0, roughnessFactor: 0.9 },
  })),
  { name: 'wall', pbrMetallicRoughness: { baseColorFactor: [0.93, 0.92, 0.9, 1], metallicFactor: 0, roughnessFactor: 0.9 }, doubleSided: true },
];

/** Room use of the typical room on a floor of a building. */
export function roomUse(use: BuildingUse, floor: number): RoomUse {
  switch (use) {
    case 'residential':
      return 'apartment';
    case 'office':
      return 'office';
    case 'commercial':
      return floor === 0 ? 'retail' : 'office';
    case 'mixed':
      return floor === 0 ? 'retail' : 'apartment';
    case 'industrial':
      return 'workshop';
    case 'public':
      return floor === 0 ? 'hall' : 'office';
    case 'education':
      return 'classroom';
    case 'healthcare':
      return floor === 0 ? 'hall' : 'ward';
  }
}

/** Most storeys an interior is generated for; taller buildings get their lowest MAX_FLOORS. */
export const MAX_FLOORS = 120;

/** The plan of each footprint polygon, the same on every floor. */
function floorPlans(b: InteriorInput): FloorPlan[] {
  return b.polygons.filter((p) => p.length > 0 && p[0]!.length >= 3).map((p) => planFloor(p[0]!, p.slice(1)));
}

/**
 * True when the footprint has room for at least one room, corridor or core, i.e. when
 * buildingInteriorGlb makes a glb of it: what a building record's `interior` says, without
 * making the glb (a plan per polygon instead of every floor's mesh).
 */
export function hasInteriorRoom(b: InteriorInput): boolean {
  // The refusal first: planning a footprint over the limit is the unbounded work it guards against.
  if (interiorRefusal(b)) return false;
  const floors = Math.min(Math.max(1, Math.round(b.floors)), MAX_FLOORS);
  const cellsPerFloor = floorPlans(b).reduce((n, plan) => n + plan.cells.length, 0);
  return cellsPerFloor > 0 && cellsPerFloor * floors <= MAX_INTERIOR_ROOMS;
}

/**
 * Largest footprint an interior is generated for, m² (the largest single buildings cover about
 * 40 ha; a "building" far larger — a country or a district outline given as buildings — would
 * plan tens of thousands of rooms a floor and grow without end).
 */
export const MAX_INTERIOR_FOOTPRINT_M2 = 400_000;
/** Largest plans.json a build writes and a server reads. */
export const MAX_PLANS_BYTES = 512 * 1024 * 1024;
/** Most rooms, corridors and cores over all floors of one generated interior. */
export const MAX_INTERIOR_ROOMS = 20_000;

/** Why no interior is made for `b` (over a per-building limit), or undefined when one may be. */
export function interiorRefusal(b: InteriorInput): string | undefined {
  const area = b.polygons.reduce((sum, p) => sum + p.reduce((a, ring, i) => a + (i === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0), 0);
  if (!(area <= MAX_INTERIOR_FOOTPRINT_M2)) {
    return `footprint of ${Math.round(area).toLocaleString('en')} m² is over the ${MAX_INTERIOR_FOOTPRINT_M2.toLocaleString('en')} m² limit for a generated interior (MAX_INTERIOR_FOOTPRINT_M2)`;
  }
  return undefined;
}

/**
 * Builds the interior glb and returns it with the number of rooms (features) in it; undefined
 * when the footprint is too small or thin for a single room, or over a limit.
 */
export function buildingInteriorGlb(b: InteriorInput): { glb: Uint8Array; rooms: number } | undefined {
  return buildingInterior(b).built;
}

/** The interior glb, or why there is none: a refusal (over a limit) or a footprint with no room for a room. */
export function buildingInterior(b: InteriorInput): { built?: { glb: Uint8Array; rooms: number }; refused?: string } {
  const refused = interiorRefusal(b);
  if (refused) return { refused };
  const floors = Math.min(Math.max(1, Math.round(b.floors)), MAX_FLOORS);
  const storey = b.height / Math.max(1, b.floors);
  const plans = floorPlans(b);
  const cellsPerFloor = plans.reduce((n, p) => n + p.cells.length, 0);
  if (cellsPerFloor * floors > MAX_INTERIOR_ROOMS) {
    return { refused: `${cellsPerFloor} rooms a floor × ${floors} floors is over the ${MAX_INTERIOR_ROOMS.toLocaleString('en')} rooms limit for a generated interior (MAX_INTERIOR_ROOMS)` };
  }
  const mesh = new MaterialMesh(MATERIALS.length);
  const rows = { buildingId: [] as string[], floor: [] as number[], roomId: [] as string[], use: [] as string[], areaM2: [] as number[], elevationM: [] as number[] };
  const w = new GlbWriter('citytwin tiles build');
  const g = w.gltf;
  g.meshes = [];
  g.nodes = [];
  for (let f = 0; f < floors; f++) {
    const z = f * storey;
    const firstRow = rows.roomId.length;
    let serial = 0;
    mesh.reset();
    for (const plan of plans) {
      for (const cell of plan.cells) {
        const use: RoomUse = cell.kind === 'room' ? roomUse(b.use, f) : cell.kind;
        const fid = rows.roomId.length;
        rows.buildingId.push(b.id);
        rows.floor.push(f);
        rows.roomId.push(`F${f}-${cell.kind === 'room' ? 'R' : cell.kind === 'core' ? 'C' : 'K'}${++serial}`);
        rows.use.push(use);
        rows.areaM2.push(cell.areaM2);
        rows.elevationM.push(Math.round(z * 100) / 100);
        addRoomFloor(mesh, cell, z + FLOOR_LIFT_M, ROOM_USES.indexOf(use), fid);
        addRoomWalls(mesh, cell, z + FLOOR_LIFT_M, z + storey - SLAB_M, fid);
        if (cell.kind === 'core') addStairs(mesh, plan, z, storey, ROOM_USES.indexOf('core'), fid);
      }
    }
    if (mesh.vertexCount === 0) continue;
    // One node per storey, named floor-1 (ground) … floor-N, so a viewer can lift or isolate it.
    const { primitives, materials } = materialPrimitives(w, mesh, [0, 0, 0], rows.roomId.length - firstRow, false);
    primitives.forEach((prim, k) => (prim.material = materials[k]));
    g.meshes.push({ name: `floor-${f + 1}`, primitives });
    g.nodes.push({ name: `floor-${f + 1}`, mesh: g.meshes.length - 1 });
  }
  const count = rows.roomId.length;
  if (count === 0 || g.nodes.length === 0) return {};
  const table = addPropertyTable(w, INTERIOR_SCHEMA, ROOM_CLASS, count, rows);
  g.extensionsUsed = [EXT_MESH_FEATURES, EXT_STRUCTURAL_METADATA];
  g.extensions = { [EXT_STRUCTURAL_METADATA]: { schema: INTERIOR_SCHEMA, propertyTables: [table] } };
  // All materials, by their fixed index: floors share them.
  g.materials = MATERIALS;
  g.scene = 0;
  g.scenes = [{ nodes: g.nodes.map((_, k) => k), extras: { buildingId: b.id, origin: b.origin, frame: 'east-up-south (glTF y-up) metres at origin' } }];
  return { built: { glb: w.toGlb(), rooms: count } };
}

/** The cell's floor, facing up (earcut: clipped cells can be concave). */
function addRoomFloor(mesh: MaterialMesh, cell: PlanCell, z: number, material: number, fid: number): void {
  const flat = cell.ring.flat();
  const tris = earcut(flat);
  if (tris.length === 0) return;
  const first = mesh.vertexCount;
  for (const [x, y] of cell.ring) mesh.vertex(x, y, z, 0, 0, 1, 0, 0, fid);
  for (let t = 0; t < tris.length; t += 3) {
    const [a, b, c] = [tris[t]!, tris[t + 1]!, tris[t + 2]!];
    const area2 = (flat[2 * b]! - flat[2 * a]!) * (flat[2 * c + 1]! - flat[2 * a + 1]!) - (flat[2 * b + 1]! - flat[2 * a + 1]!) * (flat[2 * c]! - flat[2 * a]!);
    if (area2 > 0) mesh.triangle(material, first + a, first + b, first + c);
    else if (area2 < 0) mesh.triangle(material, first + a, first + c, first + b);
  }
}

/** One double-sided quad per edge of the cell, facing out of it. */
function addRoomWalls(mesh: MaterialMesh, cell: PlanCell, z0: number, z1: number, fid: number): void {
  const ring = cell.ring;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 0.05) continue;
    // Counter-clockwise ring: outward is the edge turned clockwise.
    const nx = (y1 - y0) / len;
    const ny = -(x1 - x0) / len;
    const v = mesh.vertex(x0, y0, z0, nx, ny, 0, 0, 0, fid);
    mesh.vertex(x1, y1, z0, nx, ny, 0, 0, 0, fid);
    mesh.vertex(x1, y1, z1, nx, ny, 0, 0, 0, fid);
    mesh.vertex(x0, y0, z1, nx, ny, 0, 0, 0, fid);
    mesh.triangle(WALL, v, v + 1, v + 2);
    mesh.triangle(WALL, v, v + 2, v + 3);
  }
}

/** A straight flight along the core's length in half its width: treads and risers. */
function addStairs(mesh: MaterialMesh, plan: FloorPlan, z: number, storey: number, material: number, fid: number): void {
  const core = plan.core;
  if (!core) return;
  const [ox, oy] = core.origin;
  const [ax, ay] = core.axis;
  // Across the core: the axis turned counter-clockwise.
  const [bx, by] = [-ay, ax];
  const run = core.lengthM / STEPS;
  const rise = storey / STEPS;
  const w0 = 0.15 * core.widthM;
  const w1 = 0.5 * core.widthM;
  const at = (u: number, v: number): [number, number] => [ox + u * ax + v * bx, oy + u * ay + v * by];
  for (let s = 0; s < STEPS; s++) {
    const u0 = s * run;
    const u1 = u0 + run;
    const top = z + (s + 1) * rise;
    // Tread (up) and riser (facing −axis, towards the step below).
    const quads: Array<[[number, number, number][], [number, number, number]]> = [
      [[[...at(u0, w0), top], [...at(u1, w0), top], [...at(u1, w1), top], [...at(u0, w1), top]], [0, 0, 1]],
      [[[...at(u0, w1), top - rise], [...at(u0, w0), top - rise], [...at(u0, w0), top], [...at(u0, w1), top]], [-ax, -ay, 0]],
    ];
    for (const [corners, n] of quads) {
      const v = mesh.vertexCount;
      for (const [x, y, h] of corners) mesh.vertex(x, y, h, n[0], n[1], n[2], 0, 0, fid);
      mesh.triangle(material, v, v + 1, v + 2);
      mesh.triangle(material, v, v + 2, v + 3);
    }
  }
}
