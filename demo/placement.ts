/**
 * The building lot checker: a footprint is accepted only when it lies inside its block behind
 * the setback from the block's streets, on buildable ground, clear of every road carriageway,
 * and apart from every footprint and reserved open space already placed.
 */
import type { BuildingUse } from '../domain/citySource';
import type { PlanFrame } from './frame';
import type { Footprint } from './footprints';
import { convexSeparated, polygonSegmentDistance, type Vec2 } from './geometry';
import type { Block } from './plan';
import { clipToDistrict, type LanduseArea } from './areas';
import type { RoadIndex } from './roads';
import type { Site } from './site';
import { SpatialIndex, boxOf } from './spatialIndex';

export interface BuildingDraft {
  footprint: Footprint;
  use: BuildingUse;
  floors: number;
  height: number;
  name?: string;
}

/** No building ever comes closer than this to a road's edge, whatever its block asks. */
const MIN_ROAD_CLEARANCE_M = 2;

export class Placement {
  readonly buildings: BuildingDraft[] = [];
  readonly areas: LanduseArea[] = [];
  /** Convex pieces of placed footprints and reserved open spaces. */
  private readonly taken = new SpatialIndex<Vec2[]>(40);

  constructor(
    readonly site: Site,
    readonly frame: PlanFrame,
    private readonly roads: RoadIndex,
  ) {}

  /** True when a world point lies inside the block, `setback` metres behind its street edges. */
  inBlock(block: Block, u: number, v: number, setback: number): boolean {
    const [p, q] = this.frame.toPlan(u, v);
    if (p < block.pl + block.widthL / 2 + setback || p > block.pr - block.widthR / 2 - setback) return false;
    return q >= block.low.q(p) + block.low.halfWidth + setback && q <= block.high.q(p) - block.high.halfWidth - setback;
  }

  fits(fp: Footprint, block: Block, setback: number, gap: number): boolean {
    for (const [u, v] of fp.ring) if (!this.inBlock(block, u, v, setback)) return false;
    if (!this.site.ringBuildable(fp.ring, 8)) return false;
    for (const part of fp.parts) {
      const box = boxOf(part, gap);
      for (const other of this.taken.search(box)) if (!convexSeparated(part, other, gap)) return false;
    }
    const box = boxOf(fp.ring);
    const clearance = Math.min(setback, MIN_ROAD_CLEARANCE_M);
    for (const seg of this.roads.near(box.minX, box.minY, box.maxX, box.maxY, this.roads.maxHalfWidth + clearance)) {
      if (polygonSegmentDistance(fp.ring, seg.a, seg.b) < seg.road.widthM / 2 + clearance) return false;
    }
    return true;
  }

  /** Places the building if it fits; returns whether it did. */
  tryAdd(draft: BuildingDraft, block: Block, setback: number, gap: number): boolean {
    if (!this.fits(draft.footprint, block, setback, gap)) return false;
    this.buildings.push(draft);
    for (const part of draft.footprint.parts) this.taken.insert(boxOf(part), part);
    return true;
  }

  /** Keeps a convex open space (plaza, sports field) free of later buildings. */
  reserve(ring: Vec2[]): void {
    this.taken.insert(boxOf(ring), ring);
  }

  /** Records a block's land use, cut to the district (blocks at the edge reach beyond it). */
  addArea(area: LanduseArea): void {
    const ring = clipToDistrict(area.ring);
    if (ring) this.areas.push({ ...area, ring });
  }
}
