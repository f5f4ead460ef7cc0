/**
 * Street components along the roads: manhole covers every 40–60 m, each class at the position
 * its network takes in a Chinese road cross-section (sewers and storm drains in the carriageway,
 * power and telecom ducts under the footway), and fire hydrants at the kerb about every 120 m.
 */
import { formatComponentCode } from '../domain/components';
import { COUNTY_CODE, inDistrict, type PlanFrame } from './frame';
import type { Landform } from './landform';
import type { Rng } from '../kernel/random';
import type { Road } from './roads';
import { ownerOf } from './departments';

export interface Component {
  code: string;
  classCode: string;
  ownerId: string;
  road: Road;
  x: number;
  y: number;
}

/** Cover classes, their share of covers, and where across the road they lie (fraction of half-width, from the centreline). */
const COVER_CLASSES: ReadonlyArray<readonly [{ code: string; lateral: readonly [number, number] }, number]> = [
  [{ code: '0102', lateral: [0.05, 0.35] }, 0.22], // sewage: under the carriageway
  [{ code: '0103', lateral: [0.6, 0.75] }, 0.25], // storm: gullies by the kerb
  [{ code: '0101', lateral: [0.4, 0.6] }, 0.14], // water supply
  [{ code: '0105', lateral: [0.82, 0.92] }, 0.12], // power: footway
  [{ code: '0106', lateral: [0.85, 0.95] }, 0.1], // street-lamp cable pits
  [{ code: '0107', lateral: [0.8, 0.9] }, 0.12], // telecom: footway
  [{ code: '0111', lateral: [0.45, 0.65] }, 0.05], // gas
];
const HYDRANT_CLASS = '0114';

export function placeComponents(roads: readonly Road[], landform: Landform, frame: PlanFrame, rng: Rng): Component[] {
  const serials = new Map<string, number>();
  const out: Component[] = [];
  const add = (classCode: string, road: Road, x: number, y: number): void => {
    const serial = (serials.get(classCode) ?? 0) + 1;
    serials.set(classCode, serial);
    out.push({ code: formatComponentCode(COUNTY_CODE, classCode, serial), classCode, ownerId: ownerOf(classCode), road, x, y });
  };
  // Covers and hydrants belong on solid ground: none on a bridge deck or outside the district.
  const onGround = (x: number, y: number): boolean => {
    if (!inDistrict(x, y, 1)) return false;
    const [p, q] = frame.toPlan(x, y);
    return !landform.isSea(p, q) && landform.riverDistance(p, q) > landform.riverHalfWidth(q) + 3;
  };

  for (const road of roads) {
    const half = road.widthM / 2;
    for (let s = rng.range(5, 30); s < road.line.length - 5; s += rng.range(40, 60)) {
      const cls = rng.weighted(COVER_CLASSES);
      const [x, y] = road.line.offsetPoint(s, rng.sign() * half * rng.range(cls.lateral[0], cls.lateral[1]));
      if (onGround(x, y)) add(cls.code, road, x, y);
    }
    for (let s = rng.range(20, 80); s < road.line.length - 10; s += rng.range(110, 130)) {
      // Hydrants stand just inside the kerb line, on the side without poles.
      const [x, y] = road.line.offsetPoint(s, -(half - 0.8));
      if (onGround(x, y)) add(HYDRANT_CLASS, road, x, y);
    }
  }
  return out;
}
