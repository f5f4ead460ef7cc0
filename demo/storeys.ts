/**
 * Building height from its number of floors, by use: about 3 m a floor for homes, taller ground
 * floors for shops and offices, a roof plant room on towers. One rule everywhere keeps heights
 * and floor counts consistent.
 */
import type { BuildingUse } from '../domain/citySource';
import { round } from './frame';

interface FloorRule {
  ground: number;
  typical: number;
  roof: number;
}

const RULES: Record<BuildingUse, FloorRule> = {
  residential: { ground: 3.0, typical: 3.0, roof: 1.0 },
  mixed: { ground: 4.5, typical: 3.0, roof: 1.0 },
  commercial: { ground: 5.0, typical: 3.8, roof: 1.0 },
  office: { ground: 5.5, typical: 4.0, roof: 1.5 },
  public: { ground: 4.5, typical: 4.0, roof: 1.0 },
  education: { ground: 3.9, typical: 3.9, roof: 1.0 },
  healthcare: { ground: 4.5, typical: 4.0, roof: 1.5 },
  industrial: { ground: 6.0, typical: 4.5, roof: 1.0 },
};

/** Towers of ten floors or more carry a lift and plant room about 2 m above the roof line. */
const TOWER_FLOORS = 10;

/**
 * Height in metres (to 0.1 m) of a building with `floors` floors. `extra` adds a crown or, for a
 * single-storey shed, the clear height above a standard floor.
 */
export function buildingHeight(use: BuildingUse, floors: number, extra = 0): number {
  const rule = RULES[use];
  const plant = floors >= TOWER_FLOORS ? 2 : 0;
  return round(rule.ground + (floors - 1) * rule.typical + rule.roof + plant + extra, 1);
}

/** Floors that bring a building of `use` closest to `targetHeight` metres. */
export function floorsForHeight(use: BuildingUse, targetHeight: number): number {
  const rule = RULES[use];
  return Math.max(1, Math.round((targetHeight - rule.ground - rule.roof - 2) / rule.typical) + 1);
}
