/**
 * Where the demo's cameras look. A security camera hangs on its pole a little below the lamp
 * head and looks along the road it stands beside, turned a little towards the carriageway;
 * an enforcement (traffic) camera looks at the signalised junction it guards. Pitch aims the
 * optical axis at the road surface some tens of metres out, so the frustum covers the road.
 *
 * Poses are in plan metres here (x east, y north of the DEM's projected CRS); writeSource turns
 * them into lon/lat. Headings are measured from grid north; at this district the grid
 * convergence of the CGCS2000 3° zone (CM 114°E) is about 0.1°, below what a mount holds.
 */
import type { Rng } from '../kernel/random';
import type { Signal } from './junctions';
import type { Pole } from './poles';
import type { TerminalType } from '../domain/terminals';

export interface PlanCameraPose {
  x: number;
  y: number;
  heightM: number;
  headingDeg: number;
  pitchDeg: number;
  hfovDeg: number;
  aspect: number;
  rangeM: number;
}

/** Cameras hang this far below the pole top (the lamp arm and its bracket). */
const BELOW_TOP_M = 1.5;
const MIN_PITCH_DEG = -25;
const MAX_PITCH_DEG = -10;
const ASPECT = 16 / 9;

/** Degrees clockwise from north of the plan vector (dx east, dy north), in [0, 360). */
export function headingOf(dx: number, dy: number): number {
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return Math.round(((deg % 360) + 360) % 360 * 10) / 10;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Pitch that puts the optical axis on the ground `aimM` metres out, within the mount's range. */
function pitchFor(heightM: number, aimM: number): number {
  return round1(clamp((-Math.atan2(heightM, aimM) * 180) / Math.PI, MIN_PITCH_DEG, MAX_PITCH_DEG));
}

/**
 * The pose of a camera terminal of `type` on `pole`; `nearestSignal` is the junction an
 * enforcement camera guards (the one that made it an enforcement pole), if any.
 */
export function cameraPose(type: Extract<TerminalType, 'camera' | 'traffic-camera'>, pole: Pole, nearestSignal: Signal | undefined, rng: Rng): PlanCameraPose {
  const heightM = round1(Math.max(3, pole.heightM - BELOW_TOP_M));
  const { x: cx, y: cy, tx, ty } = pole.road.line.at(pole.chainage);
  if (type === 'traffic-camera' && nearestSignal) {
    const d = Math.hypot(nearestSignal.x - pole.x, nearestSignal.y - pole.y);
    // Standing on the junction itself: look along the road instead.
    if (d > 5) {
      return {
        x: pole.x,
        y: pole.y,
        heightM,
        headingDeg: headingOf(nearestSignal.x - pole.x, nearestSignal.y - pole.y),
        pitchDeg: pitchFor(heightM, Math.max(20, d)),
        hfovDeg: round1(rng.range(50, 60)),
        aspect: ASPECT,
        rangeM: round1(clamp(d + 60, 80, 150)),
      };
    }
  }
  // Along the road, either way, turned towards the carriageway (the pole stands beside it).
  const dir = rng.chance(0.5) ? 1 : -1;
  const toRoadX = cx - pole.x;
  const toRoadY = cy - pole.y;
  const off = Math.hypot(toRoadX, toRoadY) || 1;
  // 30 m along the road, pulled back over the centreline: the point the camera centres on.
  const aimX = dir * tx * 30 + toRoadX / off * Math.min(off, 6);
  const aimY = dir * ty * 30 + toRoadY / off * Math.min(off, 6);
  return {
    x: pole.x,
    y: pole.y,
    heightM,
    headingDeg: headingOf(aimX, aimY),
    pitchDeg: pitchFor(heightM, rng.range(25, 45)),
    hfovDeg: round1(rng.range(55, 70)),
    aspect: ASPECT,
    rangeM: round1(rng.range(80, 150)),
  };
}
